// sqlite_store as a webhook_store: webhooks per event, their outbox and their delivery log
// (migration 0007), and queue_webhooks(), which fills the outbox in the transaction of each
// audit row (see core/service/webhook_service.hpp for why there and not in a trigger).

#include "core/domain/webhook_event.hpp"
#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/store_rules.hpp"
#include "core/util/split.hpp"

namespace tribune {

using namespace sqlite_rows;

namespace {

constexpr std::string_view hook_columns =
    "SELECT h.id, h.event_id, e.slug, h.url, h.secret, h.events, h.created_by, h.created_at, "
    "h.disabled_at, coalesce(h.disabled_reason, ''), h.consecutive_failures, h.next_attempt_at "
    "FROM webhooks h JOIN events e ON e.id = h.event_id ";


webhook read_hook(const sqlite_statement& s) {
    webhook w;
    w.id = s.column_int(0);
    w.event_id = s.column_int(1);
    w.event_slug = s.column_text(2);
    w.url = s.column_text(3);
    w.secret = s.column_text(4);
    w.events = split_nonempty(s.column_text(5), ',');
    w.created_by = s.column_text(6);
    w.created_at = s.column_int(7);
    if (!s.column_is_null(8)) w.disabled_at = s.column_int(8);
    w.disabled_reason = s.column_text(9);
    w.consecutive_failures = s.column_int(10);
    w.next_attempt_at = s.column_int(11);
    return w;
}

result<webhook> load_hook(sqlite_connection& db, std::int64_t id) {
    auto q = db.prepare(std::string(hook_columns) + "WHERE h.id = ?");
    if (!q) return q.error();
    q->bind(1, id);
    int rc = q->step();
    if (rc == SQLITE_DONE) return webhook_missing(id);
    if (rc != SQLITE_ROW) return db.last_error("read webhook");
    return read_hook(*q);
}

// A row of due_deliveries()' query.
pending_delivery read_delivery(const sqlite_statement& q) {
    pending_delivery p;
    p.outbox_id = q.column_int(0);
    p.delivery_id = q.column_text(1);
    p.hook_id = q.column_int(2);
    p.url = q.column_text(3);
    p.secret = q.column_text(4);
    p.event_slug = q.column_text(5);
    p.type = q.column_text(6);
    p.question_id = q.column_int(7);
    p.attempts = q.column_int(8);
    p.hook_failures = q.column_int(9);
    p.cause.id = q.column_int(10);
    p.cause.question_id = p.question_id;
    p.cause.actor = q.column_text(11);
    p.cause.action = q.column_text(12);
    if (!q.column_is_null(13)) p.cause.from = status_from_string(q.column_text(13));
    p.cause.to = status_from_string(q.column_text(14)).value_or(question_status::pending);
    p.cause.reason = q.column_text(15);
    p.cause.at = q.column_int(16);
    return p;
}

// A row of the delivery log's query in list_attempts().
webhook_attempt read_attempt(const sqlite_statement& q) {
    webhook_attempt a;
    a.id = q.column_int(0);
    a.hook_id = q.column_int(1);
    a.delivery_id = q.column_text(2);
    a.type = q.column_text(3);
    a.question_id = q.column_int(4);
    a.attempt = q.column_int(5);
    a.at = q.column_int(6);
    if (!q.column_is_null(7)) a.http_status = static_cast<int>(q.column_int(7));
    a.error = q.column_text(8);
    a.duration_ms = q.column_int(9);
    if (!q.column_is_null(10)) a.retry_in_ms = q.column_int(10);
    a.outcome = q.column_text(11);
    return a;
}

status exec_bound(sqlite_connection& db, std::string_view sql, std::int64_t a, std::string_view what) {
    auto st = db.prepare(sql);
    if (!st) return st.error();
    st->bind(1, a);
    if (st->step() != SQLITE_DONE) return db.last_error(what);
    return status::ok();
}

}  // namespace

result<webhook> sqlite_store::create_webhook(const new_webhook& w) {
    std::lock_guard lock(write_mutex_);
    sqlite_connection& db = writer_;
    auto written = in_transaction<webhook>(db, [&]() -> result<webhook> {
        auto ins = db.prepare(
            "INSERT INTO webhooks (event_id, url, secret, events, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)");
        if (!ins) return ins.error();
        ins->bind(1, w.event_id);
        ins->bind(2, std::string_view(w.url));
        ins->bind(3, std::string_view(w.secret));
        ins->bind(4, std::string_view(pack_webhook_events(w.events)));
        ins->bind(5, std::string_view(w.created_by));
        ins->bind(6, w.created_at);
        if (status st = step_done(db, *ins, "create webhook"); !st) return st;
        return load_hook(db, sqlite3_last_insert_rowid(db.get()));
    });
    reload_hooked_events();  // whether committed or not
    return written;
}

result<std::vector<webhook>> sqlite_store::list_webhooks(std::optional<std::int64_t> event_id) {
    reader_lease db(*this);
    auto q = db->prepare(std::string(hook_columns) +
                         (event_id ? "WHERE h.event_id = ? ORDER BY h.id" : "ORDER BY h.id"));
    if (!q) return q.error();
    if (event_id) q->bind(1, *event_id);
    std::vector<webhook> out;
    int rc;
    while ((rc = q->step()) == SQLITE_ROW) out.push_back(read_hook(*q));
    if (rc != SQLITE_DONE) return db->last_error("list webhooks");
    return out;
}

result<webhook> sqlite_store::get_webhook(std::int64_t id) {
    reader_lease db(*this);
    return load_hook(*db, id);
}

result<webhook> sqlite_store::update_webhook(std::int64_t id, const webhook_update& u) {
    std::lock_guard lock(write_mutex_);
    sqlite_connection& db = writer_;
    auto written = in_transaction<webhook>(db, [&]() -> result<webhook> {
        auto current = load_hook(db, id);
        if (!current) return current.error();
        const webhook w = updated_webhook(std::move(current.value()), u);
        auto upd = db.prepare(
            "UPDATE webhooks SET url = ?, events = ?, secret = ?, disabled_at = ?, "
            "disabled_reason = ?, consecutive_failures = ?, next_attempt_at = ? WHERE id = ?");
        if (!upd) return upd.error();
        upd->bind(1, std::string_view(w.url));
        upd->bind(2, std::string_view(pack_webhook_events(w.events)));
        upd->bind(3, std::string_view(w.secret));
        if (w.disabled_at) upd->bind(4, *w.disabled_at);
        if (w.disabled_at) upd->bind(5, std::string_view(w.disabled_reason));
        upd->bind(6, w.consecutive_failures);
        upd->bind(7, w.next_attempt_at);
        upd->bind(8, id);
        if (status st = step_done(db, *upd, "update webhook"); !st) return st;
        return load_hook(db, id);
    });
    reload_hooked_events();  // whether committed or not
    return written;
}

status sqlite_store::delete_webhook(std::int64_t id) {
    std::lock_guard lock(write_mutex_);
    sqlite_connection& db = writer_;
    auto written = in_transaction_status(db, [&]() -> status {
        if (auto h = load_hook(db, id); !h) return h.error();
        for (std::string_view sql : {"DELETE FROM webhook_outbox WHERE hook_id = ?",
                                     "DELETE FROM webhook_attempts WHERE hook_id = ?",
                                     "DELETE FROM webhooks WHERE id = ?"})
            if (status st = exec_bound(db, sql, id, "delete webhook"); !st) return st;
        return status::ok();
    });
    reload_hooked_events();  // whether committed or not
    return written;
}

result<std::vector<pending_delivery>> sqlite_store::due_deliveries(
    timestamp_ms now, const std::set<std::int64_t>& busy, std::size_t limit) {
    reader_lease db(*this);
    // Each enabled hook's oldest owed delivery, with the audit row that caused it.
    auto q = db->prepare(
        "SELECT o.id, o.delivery_id, h.id, h.url, h.secret, e.slug, o.type, o.question_id, "
        "o.attempts, h.consecutive_failures, d.id, d.actor, d.action, d.from_status, "
        "d.to_status, d.reason, d.at "
        "FROM webhooks h JOIN events e ON e.id = h.event_id "
        "JOIN webhook_outbox o ON o.id = (SELECT min(id) FROM webhook_outbox WHERE hook_id = h.id) "
        "JOIN decisions d ON d.id = o.decision_id "
        "WHERE h.disabled_at IS NULL AND h.next_attempt_at <= ? ORDER BY o.id");
    if (!q) return q.error();
    q->bind(1, now);
    std::vector<pending_delivery> out;
    int rc = SQLITE_DONE;
    while (out.size() < limit && (rc = q->step()) == SQLITE_ROW) {
        if (busy.count(q->column_int(2)) > 0) continue;
        out.push_back(read_delivery(*q));
    }
    if (out.size() < limit && rc != SQLITE_DONE) return db->last_error("read webhook outbox");
    return out;
}

status sqlite_store::record_attempts(const std::vector<attempt_record>& rs) {
    if (rs.empty()) return status::ok();
    std::lock_guard lock(write_mutex_);
    sqlite_connection& db = writer_;
    auto written = in_transaction_status(db, [&]() -> status {
        auto log = db.prepare(
            "INSERT INTO webhook_attempts (hook_id, delivery_id, type, question_id, attempt, at, "
            "http_status, error, duration_ms, retry_in_ms, outcome) "
            "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM webhooks WHERE id = ?)");
        auto done = db.prepare("DELETE FROM webhook_outbox WHERE id = ?");
        auto again = db.prepare("UPDATE webhook_outbox SET attempts = attempts + 1 WHERE id = ?");
        auto hook = db.prepare(
            "UPDATE webhooks SET consecutive_failures = ?, next_attempt_at = ?, "
            "disabled_at = coalesce(disabled_at, ?), "
            "disabled_reason = CASE WHEN ? IS NULL THEN disabled_reason ELSE ? END WHERE id = ?");
        if (!log) return log.error();
        if (!done) return done.error();
        if (!again) return again.error();
        if (!hook) return hook.error();
        for (const attempt_record& r : rs) {
            const webhook_attempt& a = r.log;
            log->bind(1, a.hook_id);
            log->bind(2, std::string_view(a.delivery_id));
            log->bind(3, std::string_view(a.type));
            log->bind(4, a.question_id);
            log->bind(5, a.attempt);
            log->bind(6, a.at);
            if (a.http_status) log->bind(7, std::int64_t{*a.http_status});
            if (!a.error.empty()) log->bind(8, std::string_view(a.error));
            log->bind(9, a.duration_ms);
            if (a.retry_in_ms) log->bind(10, *a.retry_in_ms);
            log->bind(11, std::string_view(a.outcome));
            log->bind(12, a.hook_id);
            if (log->step() != SQLITE_DONE) return db.last_error("log webhook attempt");
            log->reset();
            sqlite_statement& o = r.delivered ? *done : *again;
            o.bind(1, r.outbox_id);
            if (o.step() != SQLITE_DONE) return db.last_error("update webhook outbox");
            o.reset();
            hook->bind(1, r.hook_failures);
            hook->bind(2, r.hook_next_attempt_at);
            if (r.disable_reason) {
                hook->bind(3, a.at + a.duration_ms);
                hook->bind(4, std::string_view(*r.disable_reason));
                hook->bind(5, std::string_view(*r.disable_reason));
            }
            hook->bind(6, a.hook_id);
            if (hook->step() != SQLITE_DONE) return db.last_error("update webhook state");
            hook->reset();
        }
        return status::ok();
    });
    reload_hooked_events();  // whether committed or not
    return written;
}

result<std::map<std::int64_t, std::int64_t>> sqlite_store::backlog() {
    reader_lease db(*this);
    auto q = db->prepare("SELECT hook_id, count(*) FROM webhook_outbox GROUP BY hook_id");
    if (!q) return q.error();
    std::map<std::int64_t, std::int64_t> out;
    int rc;
    while ((rc = q->step()) == SQLITE_ROW) out[q->column_int(0)] = q->column_int(1);
    if (rc != SQLITE_DONE) return db->last_error("count webhook outbox");
    return out;
}

status sqlite_store::disable_webhook(std::int64_t id, const std::string& reason,
                                     timestamp_ms at) {
    std::lock_guard lock(write_mutex_);
    sqlite_connection& db = writer_;
    auto written = in_transaction_status(db, [&]() -> status {
        auto upd = db.prepare(
            "UPDATE webhooks SET disabled_at = coalesce(disabled_at, ?), disabled_reason = ? "
            "WHERE id = ?");
        if (!upd) return upd.error();
        upd->bind(1, at);
        upd->bind(2, std::string_view(reason));
        upd->bind(3, id);
        if (upd->step() != SQLITE_DONE) return db.last_error("disable webhook");
        return sqlite3_changes(db.get()) == 0 ? webhook_missing(id) : status::ok();
    });
    reload_hooked_events();  // whether committed or not
    return written;
}

result<std::vector<webhook_attempt>> sqlite_store::list_attempts(std::int64_t hook_id,
                                                                 std::int64_t before_id,
                                                                 std::size_t limit) {
    reader_lease db(*this);
    auto q = db->prepare(
        "SELECT id, hook_id, delivery_id, type, question_id, attempt, at, http_status, "
        "coalesce(error, ''), duration_ms, retry_in_ms, outcome FROM webhook_attempts "
        "WHERE hook_id = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?");
    if (!q) return q.error();
    q->bind(1, hook_id);
    q->bind(2, before_id);
    q->bind(3, before_id);
    q->bind(4, static_cast<std::int64_t>(limit));
    std::vector<webhook_attempt> out;
    int rc;
    while ((rc = q->step()) == SQLITE_ROW) out.push_back(read_attempt(*q));
    if (rc != SQLITE_DONE) return db->last_error("read webhook log");
    return out;
}

status sqlite_store::prune_attempts(std::size_t keep) {
    std::lock_guard lock(write_mutex_);
    sqlite_connection& db = writer_;
    return in_transaction_status(db, [&]() -> status {
        auto del = db.prepare(
            "DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM (SELECT id, row_number() "
            "OVER (PARTITION BY hook_id ORDER BY id DESC) AS n FROM webhook_attempts) WHERE n > ?)");
        if (!del) return del.error();
        del->bind(1, static_cast<std::int64_t>(keep));
        return del->step() == SQLITE_DONE ? status::ok() : db.last_error("trim webhook log");
    });
}

void sqlite_store::reload_hooked_events() {
    hooked_events_.reset();
    auto q = writer_.prepare("SELECT DISTINCT event_id FROM webhooks WHERE disabled_at IS NULL");
    if (!q) return;
    std::unordered_set<std::int64_t> events;
    int rc;
    while ((rc = q->step()) == SQLITE_ROW) events.insert(q->column_int(0));
    if (rc == SQLITE_DONE) hooked_events_ = std::move(events);
}

status sqlite_store::queue_webhooks(std::int64_t event_id, std::int64_t question_id,
                                    std::int64_t decision_id, std::string_view action,
                                    std::optional<question_status> from, question_status to) {
    if (hooked_events_ && !hooked_events_->contains(event_id)) return status::ok();
    const auto type = webhook_event_of(action, from, to);
    if (!type) return status::ok();
    if (queue_webhooks_.empty())
        if (status s = prepare_into(writer_, queue_webhooks_,
                "INSERT INTO webhook_outbox (delivery_id, hook_id, type, question_id, decision_id) "
                "SELECT lower(hex(randomblob(16))), id, ?1, ?2, ?3 FROM webhooks WHERE event_id = ?4 "
                "AND disabled_at IS NULL AND instr(events, ',' || ?1 || ',') > 0");
            !s)
            return s;
    sqlite_statement& ins = queue_webhooks_;
    ins.reset();
    ins.bind(1, to_string(*type));
    ins.bind(2, question_id);
    ins.bind(3, decision_id);
    ins.bind(4, event_id);
    return step_done(writer_, ins, "queue webhook deliveries");
}

}  // namespace tribune
