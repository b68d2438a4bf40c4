#include "core/postgres/pg_rows.hpp"

#include <unordered_map>

#include "core/domain/question_filter.hpp"
#include "core/postgres/pg_array.hpp"
#include "core/store/store_rules.hpp"

namespace tribune::pg_rows {

question read_question(const pg_result& r, int row) {
    question q;
    q.id = r.integer(row, 0);
    q.event_id = r.integer(row, 1);
    q.event = r.text(row, 2);
    q.text = r.text(row, 3);
    q.author = r.optional_text(row, 4);
    q.source = r.optional_text(row, 5);
    q.external_id = r.optional_text(row, 6);
    q.created_at = r.integer(row, 7);
    q.updated_at = r.integer(row, 8);
    q.status = status_from_string(r.text(row, 9)).value_or(question_status::pending);
    q.version = r.integer(row, 10);
    q.scored.lang = r.text(row, 11);
    q.verdict = r.text(row, 12);
    for (std::size_t i = 0; i < attribute_count; ++i)
        q.scored.values.values[i] = static_cast<float>(r.real(row, 13 + static_cast<int>(i)));
    q.votes = r.integer(row, 19);
    q.cluster_id = r.integer(row, 21);
    q.cluster_size = r.integer(row, 22);
    q.cluster_review = r.integer(row, 23);
    q.cluster_heat = r.integer(row, 24);
    if (!r.is_null(row, 25)) {
        q.correction = correction_note{static_cast<float>(r.real(row, 25)), std::nullopt};
        if (auto from = r.optional_text(row, 26)) q.correction->moved_from = status_from_string(*from);
    }
    if (!r.is_null(row, 27)) q.question_probability = static_cast<float>(r.real(row, 27));
    q.origin_url = r.optional_text(row, 28);
    return q;
}

event_info read_event(const pg_result& r, int row) {
    return {r.integer(row, 0), r.text(row, 1), r.text(row, 2), r.flag(row, 3), r.integer(row, 4)};
}

bool is_public_row(const std::string& stored_status) {
    return is_public(status_from_string(stored_status).value_or(question_status::pending));
}

std::string placeholders(std::size_t n, int first) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0) out += ", ";
        out += '$';
        out += std::to_string(first + static_cast<int>(i));
    }
    return out;
}

result<std::vector<question>> questions_of(pg_connection& db, const pg_result& r) {
    std::vector<question> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_question(r, i));
    if (status s = load_spans(db, out); !s) return s;
    return out;
}

status load_spans(pg_connection& db, std::vector<question>& qs) {
    if (qs.empty()) return status::ok();
    std::string ids = "{";
    std::unordered_map<std::int64_t, question*> by_id;
    for (question& q : qs) {
        if (ids.size() > 1) ids += ',';
        ids += std::to_string(q.id);
        by_id[q.id] = &q;
    }
    ids += '}';
    auto r = db.exec(
        "SELECT question_id, start, \"end\", attribute, weight, rule FROM question_spans "
        "WHERE question_id = ANY($1::bigint[]) ORDER BY question_id, id",
        pg_params().add(ids), "read spans");
    if (!r) return r.error();
    for (int i = 0; i < r->rows(); ++i) {
        auto it = by_id.find(r->integer(i, 0));
        if (it == by_id.end()) continue;
        span sp;
        sp.start = static_cast<std::size_t>(r->integer(i, 1));
        sp.end = static_cast<std::size_t>(r->integer(i, 2));
        sp.attr = attribute_from_string(r->text(i, 3)).value_or(attribute::toxicity);
        sp.weight = static_cast<float>(r->real(i, 4));
        sp.rule = r->text(i, 5);
        it->second->scored.spans.push_back(std::move(sp));
    }
    return status::ok();
}

result<question> load_question(pg_connection& db, std::int64_t id) {
    auto r = db.exec(std::string(question_columns) + "WHERE q.id = $1", pg_params().add(id),
                     "read question");
    if (!r) return r.error();
    if (r->empty()) return question_missing(id);
    auto qs = questions_of(db, *r);
    if (!qs) return qs.error();
    return std::move(qs->front());
}

