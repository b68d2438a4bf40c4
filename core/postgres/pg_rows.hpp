#pragma once
// pg_rows: how the PostgreSQL store reads its rows into domain values, its transaction
// helper, and the writes several of its files share (the change announcement, the webhook
// outbox). Shared by the pg_*.cpp files of postgres_store; not part of any interface.
//
// Thread safety: each function uses only the connection it is given, which the caller holds.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/domain/question.hpp"
#include "core/postgres/pg_connection.hpp"
#include "core/store/question_store.hpp"
#include "core/util/wall_clock.hpp"

namespace tribune::pg_rows {

// The columns read_question() reads, with the joins they need; append WHERE/ORDER BY.
// Column 20 is the stored severity.
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
inline constexpr int extra_column = 29;

inline timestamp_ms now_ms() { return wall_clock_ms(); }

question read_question(const pg_result& r, int row);
// A row of "SELECT id, slug, title, premoderate, created_at FROM events".
event_info read_event(const pg_result& r, int row);
bool is_public_row(const std::string& stored_status);

// Every row of `r` (question_columns) with spans.
result<std::vector<question>> questions_of(pg_connection& db, const pg_result& r);
status load_spans(pg_connection& db, std::vector<question>& qs);
// Errors: not_found (question_not_found).
result<question> load_question(pg_connection& db, std::int64_t id);
// Errors: not_found (event_not_found).
result<event_info> load_event(pg_connection& db, const std::string& slug);
status event_exists(pg_connection& db, std::int64_t event_id);
result<std::optional<question>> load_external(pg_connection& db, std::int64_t event_id,
                                              const std::string& source,
                                              const std::string& external_id);

// Announces that question `id` changed — created (no `from`), or moved from `from` by
// `actor` — delivered to every listener at COMMIT (pg_change_listener reads it back). The
// payload names the question's state and version as the change left them (read from its
// row in this transaction): "id|new|state|version" or "id|moved|from|state|version|actor".
// REQUIRES: a transaction open on `db`, after the change was written.
status notify_change(pg_connection& db, std::int64_t question_id,
                     std::optional<question_status> from = std::nullopt,
                     std::string_view actor = {});
// notify_change() for new questions, as ONE statement without parameters (its arrays are
// written inline: numbers and state names only), for a script that ends with COMMIT: the
// changes take their events' next numbers in the order given (an event's are consecutive: no
// gap, none twice), are kept in event_changes and announced in number order. Each element:
// a question as stored (its event, id, state and version are used). REQUIRES (when run): a transaction open that took lock_numbering_of_event()
// of each event.
std::string notify_created_sql(const std::vector<question>& created);
// A change payload's field after `bars` '|', with the rest of the payload (an actor, the last
// field, may itself contain '|'); "" when the payload has fewer bars.
std::string_view payload_after(std::string_view payload, int bars);
// The same for a change of the shortlist of the event `event_slug` (payload
// "s|action|question_id|actor"; the listener reads the shortlist itself).
// REQUIRES: a transaction open on `db`.
status notify_shortlist(pg_connection& db, const std::string& event_slug,
                        std::string_view action, std::int64_t question_id,
                        std::string_view actor);

// Takes the row lock on an event's numbering (event_sequences; the row is created when
// missing) — FIRST, before any other row lock, in every transaction that will number a
// change. The numbering's lock is held to COMMIT, so a transaction that took it after another
// row lock could wait for it while holding a row the holder needs (a deadlock between ingest,
// decisions and votes); taken first, it only orders them.
// REQUIRES: a transaction open on `db`.
status lock_numbering_of_event(pg_connection& db, std::int64_t event_id);
// The same as a statement without parameters, for a script.
std::string lock_numbering_of_event_sql(std::int64_t event_id);
status lock_numbering_of_question(pg_connection& db, std::int64_t question_id);

// Owes a delivery to every enabled hook of the event subscribed to the change the audit row
// `decision_id` records (pg_webhooks.cpp). REQUIRES: a transaction open on `db`.
status queue_webhooks(pg_connection& db, std::int64_t event_id, std::int64_t question_id,
                      std::int64_t decision_id, std::string_view action,
                      std::optional<question_status> from, question_status to);
// queue_webhooks() for many audit rows in ONE statement (the group commit).
struct audited_change {
    std::int64_t event_id = 0;
    std::int64_t question_id = 0;
    std::int64_t decision_id = 0;
    std::string_view action;
    std::optional<question_status> from;
    question_status to = question_status::pending;
};
status queue_webhooks(pg_connection& db, const std::vector<audited_change>& changes);

// `n` fresh question ids from the questions table's sequence, in one round trip. An id not
// used afterwards (a known identity) is a gap, as with any sequence.
result<std::vector<std::int64_t>> reserve_question_ids(pg_connection& db, std::size_t n);
// The same as a statement without parameters, for a script; read_ids() reads its rows.
std::string reserve_question_ids_sql(std::size_t n);
std::vector<std::int64_t> read_ids(const pg_result& r);

// The questions of a group-commit batch (ids reserved, groups resolved) written with COPY into
// the connection's staging table, then INSERT ... SELECT ... ON CONFLICT DO NOTHING: the ids
// actually stored (pg_question_import.cpp). REQUIRES: a transaction open on `db`.
result<std::unordered_set<std::int64_t>> copy_questions(pg_connection& db,
                                                        const std::vector<question_insert>& batch,
                                                        const std::vector<std::int64_t>& ids,
                                                        const std::vector<std::int64_t>& groups,
                                                        timestamp_ms now);

// Runs `body` inside BEGIN ... COMMIT (READ COMMITTED), rolling back when it fails.
template <typename T, typename F>
result<T> in_transaction(pg_connection& db, F&& body) {
    if (status s = db.run("BEGIN", {}, "begin"); !s) return s;
    result<T> r = body();
    if (!r) {
        db.run("ROLLBACK", {}, "rollback");
        return r;
    }
    if (status s = db.run("COMMIT", {}, "commit"); !s) {
        db.run("ROLLBACK", {}, "rollback");
        return s;
    }
    return r;
}

template <typename F>
status in_transaction_status(pg_connection& db, F&& body) {
    auto r = in_transaction<bool>(db, [&]() -> result<bool> {
        if (status s = body(); !s) return s;
        return true;
    });
    return r ? status::ok() : r.error();
}

// "$first, $first+1, ..." for `n` parameters.
std::string placeholders(std::size_t n, int first = 1);

}  // namespace tribune::pg_rows
