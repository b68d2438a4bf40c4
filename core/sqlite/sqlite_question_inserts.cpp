// sqlite_store as a question_store, writing: the group commit of new questions. Grouping is
// decided before (near_duplicate_index); this file only writes the group down.
//
// The order of the writes is chosen for SQLite's costs, measured with callgrind on the ingest
// path (docs/benchmarks.md "Ingest"):
// - Every statement is prepared once per connection (the statement cache), not per batch.
// - A question's id is given explicitly (the next rowid, which SQLite would pick anyway) so
//   that a question starting its own group is written with its cluster_id at once, without a
//   second UPDATE of the row and its index.
// - Group sizes are added up per group and written once per group and batch: a new group's
//   row is inserted, an existing one read and updated (no RETURNING, which makes SQLite
//   build an ephemeral table per statement).
// - The full-text rows are written LAST, one plain INSERT each. FTS5 flushes its pending
//   terms to a new index segment at every statement savepoint once it is part of the
//   transaction, and any statement that may write several rows opens one (an INSERT firing a
//   trigger, an INSERT with several unique indexes). The old trigger on questions made that a
//   flush, and so a segment to merge later, per question; written last, the batch's terms
//   are flushed once, at COMMIT. Migration 0008 (search_rows_written_by_insert) dropped the insert trigger; the update and
//   delete triggers still keep the index in step with other writes.

#include <unordered_map>

#include "core/domain/question_filter.hpp"
#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace sqlite_rows;

namespace {

// The statements of one group commit (cached by the connection).
struct insert_statements {
    sqlite_statement next_id, question, group_size, new_group, grow_group, span, audit, search;

    status prepare(sqlite_connection& db) {
        if (status s = prepare_into(db, next_id, "SELECT coalesce(max(id), 0) + 1 FROM questions");
            !s)
            return s;
        if (status s = prepare_into(db, question,
                "INSERT INTO questions (id, event_id, text, author, source, external_id, "
                "created_at, updated_at, status, version, lang, verdict, s_toxicity, "
                "s_severe_toxicity, s_insult, s_profanity, s_threat, s_identity_attack, severity, "
                "search_text, cluster_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING");
            !s)
            return s;
        if (status s = prepare_into(db, group_size, "SELECT size FROM question_clusters WHERE id = ?");
            !s)
            return s;
        if (status s = prepare_into(db, new_group,
                                    "INSERT INTO question_clusters (id, size) VALUES (?, ?)");
            !s)
            return s;
        if (status s = prepare_into(db, grow_group,
                                    "UPDATE question_clusters SET size = ? WHERE id = ?");
            !s)
            return s;
        if (status s = prepare_into(db, span,
                "INSERT INTO question_spans (question_id, start, \"end\", attribute, weight, rule) "
                "VALUES (?, ?, ?, ?, ?, ?)");
            !s)
            return s;
        if (status s = prepare_into(db, audit,
                "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
                "VALUES (?, 'triage', 'auto', NULL, ?, ?, ?)");
            !s)
            return s;
        return prepare_into(db, search,
                            "INSERT INTO questions_fts (rowid, search_text) VALUES (?, ?)");
    }
};

result<std::int64_t> first_free_id(sqlite_connection& db, sqlite_statement& st) {
    if (st.step() != SQLITE_ROW) return db.last_error("next question id");
    const std::int64_t id = st.column_int(0);
    st.reset();
    return id;
}

// Inserts the question row as `id` in group `cluster`. Returns false when a question with the
// same (event, source, external_id) exists.
result<bool> insert_row(sqlite_connection& db, sqlite_statement& st, const question_insert& in,
                        std::int64_t id, std::int64_t cluster, timestamp_ms now) {
    const question& q = in.q;
    st.reset();
    st.bind(1, id);
    st.bind(2, q.event_id);
    st.bind(3, std::string_view(q.text));
    st.bind(4, q.author);
    st.bind(5, q.source);
    st.bind(6, q.external_id);
    st.bind(7, now);
    st.bind(8, now);
    st.bind(9, to_string(q.status));
    st.bind(10, std::string_view(q.scored.lang));
    st.bind(11, std::string_view(q.verdict));
    for (std::size_t i = 0; i < attribute_count; ++i)
        st.bind(12 + static_cast<int>(i), static_cast<double>(q.scored.values.values[i]));
    st.bind(18, severity_milli(q));
    st.bind(19, std::string_view(in.search_text));
    st.bind(20, cluster);
    if (status s = step_done(db, st, "insert question"); !s) return s;
    return sqlite3_changes(db.get()) != 0;
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

// The batch's additions to each group, in order: item i's group had rank[i] of this batch's
// new members up to and including it (0: none, for an item stored earlier in another group).
struct group_additions {
    std::unordered_map<std::int64_t, std::int64_t> added;  // group -> new members
    std::vector<std::int64_t> rank;                        // per outcome

    void note(std::int64_t group, bool inserted) {
        auto& n = added[group];
        if (inserted) ++n;
        rank.push_back(n);
    }
};

// The stored size of `group`, 0 when it has no row yet (a group this batch starts).
result<std::int64_t> stored_size(sqlite_connection& db, sqlite_statement& st, std::int64_t group) {
    st.reset();
    st.bind(1, group);
    const int rc = st.step();
    if (rc == SQLITE_DONE) return std::int64_t{0};
    if (rc != SQLITE_ROW) return db.last_error("read group size");
    const std::int64_t size = st.column_int(0);
    st.reset();
    return size;
}

// Sets the stored size of `group` to `size` (`had` members before).
status store_size(sqlite_connection& db, insert_statements& st, std::int64_t group,
                  std::int64_t had, std::int64_t size) {
    sqlite_statement& w = had == 0 ? st.new_group : st.grow_group;
    w.reset();
    w.bind(had == 0 ? 1 : 2, group);
    w.bind(had == 0 ? 2 : 1, size);
    return step_done(db, w, "write group size");
}

// Adds each group's new members to its stored size, then gives every outcome the size its
// group had right after it: the group's size before the batch plus its rank.
status write_group_sizes(sqlite_connection& db, insert_statements& st, group_additions& g,
                         std::vector<insert_outcome>& out) {
    std::unordered_map<std::int64_t, std::int64_t> before;  // group -> size before the batch
    for (const auto& [group, n] : g.added) {
        if (n == 0) continue;
        auto had = stored_size(db, st.group_size, group);
        if (!had) return had.error();
        if (status s = store_size(db, st, group, *had, *had + n); !s) return s;
        before[group] = *had;
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto it = before.find(out[i].stored.cluster_id);
        if (it != before.end() && g.rank[i] > 0)
            out[i].stored.cluster_size = it->second + g.rank[i];
    }
    return status::ok();
}

status write_search_rows(sqlite_connection& db, sqlite_statement& st,
                         const std::vector<question_insert>& batch,
                         const std::vector<insert_outcome>& out) {
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (!out[i].inserted) continue;
        st.reset();
        st.bind(1, out[i].stored.id);
        st.bind(2, std::string_view(batch[i].search_text));
        if (status s = step_done(db, st, "index question text"); !s) return s;
    }
    return status::ok();
}

}  // namespace

