// sqlite_store as a question_store, writing: the group commit of new questions. Grouping is
// decided before (near_duplicate_index); this file only writes the group down.
//
// The order of the writes is chosen for SQLite's costs, measured with callgrind on the ingest
// path (docs/benchmarks.md "Ingest"):
// - Every statement is prepared once per connection (the statement cache), not per batch.
// - A question's id is given explicitly (the next rowid, which SQLite would pick anyway) so
//   that a question starting its own group is written with its cluster_id at once, without a
//   second UPDATE of the row and its index.
// - A group's size, review count and heat are written per question (an upsert, then a read of
//   the row by its key), since the question carries them to the dashboard and its heat depends
//   on its arrival. Not an upsert with RETURNING: SQLite collects RETURNING rows in an
//   ephemeral table, created and dropped per execution, which cost more than the whole
//   upsert (callgrind, docs/benchmarks.md, session 6).
// - The full-text rows are written LAST, one plain INSERT each. FTS5 flushes its pending
//   terms to a new index segment at every statement savepoint once it is part of the
//   transaction, and any statement that may write several rows opens one (an INSERT firing a
//   trigger, an INSERT with several unique indexes). The old trigger on questions made that a
//   flush, and so a segment to merge later, per question; written last, the batch's terms
//   are flushed once, at COMMIT. Migration 0010 (search_rows_written_by_insert) dropped the
//   insert trigger; the update and delete triggers still keep the index in step with other
//   writes.
// - Even flushed once per batch, FTS5's new segment cost 12.5 % of the group commit: the
//   full-text rows wait in memory until there are search_rows_per_write of them, or a search
//   comes (sqlite_store::pending_search_).

#include "core/domain/group_heat.hpp"
#include "core/domain/question_filter.hpp"
#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/sqlite/wal_buffer_vfs.hpp"
#include "core/store/store_rules.hpp"
#include "core/triage/decision_inheritance.hpp"

namespace tribune {

using namespace sqlite_rows;

namespace {

// The statements of one group commit (cached by the connection).
struct insert_statements {
    sqlite_statement next_id, question, grow_group, read_group, span, audit;

    status prepare(sqlite_connection& db) {
        if (status s = prepare_into(db, next_id, "SELECT coalesce(max(id), 0) + 1 FROM questions");
            !s)
            return s;
        if (status s = prepare_into(db, question,
                "INSERT INTO questions (id, event_id, text, author, source, external_id, "
                "created_at, updated_at, status, version, lang, verdict, s_toxicity, "
                "s_severe_toxicity, s_insult, s_profanity, s_threat, s_identity_attack, severity, "
                "search_text, cluster_id, group_text, correction, correction_from, "
                "question_probability, origin_url) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING");
            !s)
            return s;
        // tribune_add_heat: group_heat.hpp's add_heat (sqlite_store::open registers it).
        if (status s = prepare_into(db, grow_group,
                "INSERT INTO question_clusters (id, size, review, heat, event_id) VALUES (?, 1, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET size = size + 1, review = review + excluded.review, "
                "heat = tribune_add_heat(heat, excluded.heat)");
            !s)
            return s;
        if (status s = prepare_into(db, read_group,
                "SELECT size, review, heat FROM question_clusters WHERE id = ?");
            !s)
            return s;
        if (status s = prepare_into(db, span,
                "INSERT INTO question_spans (question_id, start, \"end\", attribute, weight, rule) "
                "VALUES (?, ?, ?, ?, ?, ?)");
            !s)
            return s;
        return prepare_into(db, audit,
                "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
                "VALUES (?, 'triage', ?, NULL, ?, ?, ?)");
    }
};

result<std::int64_t> first_free_id(sqlite_connection& db, sqlite_statement& st) {
    if (st.step() != SQLITE_ROW) return db.last_error("next question id");
    const std::int64_t id = st.column_int(0);
    st.reset();
    return id;
}

// Inserts the question row with the id `id` into the group `cluster` (its own id when it starts
// one). Returns false when a question with the same (event, source, external_id) exists.
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
    st.bind(7, asked_at(q, now));
    st.bind(8, now);
    st.bind(9, to_string(q.status));
    st.bind(10, std::string_view(q.scored.lang));
    st.bind(11, std::string_view(q.verdict));
    for (std::size_t i = 0; i < attribute_count; ++i)
        st.bind(12 + static_cast<int>(i), static_cast<double>(q.scored.values.values[i]));
    st.bind(18, severity_milli(q));
    st.bind(19, std::string_view(in.search_text));
    st.bind(20, cluster);
    if (!in.group_text.empty()) st.bind(21, std::string_view(in.group_text));
    else st.bind_null(21);
    if (q.correction) st.bind(22, static_cast<double>(q.correction->delta));
    else st.bind_null(22);
    if (q.correction && q.correction->moved_from) st.bind(23, to_string(*q.correction->moved_from));
    else st.bind_null(23);
    if (q.question_probability) st.bind(24, static_cast<double>(*q.question_probability));
    else st.bind_null(24);
    st.bind(25, q.origin_url);
    if (status s = step_done(db, st, "insert question"); !s) return s;
    return sqlite3_changes(db.get()) != 0;
}

// Counts the stored question `q` in its `group` and reads the group's new size, review count
// and heat.
status write_group(sqlite_connection& db, insert_statements& st, question& q, std::int64_t group) {
    st.grow_group.reset();
    st.grow_group.bind(1, group);
    st.grow_group.bind(2, std::int64_t{in_review(q.status) ? 1 : 0});
    st.grow_group.bind(3, arrival_heat(q.created_at));
    st.grow_group.bind(4, q.event_id);
    if (status s = step_done(db, st.grow_group, "count group"); !s) return s;
    st.read_group.reset();
    st.read_group.bind(1, group);
    if (st.read_group.step() != SQLITE_ROW) return db.last_error("read group");
    q.cluster_id = group;
    q.cluster_size = st.read_group.column_int(0);
    q.cluster_review = st.read_group.column_int(1);
    q.cluster_heat = st.read_group.column_int(2);
    st.read_group.reset();
    return status::ok();
}

// Writes the question's spans, then its audit row (the last row inserted).
status write_spans_and_audit(sqlite_connection& db, insert_statements& st, const question& q,
                             std::string_view action, timestamp_ms now) {
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
    st.audit.bind(2, action);
    st.audit.bind(3, to_string(q.status));
    st.audit.bind(4, std::string_view(q.verdict));
    st.audit.bind(5, now);
    return step_done(db, st.audit, "insert audit row");
}

// Runs `body` (a transaction) with synchronous=NORMAL: its COMMIT writes the WAL without an
// fsync. Every other transaction of the writer (decisions, settings, tokens) stays durable in
// its COMMIT: FULL is restored after. Returns body's result, else the restore's error.
// Both PRAGMAs are prepared once (the statement cache), not parsed per call.
template <typename F>
auto without_sync(sqlite_connection& db, F&& body) -> decltype(body()) {
    if (status s = run_control(db, "PRAGMA synchronous=NORMAL"); !s) return s;
    auto r = body();
    const status restored = run_control(db, "PRAGMA synchronous=FULL");
    if (!r || restored) return r;
    return restored;
}

}  // namespace