result<event_info> load_event(pg_connection& db, const std::string& slug) {
    auto r = db.exec("SELECT id, slug, title, premoderate, created_at FROM events WHERE slug = $1",
                     pg_params().add(slug), "read event");
    if (!r) return r.error();
    if (r->empty())
        return status::error(error_kind::not_found, "event_not_found", "no event '" + slug + "'");
    return read_event(*r, 0);
}

status event_exists(pg_connection& db, std::int64_t event_id) {
    auto r = db.exec("SELECT 1 FROM events WHERE id = $1", pg_params().add(event_id), "read event");
    if (!r) return r.error();
    if (r->empty()) return status::error(error_kind::not_found, "event_not_found", "no such event");
    return status::ok();
}

result<std::optional<question>> load_external(pg_connection& db, std::int64_t event_id,
                                              const std::string& source,
                                              const std::string& external_id) {
    auto r = db.exec(std::string(question_columns) +
                         "WHERE q.event_id = $1 AND coalesce(q.source, '') = $2 AND q.external_id = $3",
                     pg_params().add(event_id).add(source).add(external_id), "read question");
    if (!r) return r.error();
    if (r->empty()) return std::optional<question>{};
    auto qs = questions_of(db, *r);
    if (!qs) return qs.error();
    return std::optional<question>(std::move(qs->front()));
}

std::string_view payload_after(std::string_view payload, int bars) {
    std::size_t at = std::string_view::npos;
    for (int i = 0; i < bars; ++i) {
        at = payload.find('|', at + 1);
        if (at == std::string_view::npos) return {};
    }
    return payload.substr(at + 1);
}

std::string reserve_question_ids_sql(std::size_t n) {
    return "SELECT nextval(pg_get_serial_sequence('questions', 'id')) FROM generate_series(1, " +
           std::to_string(n) + ")";
}

std::vector<std::int64_t> read_ids(const pg_result& r) {
    std::vector<std::int64_t> ids;
    ids.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) ids.push_back(r.integer(i, 0));
    return ids;
}

result<std::vector<std::int64_t>> reserve_question_ids(pg_connection& db, std::size_t n) {
    auto r = db.exec_script(reserve_question_ids_sql(n), "reserve question ids");
    if (!r) return r.error();
    return read_ids(*r);
}

namespace {

// Numbers a change of the event `event_sql` selects (one column, event_id, bound to $1) with
// the event's next sequence number, keeps it in event_changes and announces it (migration
// 0004). The upsert's row lock on the event's counter is held to COMMIT: changes of one
// event commit in the order of their numbers, and NOTIFY delivers them in commit order.
status log_change(pg_connection& db, const char* event_sql, pg_params params,
                  const std::string& payload) {
    std::string sql = "WITH ev AS (";
    sql += event_sql;
    sql += "), s AS (INSERT INTO event_sequences AS e (event_id, seq) SELECT event_id, 1 FROM ev "
           "ON CONFLICT (event_id) DO UPDATE SET seq = e.seq + 1 RETURNING event_id, seq), "
           "l AS (INSERT INTO event_changes (event_id, seq, payload, at) "
           "SELECT event_id, seq, $2::text, $3::bigint FROM s) "
           "SELECT pg_notify('tribune_changes', s.event_id || '|' || s.seq || '|' || $2::text) "
           "FROM s";
    return db.run(sql, params.add(payload).add(now_ms()), "announce change");
}

}  // namespace

std::string lock_numbering_of_event_sql(std::int64_t event_id) {
    // DO UPDATE (to the same value) locks the row whether it was there or not.
    return "INSERT INTO event_sequences AS e (event_id, seq) VALUES (" + std::to_string(event_id) +
           ", 0) ON CONFLICT (event_id) DO UPDATE SET seq = e.seq";
}

status lock_numbering_of_event(pg_connection& db, std::int64_t event_id) {
    return db.run_script(lock_numbering_of_event_sql(event_id), "lock numbering");
}

