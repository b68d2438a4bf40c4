// postgres_store as a webhook_store: webhooks per event, their outbox and their delivery log,
// and queue_webhooks(), which fills the outbox in the transaction of each audit row.
//
// Unlike sqlite_store, no process-local cache of "events with a hook" is kept: another
// instance may create a hook at any time, so the outbox insert always runs (an INSERT ...
// SELECT over the webhooks_event index; nothing is inserted for an event without hooks).
// With several instances each one's dispatcher reads the same outbox: due_deliveries() claims
// the hooks it hands out (FOR UPDATE SKIP LOCKED, then a claim that lasts webhook_claim_ms,
// released by record_attempts(), or by release_claims() for the attempts a stopping instance
// abandons), so one delivery is attempted by one instance at a time. A claim of an instance
// that died expires, and another instance delivers (at-least-once, as documented; receivers
// deduplicate by delivery id).

#include "core/domain/webhook_event.hpp"
#include "core/postgres/pg_array.hpp"
#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/store/store_rules.hpp"
#include "core/util/split.hpp"

namespace tribune {

using namespace pg_rows;

namespace {

// Longer than any delivery attempt (config::webhook_timeout).
constexpr timestamp_ms webhook_claim_ms = 60'000;

constexpr std::string_view hook_columns =
    "SELECT h.id, h.event_id, e.slug, h.url, h.secret, h.events, h.created_by, h.created_at, "
    "h.disabled_at, coalesce(h.disabled_reason, ''), h.consecutive_failures, h.next_attempt_at "
    "FROM webhooks h JOIN events e ON e.id = h.event_id ";


webhook read_hook(const pg_result& r, int i) {
    webhook w;
    w.id = r.integer(i, 0);
    w.event_id = r.integer(i, 1);
    w.event_slug = r.text(i, 2);
    w.url = r.text(i, 3);
    w.secret = r.text(i, 4);
    w.events = split_nonempty(r.text(i, 5), ',');
    w.created_by = r.text(i, 6);
    w.created_at = r.integer(i, 7);
    if (!r.is_null(i, 8)) w.disabled_at = r.integer(i, 8);
    w.disabled_reason = r.text(i, 9);
    w.consecutive_failures = r.integer(i, 10);
    w.next_attempt_at = r.integer(i, 11);
    return w;
}

result<webhook> load_hook(pg_connection& db, std::int64_t id, bool lock = false) {
    auto r = db.exec(std::string(hook_columns) + "WHERE h.id = $1" + (lock ? " FOR UPDATE OF h" : ""),
                     pg_params().add(id), "read webhook");
    if (!r) return r.error();
    if (r->empty()) return webhook_missing(id);
    return read_hook(*r, 0);
}

pending_delivery read_delivery(const pg_result& q, int i) {
    pending_delivery p;
    p.outbox_id = q.integer(i, 0);
    p.delivery_id = q.text(i, 1);
    p.hook_id = q.integer(i, 2);
    p.url = q.text(i, 3);
    p.secret = q.text(i, 4);
    p.event_slug = q.text(i, 5);
    p.type = q.text(i, 6);
    p.question_id = q.integer(i, 7);
    p.attempts = q.integer(i, 8);
    p.hook_failures = q.integer(i, 9);
    p.cause.id = q.integer(i, 10);
    p.cause.question_id = p.question_id;
    p.cause.actor = q.text(i, 11);
    p.cause.action = q.text(i, 12);
    if (!q.is_null(i, 13)) p.cause.from = status_from_string(q.text(i, 13));
    p.cause.to = status_from_string(q.text(i, 14)).value_or(question_status::pending);
    p.cause.reason = q.text(i, 15);
    p.cause.at = q.integer(i, 16);
    return p;
}

webhook_attempt read_attempt(const pg_result& q, int i) {
    webhook_attempt a;
    a.id = q.integer(i, 0);
    a.hook_id = q.integer(i, 1);
    a.delivery_id = q.text(i, 2);
    a.type = q.text(i, 3);
    a.question_id = q.integer(i, 4);
    a.attempt = q.integer(i, 5);
    a.at = q.integer(i, 6);
    if (!q.is_null(i, 7)) a.http_status = static_cast<int>(q.integer(i, 7));
    a.error = q.text(i, 8);
    a.duration_ms = q.integer(i, 9);
    if (!q.is_null(i, 10)) a.retry_in_ms = q.integer(i, 10);
    a.outcome = q.text(i, 11);
    return a;
}

}  // namespace

namespace pg_rows {

status queue_webhooks(pg_connection& db, std::int64_t event_id, std::int64_t question_id,
                      std::int64_t decision_id, std::string_view action,
                      std::optional<question_status> from, question_status to) {
    return queue_webhooks(db, {{event_id, question_id, decision_id, action, from, to}});
}

status queue_webhooks(pg_connection& db, const std::vector<audited_change>& changes) {
    pg_array types, questions, decisions, events;
    for (const audited_change& c : changes) {
        const auto type = webhook_event_of(c.action, c.from, c.to);
        if (!type) continue;
        types.add(to_string(*type));
        questions.add(c.question_id);
        decisions.add(c.decision_id);
        events.add(c.event_id);
    }
    if (types.size() == 0) return status::ok();
    return db.run(
        "INSERT INTO webhook_outbox (delivery_id, hook_id, type, question_id, decision_id) "
        "SELECT replace(gen_random_uuid()::text, '-', ''), w.id, x.t, x.q, x.d "
        "FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) WITH ORDINALITY "
        "AS x(t, q, d, e, o) JOIN webhooks w ON w.event_id = x.e AND w.disabled_at IS NULL "
        "AND strpos(w.events, ',' || x.t || ',') > 0 ORDER BY x.o, w.id",
        pg_params().add(types.literal()).add(questions.literal()).add(decisions.literal())
            .add(events.literal()),
        "queue webhook deliveries");
}

}  // namespace pg_rows

result<webhook> postgres_store::create_webhook(const new_webhook& w) {
    lease db(*this);
    auto r = db->exec(
        "INSERT INTO webhooks (event_id, url, secret, events, created_by, created_at) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        pg_params().add(w.event_id).add(w.url).add(w.secret).add(pack_webhook_events(w.events))
            .add(w.created_by).add(w.created_at),
        "create webhook");
    if (!r) return r.error();
    return load_hook(*db, r->integer(0, 0));
}

result<std::vector<webhook>> postgres_store::list_webhooks(std::optional<std::int64_t> event_id) {
    lease db(*this);
    pg_params p;
    if (event_id) p.add(*event_id);
    auto r = db->exec(std::string(hook_columns) +
                          (event_id ? "WHERE h.event_id = $1 ORDER BY h.id" : "ORDER BY h.id"),
                      p, "list webhooks");
    if (!r) return r.error();
    std::vector<webhook> out;
    for (int i = 0; i < r->rows(); ++i) out.push_back(read_hook(*r, i));
    return out;
}

result<webhook> postgres_store::get_webhook(std::int64_t id) {
    lease db(*this);
    return load_hook(*db, id);
}

result<webhook> postgres_store::update_webhook(std::int64_t id, const webhook_update& u) {
    lease db(*this);
    return in_transaction<webhook>(*db, [&]() -> result<webhook> {
        auto current = load_hook(*db, id, true);
        if (!current) return current.error();
        const webhook w = updated_webhook(std::move(current.value()), u);
        pg_params p;
        p.add(w.url).add(pack_webhook_events(w.events)).add(w.secret).add(w.disabled_at);
        if (w.disabled_at) p.add(w.disabled_reason);
        else p.add_null();
        p.add(w.consecutive_failures).add(w.next_attempt_at).add(id);
        if (status s = db->run("UPDATE webhooks SET url = $1, events = $2, secret = $3, "
                               "disabled_at = $4, disabled_reason = $5, consecutive_failures = $6, "
                               "next_attempt_at = $7 WHERE id = $8",
                               p, "update webhook");
            !s)
            return s;
        return load_hook(*db, id);
    });
}

status postgres_store::delete_webhook(std::int64_t id) {
    lease db(*this);
    return in_transaction_status(*db, [&]() -> status {
        if (auto h = load_hook(*db, id, true); !h) return h.error();
        for (std::string_view sql : {"DELETE FROM webhook_outbox WHERE hook_id = $1",
                                     "DELETE FROM webhook_attempts WHERE hook_id = $1",
                                     "DELETE FROM webhooks WHERE id = $1"})
            if (status s = db->run(sql, pg_params().add(id), "delete webhook"); !s) return s;
        return status::ok();
    });
}

result<std::vector<pending_delivery>> postgres_store::due_deliveries(
    timestamp_ms now, const std::set<std::int64_t>& busy, std::size_t limit) {
    lease db(*this);
    // Claims the due hooks first (see migration 0004): another instance's claimed or locked
    // hooks are skipped, so that no delivery is attempted twice at once.
    std::string busy_ids = "{";
    for (std::int64_t id : busy) {
        if (busy_ids.size() > 1) busy_ids += ',';
        busy_ids += std::to_string(id);
    }
    busy_ids += '}';
    auto r = db->exec(
        "WITH c AS (SELECT h.id FROM webhooks h WHERE h.disabled_at IS NULL "
        "AND h.next_attempt_at <= $1 AND h.claimed_until <= $1 AND NOT (h.id = ANY($3::bigint[])) "
        "AND EXISTS (SELECT 1 FROM webhook_outbox o WHERE o.hook_id = h.id) "
        "ORDER BY h.id LIMIT $4 FOR UPDATE SKIP LOCKED), "
        "u AS (UPDATE webhooks w SET claimed_until = $2 FROM c WHERE w.id = c.id RETURNING w.id) "
        "SELECT o.id, o.delivery_id, h.id, h.url, h.secret, e.slug, o.type, o.question_id, "
        "o.attempts, h.consecutive_failures, d.id, d.actor, d.action, d.from_status, "
        "d.to_status, d.reason, d.at "
        "FROM u JOIN webhooks h ON h.id = u.id JOIN events e ON e.id = h.event_id "
        "JOIN webhook_outbox o ON o.id = (SELECT min(id) FROM webhook_outbox WHERE hook_id = h.id) "
        "JOIN decisions d ON d.id = o.decision_id ORDER BY o.id",
        pg_params().add(now).add(now + webhook_claim_ms).add(busy_ids)
            .add(static_cast<std::int64_t>(limit)),
        "claim webhook deliveries");
    if (!r) return r.error();
    std::vector<pending_delivery> out;
    for (int i = 0; i < r->rows(); ++i) out.push_back(read_delivery(*r, i));
    return out;
}

status postgres_store::record_attempts(const std::vector<attempt_record>& rs) {
    if (rs.empty()) return status::ok();
    lease db(*this);
    return in_transaction_status(*db, [&]() -> status {
        for (const attempt_record& r : rs) {
            const webhook_attempt& a = r.log;
            pg_params log;
            log.add(a.hook_id).add(a.delivery_id).add(a.type).add(a.question_id).add(a.attempt)
                .add(a.at);
            if (a.http_status) log.add(std::int64_t{*a.http_status});
            else log.add_null();
            if (!a.error.empty()) log.add(a.error);
            else log.add_null();
            log.add(a.duration_ms).add(a.retry_in_ms).add(a.outcome);
            if (status s = db->run(
                    "INSERT INTO webhook_attempts (hook_id, delivery_id, type, question_id, attempt, "
                    "at, http_status, error, duration_ms, retry_in_ms, outcome) "
                    "SELECT $1::bigint, $2::text, $3::text, $4::bigint, $5::bigint, $6::bigint, "
                    "$7::integer, $8::text, $9::bigint, $10::bigint, $11::text "
                    "WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = $1::bigint)",
                    log, "log webhook attempt");
                !s)
                return s;
            if (status s = db->run(r.delivered ? "DELETE FROM webhook_outbox WHERE id = $1"
                                               : "UPDATE webhook_outbox SET attempts = attempts + 1 "
                                                 "WHERE id = $1",
                                   pg_params().add(r.outbox_id), "update webhook outbox");
                !s)
                return s;
            pg_params hook;
            hook.add(r.hook_failures).add(r.hook_next_attempt_at);
            if (r.disable_reason) hook.add(a.at + a.duration_ms).add(*r.disable_reason);
            else hook.add_null().add_null();
            hook.add(a.hook_id);
            if (status s = db->run("UPDATE webhooks SET consecutive_failures = $1, claimed_until = 0, "
                                   "next_attempt_at = $2, disabled_at = coalesce(disabled_at, $3::bigint), "
                                   "disabled_reason = coalesce($4::text, disabled_reason) WHERE id = $5",
                                   hook, "update webhook state");
                !s)
                return s;
        }
        return status::ok();
    });
}

status postgres_store::release_claims(const std::set<std::int64_t>& hook_ids) {
    if (hook_ids.empty()) return status::ok();
    pg_array ids;
    for (std::int64_t id : hook_ids) ids.add(id);
    lease db(*this);
    return db->run("UPDATE webhooks SET claimed_until = 0 WHERE id = ANY($1::bigint[])",
                   pg_params().add(ids.literal()), "release webhook claims");
}

result<std::map<std::int64_t, std::int64_t>> postgres_store::backlog() {
    lease db(*this);
    auto r = db->exec("SELECT hook_id, count(*) FROM webhook_outbox GROUP BY hook_id", {},
                      "count webhook outbox");
    if (!r) return r.error();
    std::map<std::int64_t, std::int64_t> out;
    for (int i = 0; i < r->rows(); ++i) out[r->integer(i, 0)] = r->integer(i, 1);
    return out;
}

status postgres_store::disable_webhook(std::int64_t id, const std::string& reason,
                                       timestamp_ms at) {
    lease db(*this);
    auto r = db->exec("UPDATE webhooks SET disabled_at = coalesce(disabled_at, $1), "
                      "disabled_reason = $2 WHERE id = $3",
                      pg_params().add(at).add(reason).add(id), "disable webhook");
    if (!r) return r.error();
    return r->affected() == 0 ? webhook_missing(id) : status::ok();
}

result<std::vector<webhook_attempt>> postgres_store::list_attempts(std::int64_t hook_id,
                                                                   std::int64_t before_id,
                                                                   std::size_t limit) {
    lease db(*this);
    auto r = db->exec(
        "SELECT id, hook_id, delivery_id, type, question_id, attempt, at, http_status, "
        "coalesce(error, ''), duration_ms, retry_in_ms, outcome FROM webhook_attempts "
        "WHERE hook_id = $1 AND ($2::bigint = 0 OR id < $2::bigint) ORDER BY id DESC LIMIT $3",
        pg_params().add(hook_id).add(before_id).add(static_cast<std::int64_t>(limit)),
        "read webhook log");
    if (!r) return r.error();
    std::vector<webhook_attempt> out;
    for (int i = 0; i < r->rows(); ++i) out.push_back(read_attempt(*r, i));
    return out;
}

status postgres_store::prune_attempts(std::size_t keep) {
    lease db(*this);
    return db->run("DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM (SELECT id, "
                   "row_number() OVER (PARTITION BY hook_id ORDER BY id DESC) AS n FROM "
                   "webhook_attempts) ranked WHERE n > $1)",
                   pg_params().add(static_cast<std::int64_t>(keep)), "trim webhook log");
}

}  // namespace tribune
