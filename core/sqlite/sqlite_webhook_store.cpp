#include "core/sqlite/sqlite_webhook_store.hpp"

#include "core/util/split.hpp"

namespace tribune {
namespace {

constexpr std::string_view hook_columns =
    "SELECT h.id, h.event_id, e.slug, h.url, h.secret, h.events, h.created_by, h.created_at, "
    "h.disabled_at, coalesce(h.disabled_reason, ''), h.consecutive_failures, h.next_attempt_at "
    "FROM webhooks h JOIN events e ON e.id = h.event_id ";

// {a, b} -> ",a,b," (read back with split_nonempty)
std::string pack_events(const std::vector<std::string>& events) {
    std::string out = ",";
    for (const std::string& e : events) out += e + ",";
    return out;
}

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

status not_found(std::int64_t id) {
    return status::error(error_kind::not_found, "webhook_not_found",
                         "no webhook with id " + std::to_string(id));
}

result<webhook> load_hook(sqlite_connection& db, std::int64_t id) {
    auto q = db.prepare(std::string(hook_columns) + "WHERE h.id = ?");
    if (!q) return q.error();
    q->bind(1, id);
    int rc = q->step();
    if (rc == SQLITE_DONE) return not_found(id);
    if (rc != SQLITE_ROW) return db.last_error("read webhook");
    return read_hook(*q);
}

status exec_bound(sqlite_connection& db, std::string_view sql, std::int64_t a, std::string_view what) {
    auto st = db.prepare(sql);
    if (!st) return st.error();
    st->bind(1, a);
    if (st->step() != SQLITE_DONE) return db.last_error(what);
    return status::ok();
}

}  // namespace

result<webhook> sqlite_webhook_store::create_webhook(const new_webhook& w) {
    result<webhook> out = status::error(error_kind::internal, "unset", "");
    status st = db_.write_transaction([&](sqlite_connection& db) -> status {
        auto ins = db.prepare(
            "INSERT INTO webhooks (event_id, url, secret, events, created_by, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)");
        if (!ins) return ins.error();
        ins->bind(1, w.event_id);
        ins->bind(2, std::string_view(w.url));
        ins->bind(3, std::string_view(w.secret));
        ins->bind(4, std::string_view(pack_events(w.events)));
        ins->bind(5, std::string_view(w.created_by));
        ins->bind(6, w.created_at);
        if (ins->step() != SQLITE_DONE) return db.last_error("create webhook");
        out = load_hook(db, sqlite3_last_insert_rowid(db.get()));
        return out ? status::ok() : out.error();
    });
    if (!st) return st;
    return out;
}

result<std::vector<webhook>> sqlite_webhook_store::list_webhooks(std::optional<std::int64_t> event_id) {
    std::vector<webhook> out;
    status st = db_.read([&](sqlite_connection& db) -> status {
        auto q = db.prepare(std::string(hook_columns) +
                            (event_id ? "WHERE h.event_id = ? ORDER BY h.id" : "ORDER BY h.id"));
        if (!q) return q.error();
        if (event_id) q->bind(1, *event_id);
        int rc;
        while ((rc = q->step()) == SQLITE_ROW) out.push_back(read_hook(*q));
        return rc == SQLITE_DONE ? status::ok() : db.last_error("list webhooks");
    });
    if (!st) return st;
    return out;
}

result<webhook> sqlite_webhook_store::get_webhook(std::int64_t id) {
    result<webhook> out = not_found(id);
    status st = db_.read([&](sqlite_connection& db) -> status {
        out = load_hook(db, id);
        return status::ok();
    });
    if (!st) return st;
    return out;
}

result<webhook> sqlite_webhook_store::update_webhook(std::int64_t id, const webhook_update& u) {
    result<webhook> out = not_found(id);
    status st = db_.write_transaction([&](sqlite_connection& db) -> status {
        auto current = load_hook(db, id);
        if (!current) return current.error();
        webhook w = std::move(current.value());
        if (u.url) w.url = *u.url;
        if (u.events) w.events = *u.events;
        if (u.secret) w.secret = *u.secret;
        if (u.enabled && *u.enabled && w.disabled_at) {
            w.disabled_at.reset();
            w.disabled_reason.clear();
            w.consecutive_failures = 0;
            w.next_attempt_at = 0;
        } else if (u.enabled && !*u.enabled && !w.disabled_at) {
            w.disabled_at = u.at;
            w.disabled_reason = "disabled by an admin";
        }
        auto upd = db.prepare(
            "UPDATE webhooks SET url = ?, events = ?, secret = ?, disabled_at = ?, "
            "disabled_reason = ?, consecutive_failures = ?, next_attempt_at = ? WHERE id = ?");
        if (!upd) return upd.error();
        upd->bind(1, std::string_view(w.url));
        upd->bind(2, std::string_view(pack_events(w.events)));
        upd->bind(3, std::string_view(w.secret));
        if (w.disabled_at) upd->bind(4, *w.disabled_at);
        if (w.disabled_at) upd->bind(5, std::string_view(w.disabled_reason));
        upd->bind(6, w.consecutive_failures);
        upd->bind(7, w.next_attempt_at);
        upd->bind(8, id);
        if (upd->step() != SQLITE_DONE) return db.last_error("update webhook");
        out = load_hook(db, id);
        return out ? status::ok() : out.error();
    });
    if (!st) return st;
    return out;
}

status sqlite_webhook_store::delete_webhook(std::int64_t id) {
    return db_.write_transaction([&](sqlite_connection& db) -> status {
        if (auto h = load_hook(db, id); !h) return h.error();
        for (std::string_view sql : {"DELETE FROM webhook_outbox WHERE hook_id = ?",
                                     "DELETE FROM webhook_attempts WHERE hook_id = ?",
                                     "DELETE FROM webhooks WHERE id = ?"})
            if (status st = exec_bound(db, sql, id, "delete webhook"); !st) return st;
        return status::ok();
    });
}

result<std::vector<pending_delivery>> sqlite_webhook_store::due_deliveries(
    timestamp_ms now, const std::set<std::int64_t>& busy, std::size_t limit) {
    std::vector<pending_delivery> out;
    status st = db_.read([&](sqlite_connection& db) -> status {
        // Each enabled hook's oldest owed delivery, with the audit row that caused it.
        auto q = db.prepare(
            "SELECT o.id, o.delivery_id, h.id, h.url, h.secret, e.slug, o.type, o.question_id, "
            "o.attempts, h.consecutive_failures, d.id, d.actor, d.action, d.from_status, "
            "d.to_status, d.reason, d.at "
            "FROM webhooks h JOIN events e ON e.id = h.event_id "
            "JOIN webhook_outbox o ON o.id = (SELECT min(id) FROM webhook_outbox WHERE hook_id = h.id) "
            "JOIN decisions d ON d.id = o.decision_id "
            "WHERE h.disabled_at IS NULL AND h.next_attempt_at <= ? ORDER BY o.id");
        if (!q) return q.error();
        q->bind(1, now);
        int rc = SQLITE_DONE;
        while (out.size() < limit && (rc = q->step()) == SQLITE_ROW) {
            if (busy.count(q->column_int(2)) > 0) continue;
            pending_delivery p;
            p.outbox_id = q->column_int(0);
            p.delivery_id = q->column_text(1);
            p.hook_id = q->column_int(2);
            p.url = q->column_text(3);
            p.secret = q->column_text(4);
            p.event_slug = q->column_text(5);
            p.type = q->column_text(6);
            p.question_id = q->column_int(7);
            p.attempts = q->column_int(8);
            p.hook_failures = q->column_int(9);
            p.cause.id = q->column_int(10);
            p.cause.question_id = p.question_id;
            p.cause.actor = q->column_text(11);
            p.cause.action = q->column_text(12);
            if (!q->column_is_null(13)) p.cause.from = status_from_string(q->column_text(13));
            p.cause.to = status_from_string(q->column_text(14)).value_or(question_status::pending);
            p.cause.reason = q->column_text(15);
            p.cause.at = q->column_int(16);
            out.push_back(std::move(p));
        }
        if (out.size() < limit && rc != SQLITE_DONE) return db.last_error("read webhook outbox");
        return status::ok();
    });
    if (!st) return st;
    return out;
}

status sqlite_webhook_store::record_attempts(const std::vector<attempt_record>& rs) {
    if (rs.empty()) return status::ok();
    return db_.write_transaction([&](sqlite_connection& db) -> status {
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
}

result<std::map<std::int64_t, std::int64_t>> sqlite_webhook_store::backlog() {
    std::map<std::int64_t, std::int64_t> out;
    status st = db_.read([&](sqlite_connection& db) -> status {
        auto q = db.prepare("SELECT hook_id, count(*) FROM webhook_outbox GROUP BY hook_id");
        if (!q) return q.error();
        int rc;
        while ((rc = q->step()) == SQLITE_ROW) out[q->column_int(0)] = q->column_int(1);
        return rc == SQLITE_DONE ? status::ok() : db.last_error("count webhook outbox");
    });
    if (!st) return st;
    return out;
}

status sqlite_webhook_store::disable_webhook(std::int64_t id, const std::string& reason,
                                             timestamp_ms at) {
    return db_.write_transaction([&](sqlite_connection& db) -> status {
        auto upd = db.prepare(
            "UPDATE webhooks SET disabled_at = coalesce(disabled_at, ?), disabled_reason = ? "
            "WHERE id = ?");
        if (!upd) return upd.error();
        upd->bind(1, at);
        upd->bind(2, std::string_view(reason));
        upd->bind(3, id);
        if (upd->step() != SQLITE_DONE) return db.last_error("disable webhook");
        return sqlite3_changes(db.get()) == 0 ? not_found(id) : status::ok();
    });
}

result<std::vector<webhook_attempt>> sqlite_webhook_store::list_attempts(std::int64_t hook_id,
                                                                         std::int64_t before_id,
                                                                         std::size_t limit) {
    std::vector<webhook_attempt> out;
    status st = db_.read([&](sqlite_connection& db) -> status {
        auto q = db.prepare(
            "SELECT id, hook_id, delivery_id, type, question_id, attempt, at, http_status, "
            "coalesce(error, ''), duration_ms, retry_in_ms, outcome FROM webhook_attempts "
            "WHERE hook_id = ? AND (? = 0 OR id < ?) ORDER BY id DESC LIMIT ?");
        if (!q) return q.error();
        q->bind(1, hook_id);
        q->bind(2, before_id);
        q->bind(3, before_id);
        q->bind(4, static_cast<std::int64_t>(limit));
        int rc;
        while ((rc = q->step()) == SQLITE_ROW) {
            webhook_attempt a;
            a.id = q->column_int(0);
            a.hook_id = q->column_int(1);
            a.delivery_id = q->column_text(2);
            a.type = q->column_text(3);
            a.question_id = q->column_int(4);
            a.attempt = q->column_int(5);
            a.at = q->column_int(6);
            if (!q->column_is_null(7)) a.http_status = static_cast<int>(q->column_int(7));
            a.error = q->column_text(8);
            a.duration_ms = q->column_int(9);
            if (!q->column_is_null(10)) a.retry_in_ms = q->column_int(10);
            a.outcome = q->column_text(11);
            out.push_back(std::move(a));
        }
        return rc == SQLITE_DONE ? status::ok() : db.last_error("read webhook log");
    });
    if (!st) return st;
    return out;
}

status sqlite_webhook_store::prune_attempts(std::size_t keep) {
    return db_.write_transaction([&](sqlite_connection& db) -> status {
        auto del = db.prepare(
            "DELETE FROM webhook_attempts WHERE id IN (SELECT id FROM (SELECT id, row_number() "
            "OVER (PARTITION BY hook_id ORDER BY id DESC) AS n FROM webhook_attempts) WHERE n > ?)");
        if (!del) return del.error();
        del->bind(1, static_cast<std::int64_t>(keep));
        return del->step() == SQLITE_DONE ? status::ok() : db.last_error("trim webhook log");
    });
}

}  // namespace tribune