status lock_numbering_of_question(pg_connection& db, std::int64_t question_id) {
    return db.run("INSERT INTO event_sequences AS e (event_id, seq) "
                  "SELECT event_id, 0 FROM questions WHERE id = $1 "
                  "ON CONFLICT (event_id) DO UPDATE SET seq = e.seq",
                  pg_params().add(question_id), "lock numbering");
}

status notify_change(pg_connection& db, std::int64_t question_id,
                     std::optional<question_status> from, std::string_view actor) {
    // The state and version are read from the row as this transaction left it, so that the
    // payload says what the change made of the question even if a later one is read back.
    std::string head = std::to_string(question_id);
    std::string tail;
    if (from) {
        head += "|moved|";
        head += to_string(*from);
        head += '|';
        tail = "|";
        // NOTIFY payloads are limited to 8000 bytes; an actor is a short name.
        tail += actor.substr(0, 200);
    } else {
        head += "|new|";
    }
    return db.run(
        "WITH ev AS (SELECT event_id, $2::text || status || '|' || version || $3::text AS p "
        "FROM questions WHERE id = $1), "
        "s AS (INSERT INTO event_sequences AS e (event_id, seq) SELECT event_id, 1 FROM ev "
        "ON CONFLICT (event_id) DO UPDATE SET seq = e.seq + 1 RETURNING event_id, seq), "
        "l AS (INSERT INTO event_changes (event_id, seq, payload, at) "
        "SELECT s.event_id, s.seq, ev.p, $4::bigint FROM s, ev) "
        "SELECT pg_notify('tribune_changes', s.event_id || '|' || s.seq || '|' || ev.p) FROM s, ev",
        pg_params().add(question_id).add(head).add(tail).add(now_ms()), "announce change");
}

std::string notify_created_sql(const std::vector<question>& created) {
    pg_array events, payloads;
    for (const question& q : created) {
        events.add(q.event_id);
        std::string payload = std::to_string(q.id) + "|new|";
        payload += to_string(q.status);
        payload += '|';
        payload += std::to_string(q.version);
        payloads.add(payload);
    }
    // Each event's counter moves once by its count of changes (the upsert's row lock is the
    // numbering lock the transaction already holds); the changes then take the numbers
    // last - count + 1 .. last in the order given. pg_notify is volatile, so it runs after
    // the sort: notifications leave in number order. The literals hold digits, commas,
    // quotes, '|', digits and state names: nothing to escape.
    return "WITH c AS (SELECT e, p, o FROM unnest('" + events.literal() + "'::bigint[], '" +
           payloads.literal() + "'::text[]) WITH ORDINALITY AS x(e, p, o)), "
           "n AS (SELECT e, count(*) AS k FROM c GROUP BY e), "
           "s AS (INSERT INTO event_sequences AS es (event_id, seq) SELECT e, k FROM n ORDER BY e "
           "ON CONFLICT (event_id) DO UPDATE SET seq = es.seq + excluded.seq "
           "RETURNING event_id, seq), "
           "m AS (SELECT c.e, c.p, s.seq - n.k + row_number() OVER (PARTITION BY c.e ORDER BY c.o) "
           "AS seq FROM c JOIN n ON n.e = c.e JOIN s ON s.event_id = c.e), "
           "l AS (INSERT INTO event_changes (event_id, seq, payload, at) "
           "SELECT e, seq, p, " + std::to_string(now_ms()) + "::bigint FROM m) "
           "SELECT pg_notify('tribune_changes', e || '|' || seq || '|' || p) FROM m ORDER BY e, seq";
}

status notify_shortlist(pg_connection& db, const std::string& event_slug,
                        std::string_view action, std::int64_t question_id,
                        std::string_view actor) {
    std::string payload = "s|";
    payload += action.substr(0, 40);
    payload += '|';
    payload += std::to_string(question_id);
    payload += '|';
    payload += actor.substr(0, 200);
    return log_change(db, "SELECT id AS event_id FROM events WHERE slug = $1",
                      pg_params().add(event_slug), payload);
}

}  // namespace tribune::pg_rows
