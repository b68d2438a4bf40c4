#pragma once
// sqlite_rows: how the SQLite store reads its rows into domain values, and its transaction
// helper. Shared by the sqlite_*.cpp files of sqlite_store; not part of any interface.
//
// Thread safety: each function uses only the connection it is given, which the caller holds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/question.hpp"
#include "core/sqlite/sqlite_connection.hpp"
#include "core/util/wall_clock.hpp"

namespace tribune::sqlite_rows {

// The columns read_question() reads, with the joins they need; append WHERE/ORDER BY.
// Column 20 is the stored severity (the severity sort key, in thousandths).
inline constexpr std::string_view question_columns =
    "SELECT q.id, q.event_id, e.slug, q.text, q.author, q.source, q.external_id, q.created_at, "
    "q.updated_at, q.status, q.version, q.lang, q.verdict, q.s_toxicity, q.s_severe_toxicity, "
    "q.s_insult, q.s_profanity, q.s_threat, q.s_identity_attack, q.votes, q.severity, "
    "coalesce(q.cluster_id, q.id), coalesce(c.size, 1), coalesce(c.review, 0), "
    "coalesce(c.heat, 0), q.correction, q.correction_from, q.question_probability, "
    "q.origin_url "
    "FROM questions q JOIN events e ON e.id = q.event_id "
    "LEFT JOIN question_clusters c ON c.id = q.cluster_id ";
inline constexpr int severity_column = 20;
// The first column after question_columns' own, for queries that add columns before FROM.
inline constexpr int extra_column = 29;

inline timestamp_ms now_ms() { return wall_clock_ms(); }

// A row of question_columns, without spans.
question read_question(const sqlite_statement& s);
// A row of "SELECT id, slug, title, premoderate, created_at FROM events".
event_info read_event(const sqlite_statement& s);

// is_public() of a status as stored.
bool is_public_row(const std::string& stored_status);

// Fills the spans of `qs` with one query.
status load_spans(sqlite_connection& db, std::vector<question>& qs);
// Errors: not_found (question_not_found).
result<question> load_question(sqlite_connection& db, std::int64_t id);
// Errors: not_found (event_not_found).
result<event_info> load_event(sqlite_connection& db, const std::string& slug);
result<std::optional<question>> load_external(sqlite_connection& db, std::int64_t event_id,
                                              const std::string& source,
                                              const std::string& external_id);

// Prepares `sql` into `into`. For statements prepared once and run many times.
status prepare_into(sqlite_connection& db, sqlite_statement& into, std::string_view sql);

// Runs one of BEGIN IMMEDIATE, COMMIT, ROLLBACK (a cached statement).
status run_control(sqlite_connection& db, std::string_view sql);

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back when it fails.
template <typename T, typename F>
result<T> in_transaction(sqlite_connection& db, F&& body) {
    if (status s = run_control(db, "BEGIN IMMEDIATE"); !s) return s;
    result<T> r = body();
    if (!r) {
        run_control(db, "ROLLBACK");
        return r;
    }
    if (status s = run_control(db, "COMMIT"); !s) {
        run_control(db, "ROLLBACK");
        return s;
    }
    return r;
}

// in_transaction for a body that returns only a status.
template <typename F>
status in_transaction_status(sqlite_connection& db, F&& body) {
    auto r = in_transaction<bool>(db, [&]() -> result<bool> {
        if (status s = body(); !s) return s;
        return true;
    });
    return r ? status::ok() : r.error();
}

// The status of a statement that is expected to finish: ok on SQLITE_DONE.
status step_done(sqlite_connection& db, sqlite_statement& st, std::string_view what);

}  // namespace tribune::sqlite_rows