status sqlite_store::write_search_rows(const std::vector<std::pair<std::int64_t, std::string>>& rows) {
    if (rows.empty()) return status::ok();
    auto st = writer_.prepare("INSERT INTO questions_fts (rowid, search_text) VALUES (?, ?)");
    if (!st) return st.error();
    for (const auto& [id, text] : rows) {
        st->reset();
        st->bind(1, id);
        st->bind(2, std::string_view(text));
        if (status s = step_done(writer_, *st, "index question text"); !s) return s;
    }
    return status::ok();
}

status sqlite_store::flush_search_rows() {
    std::lock_guard lock(write_mutex_);
    if (pending_search_.empty()) return status::ok();
    // Not synced in its COMMIT (a search waits for it): the next durable COMMIT syncs these
    // frames with it, and what a power cut takes before that, open() writes again.
    return without_sync(writer_, [&]() -> status {
        if (status s = in_transaction_status(writer_, [&] { return write_search_rows(pending_search_); }); !s)
            return s;
        pending_search_.clear();
        return status::ok();
    });
}

result<std::vector<insert_outcome>> sqlite_store::insert_batch(
    const std::vector<question_insert>& batch) {
    std::lock_guard lock(write_mutex_);
    return insert_batch_locked(batch);
}

result<std::vector<insert_outcome>> sqlite_store::insert_batch_unsynced(
    const std::vector<question_insert>& batch) {
    std::lock_guard lock(write_mutex_);
    return without_sync(writer_, [&]() -> result<std::vector<insert_outcome>> {
        auto out = insert_batch_locked(batch);
        if (!out) return out;
        // The frames of a COMMIT are in the WAL file once it returns, unless that write
        // failed: then nothing of this batch is acknowledged (wal_buffer_vfs.hpp).
        if (status s = wal_buffer_vfs::flush(writer_.get()); !s) return s;
        wal_sync_->committed();
        return out;
    });
}

result<std::vector<insert_outcome>> sqlite_store::insert_batch_locked(
    const std::vector<question_insert>& batch) {
    // The batch's full-text rows; written (after the pending ones) once there are enough.
    std::vector<std::pair<std::int64_t, std::string>> fresh;
    bool wrote_search = false;
    auto outcomes = in_transaction<std::vector<insert_outcome>>(
        writer_, [&]() -> result<std::vector<insert_outcome>> {
            insert_statements st;
            if (status s = st.prepare(writer_); !s) return s;
            auto next_id = first_free_id(writer_, st.next_id);
            if (!next_id) return next_id.error();
            std::vector<insert_outcome> out;
            out.reserve(batch.size());
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
                    out.push_back({std::move(**existing), false});
                    continue;
                }
                ++*next_id;
                question stored = in.q;
                stored.id = id;
                stored.created_at = asked_at(in.q, now);
                stored.updated_at = now;
                stored.version = 1;
                if (status s = write_group(writer_, st, stored, cluster); !s) return s;
                const std::string_view action = insert_action(in.inherited, in.unsure);
                if (status s = write_spans_and_audit(writer_, st, stored, action, now); !s)
                    return s;
                // A new question, also when it took its group's decision: question.created.
                if (status s = queue_webhooks(stored.event_id, stored.id,
                                              sqlite3_last_insert_rowid(writer_.get()), "auto",
                                              std::nullopt, stored.status);
                    !s)
                    return s;
                out.push_back({std::move(stored), true});
            }
            for (std::size_t i = 0; i < out.size(); ++i)
                if (out[i].inserted) fresh.emplace_back(out[i].stored.id, batch[i].search_text);
            // Written last: FTS5 flushes its pending terms at every statement savepoint once
            // it is part of the transaction (see the top of this file).
            if (pending_search_.size() + fresh.size() >= search_rows_per_write) {
                if (status s = write_search_rows(pending_search_); !s) return s;
                if (status s = write_search_rows(fresh); !s) return s;
                wrote_search = true;
            }
            return out;
        });
    if (!outcomes) return outcomes;
    if (wrote_search) {
        pending_search_.clear();
    } else {
        for (auto& row : fresh) pending_search_.push_back(std::move(row));
    }
    return outcomes;
}

}  // namespace tribune
