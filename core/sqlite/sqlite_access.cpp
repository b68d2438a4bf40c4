// sqlite_store as an access_store: tokens and browser sessions.

#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"

namespace tribune {

using namespace sqlite_rows;

namespace {

constexpr std::string_view token_columns =
    "SELECT t.id, t.name, t.role, t.event_id, coalesce(e.slug, ''), t.prefix, t.created_at, "
    "t.revoked_at, t.quota_requests, t.quota_period_s "
    "FROM tokens t LEFT JOIN events e ON e.id = t.event_id ";

token_info read_token_row(const sqlite_statement& s) {
    token_info t;
    t.id = s.column_int(0);
    t.name = s.column_text(1);
    t.r = role_from_string(s.column_text(2)).value_or(role::audience);
    if (!s.column_is_null(3)) t.event_id = s.column_int(3);
    t.event_slug = s.column_text(4);
    t.prefix = s.column_text(5);
    t.created_at = s.column_int(6);
    if (!s.column_is_null(7)) t.revoked_at = s.column_int(7);
    if (!s.column_is_null(8)) t.quota = token_quota{s.column_int(8), s.column_int(9)};
    return t;
}

result<std::optional<token_info>> one_token(sqlite_connection& db, sqlite_statement& st) {
    int rc = st.step();
    if (rc == SQLITE_DONE) return std::optional<token_info>{};
    if (rc != SQLITE_ROW) return db.last_error("read token");
    return std::optional<token_info>(read_token_row(st));
}

}  // namespace

result<token_info> sqlite_store::create_token(const std::string& name, role r,
                                              std::optional<std::int64_t> event_id,
                                              const std::string& hash, const std::string& prefix,
                                              std::optional<token_quota> quota) {
    std::lock_guard lock(write_mutex_);
    auto st = writer_.prepare(
        "INSERT INTO tokens (name, role, event_id, hash, prefix, created_at, quota_requests, "
        "quota_period_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st) return st.error();
    st->bind(1, std::string_view(name));
    st->bind(2, to_string(r));
    if (event_id) st->bind(3, *event_id);
    else st->bind_null(3);
    st->bind(4, std::string_view(hash));
    st->bind(5, std::string_view(prefix));
    st->bind(6, now_ms());
    if (quota) {
        st->bind(7, quota->requests);
        st->bind(8, quota->period_s);
    } else {
        st->bind_null(7);
        st->bind_null(8);
    }
    if (status s = step_done(writer_, *st, "create token"); !s) return s;
    auto q = writer_.prepare(std::string(token_columns) + "WHERE t.id = ?");
    if (!q) return q.error();
    q->bind(1, static_cast<std::int64_t>(sqlite3_last_insert_rowid(writer_.get())));
    auto t = one_token(writer_, *q);
    if (!t) return t.error();
    return **t;
}

result<std::vector<token_info>> sqlite_store::list_tokens() {
    reader_lease db(*this);
    auto st = db->prepare(std::string(token_columns) + "ORDER BY t.id");
    if (!st) return st.error();
    std::vector<token_info> out;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) out.push_back(read_token_row(*st));
    if (rc != SQLITE_DONE) return db->last_error("list tokens");
    return out;
}

status sqlite_store::revoke_token(std::int64_t id) {
    std::lock_guard lock(write_mutex_);
    return in_transaction_status(writer_, [&]() -> status {
        auto st = writer_.prepare(
            "UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?");
        if (!st) return st.error();
        st->bind(1, now_ms());
        st->bind(2, id);
        if (status s = step_done(writer_, *st, "revoke token"); !s) return s;
        if (sqlite3_changes(writer_.get()) == 0)
            return status::error(error_kind::not_found, "token_not_found",
                                 "no token with id " + std::to_string(id));
        auto del = writer_.prepare("DELETE FROM sessions WHERE token_id = ?");
        if (!del) return del.error();
        del->bind(1, id);
        return step_done(writer_, *del, "end sessions");
    });
}

result<std::optional<token_info>> sqlite_store::find_token(const std::string& hash) {
    reader_lease db(*this);
    auto st = db->prepare(std::string(token_columns) + "WHERE t.hash = ?");
    if (!st) return st.error();
    st->bind(1, std::string_view(hash));
    return one_token(*db, *st);
}

result<bool> sqlite_store::has_active_admin() {
    reader_lease db(*this);
    auto st = db->prepare("SELECT 1 FROM tokens WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1");
    if (!st) return st.error();
    int rc = st->step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return db->last_error("read tokens");
    return rc == SQLITE_ROW;
}

status sqlite_store::create_session(const std::string& hash, std::int64_t token_id,
                                    timestamp_ms expires_at) {
    std::lock_guard lock(write_mutex_);
    // Expired sessions are swept on the way, so the table does not grow without bound.
    auto sweep = writer_.prepare("DELETE FROM sessions WHERE expires_at < ?");
    if (!sweep) return sweep.error();
    sweep->bind(1, now_ms());
    if (status s = step_done(writer_, *sweep, "sweep sessions"); !s) return s;
    auto st = writer_.prepare(
        "INSERT INTO sessions (hash, token_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
    if (!st) return st.error();
    st->bind(1, std::string_view(hash));
    st->bind(2, token_id);
    st->bind(3, now_ms());
    st->bind(4, expires_at);
    return step_done(writer_, *st, "create session");
}

result<std::optional<token_info>> sqlite_store::find_session(const std::string& hash,
                                                             timestamp_ms now) {
    reader_lease db(*this);
    auto st = db->prepare(std::string(token_columns) +
                          "JOIN sessions s ON s.token_id = t.id "
                          "WHERE s.hash = ? AND s.expires_at > ? AND t.revoked_at IS NULL");
    if (!st) return st.error();
    st->bind(1, std::string_view(hash));
    st->bind(2, now);
    return one_token(*db, *st);
}

status sqlite_store::delete_session(const std::string& hash) {
    std::lock_guard lock(write_mutex_);
    auto st = writer_.prepare("DELETE FROM sessions WHERE hash = ?");
    if (!st) return st.error();
    st->bind(1, std::string_view(hash));
    return step_done(writer_, *st, "delete session");
}

}  // namespace tribune
