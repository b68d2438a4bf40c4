// sqlite_store as a question_store, writing: the group commit of new questions. Grouping is
// decided before (near_duplicate_index); this file only writes the group down.

#include "core/domain/question_filter.hpp"
#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace sqlite_rows;

namespace {

// The statements of one group commit, prepared once per batch.
struct insert_statements {
    sqlite_statement question, set_group, grow_group, span, audit;

    status prepare(sqlite_connection& db) {
        if (status s = prepare_into(db, question,
                "INSERT INTO questions (event_id, text, author, source, external_id, created_at, "
                "updated_at, status, version, lang, verdict, s_toxicity, s_severe_toxicity, "
                "s_insult, s_profanity, s_threat, s_identity_attack, severity, search_text, "
                "cluster_id, question_probability) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING");
            !s)
            return s;
        if (status s = prepare_into(db, set_group, "UPDATE questions SET cluster_id = id WHERE id = ?");
            !s)
            return s;
        if (status s = prepare_into(db, grow_group,
                "INSERT INTO question_clusters (id, size) VALUES (?, 1) "
                "ON CONFLICT (id) DO UPDATE SET size = size + 1 RETURNING size");
            !s)
            return s;
        if (status s = prepare_into(db, span,
                "INSERT INTO question_spans (question_id, start, \"end\", attribute, weight, rule) "
                "VALUES (?, ?, ?, ?, ?, ?)");
            !s)
            return s;
        return prepare_into(db, audit,
            "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
            "VALUES (?, 'triage', 'auto', NULL, ?, ?, ?)");
    }
};

// Inserts the question row; `group` is its group's id, or 0 when it starts its own.
// Returns false when a question with the same (event, source, external_id) exists.
result<bool> insert_row(sqlite_connection& db, sqlite_statement& st, const question_insert& in,
                        std::int64_t group, timestamp_ms now) {
    const question& q = in.q;
    st.reset();
    st.bind(1, q.event_id);
    st.bind(2, std::string_view(q.text));
    st.bind(3, q.author);
    st.bind(4, q.source);
    st.bind(5, q.external_id);
    st.bind(6, now);
    st.bind(7, now);
    st.bind(8, to_string(q.status));
    st.bind(9, std::string_view(q.scored.lang));
    st.bind(10, std::string_view(q.verdict));
    for (std::size_t i = 0; i < attribute_count; ++i)
        st.bind(11 + static_cast<int>(i), static_cast<double>(q.scored.values.values[i]));
    st.bind(17, severity_milli(q));
    st.bind(18, std::string_view(in.search_text));
    if (group != 0) st.bind(19, group);
    else st.bind_null(19);
    if (q.question_probability) st.bind(20, static_cast<double>(*q.question_probability));
    else st.bind_null(20);
    if (status s = step_done(db, st, "insert question"); !s) return s;
    return sqlite3_changes(db.get()) != 0;
}

// Puts the stored question `q` into `group` (0: its own) and reads the group's new size.
status write_group(sqlite_connection& db, insert_statements& st, question& q, std::int64_t group) {
    if (group == 0) {
        st.set_group.reset();
        st.set_group.bind(1, q.id);
        if (status s = step_done(db, st.set_group, "set group"); !s) return s;
        group = q.id;
    }
    st.grow_group.reset();
    st.grow_group.bind(1, group);
    if (st.grow_group.step() != SQLITE_ROW) return db.last_error("count group");
    q.cluster_id = group;
    q.cluster_size = st.grow_group.column_int(0);
    st.grow_group.reset();
    return status::ok();
}

// Writes the question's spans, then its audit row (the last row inserted).
status write_spans_and_audit(sqlite_connection& db, insert_statements& st, const question& q,
                             timestamp_ms now) {
    for (const span& sp : q.scored.spans) {
        st.span.reset();
        st.span.bind(1, q.id);
        st.span.bind(2, static_cast<std::int64_t>(sp.start));
        st.span.bind(3, static_cast<std::int64_t>(sp.end));
        st.span.bind(4, to_string(sp.attr));
        st.span.bind(5, static_cast<double>(sp.weight));
        st.span.bind(6, std::string_view(sp.rule));
        if (status s = step_done(db, st.span, "insert span"); !s) return s;
    }
    st.audit.reset();
    st.audit.bind(1, q.id);
    st.audit.bind(2, to_string(q.status));
    st.audit.bind(3, std::string_view(q.verdict));
    st.audit.bind(4, now);
    return step_done(db, st.audit, "insert audit row");
}

}  // namespace

result<std::vector<insert_outcome>> sqlite_store::insert_batch(
    const std::vector<question_insert>& batch) {
    std::lock_guard lock(write_mutex_);
    return in_transaction<std::vector<insert_outcome>>(
        writer_, [&]() -> result<std::vector<insert_outcome>> {
            insert_statements st;
            if (status s = st.prepare(writer_); !s) return s;
            std::vector<insert_outcome> out;
            out.reserve(batch.size());
            const timestamp_ms now = now_ms();
            for (const question_insert& in : batch) {
                auto group = group_of(in.group, out);
                if (!group) return group.error();
                auto inserted = insert_row(writer_, st.question, in, *group, now);
                if (!inserted) return inserted.error();
                if (!*inserted) {
                    // Same (source, external_id) already stored: answer with the existing one.
                    auto existing = load_external(writer_, in.q.event_id, in.q.source.value_or(""),
                                                  in.q.external_id.value_or(""));
                    if (!existing) return existing.error();
                    if (!existing->has_value())
                        return status::error(error_kind::internal, "storage_error",
                                             "insert ignored but no existing question found");
                    out.push_back({std::move(**existing), false});
                    continue;
                }
                question stored = in.q;
                stored.id = sqlite3_last_insert_rowid(writer_.get());
                stored.created_at = now;
                stored.updated_at = now;
                stored.version = 1;
                if (status s = write_group(writer_, st, stored, *group); !s) return s;
                if (status s = write_spans_and_audit(writer_, st, stored, now); !s) return s;
                if (status s = queue_webhooks(stored.event_id, stored.id,
                                              sqlite3_last_insert_rowid(writer_.get()), "auto",
                                              std::nullopt, stored.status);
                    !s)
                    return s;
                out.push_back({std::move(stored), true});
            }
            return out;
        });
}

}  // namespace tribune