result<std::vector<insert_outcome>> sqlite_store::insert_batch(
    const std::vector<question_insert>& batch) {
    std::lock_guard lock(write_mutex_);
    return in_transaction<std::vector<insert_outcome>>(
        writer_, [&]() -> result<std::vector<insert_outcome>> {
            insert_statements st;
            if (status s = st.prepare(writer_); !s) return s;
            auto next_id = first_free_id(writer_, st.next_id);
            if (!next_id) return next_id.error();
            std::vector<insert_outcome> out;
            out.reserve(batch.size());
            group_additions groups;
            const timestamp_ms now = now_ms();
            for (const question_insert& in : batch) {
                auto group = group_of(in.group, out);
                if (!group) return group.error();
                const std::int64_t id = *next_id;
                const std::int64_t cluster = *group != 0 ? *group : id;
                auto inserted = insert_row(writer_, st.question, in, id, cluster, now);
                if (!inserted) return inserted.error();
                if (!*inserted) {
                    // Same (source, external_id) already stored: answer with the existing one.
                    auto existing = load_external(writer_, in.q.event_id, in.q.source.value_or(""),
                                                  in.q.external_id.value_or(""));
                    if (!existing) return existing.error();
                    if (!existing->has_value())
                        return status::error(error_kind::internal, "storage_error",
                                             "insert ignored but no existing question found");
                    groups.note((*existing)->cluster_id, false);
                    out.push_back({std::move(**existing), false});
                    continue;
                }
                ++*next_id;
                question stored = in.q;
                stored.id = id;
                stored.cluster_id = cluster;
                stored.cluster_size = 1;
                stored.created_at = now;
                stored.updated_at = now;
                stored.version = 1;
                if (status s = write_spans_and_audit(writer_, st, stored, now); !s) return s;
                if (status s = queue_webhooks(stored.event_id, stored.id,
                                              sqlite3_last_insert_rowid(writer_.get()), "auto",
                                              std::nullopt, stored.status);
                    !s)
                    return s;
                groups.note(cluster, true);
                out.push_back({std::move(stored), true});
            }
            if (status s = write_group_sizes(writer_, st, groups, out); !s) return s;
            if (status s = write_search_rows(writer_, st.search, batch, out); !s) return s;
            return out;
        });
}

}  // namespace tribune
