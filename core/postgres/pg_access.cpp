// postgres_store as an access_store: tokens and browser sessions.

#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"

namespace tribune {

using namespace pg_rows;

namespace {

constexpr std::string_view token_columns =
    "SELECT t.id, t.name, t.role, t.event_id, coalesce(e.slug, ''), t.prefix, t.created_at, "
    "t.revoked_at, t.quota_requests, t.quota_period_s "
    "FROM tokens t LEFT JOIN events e ON e.id = t.event_id ";

token_info read_token_row(const pg_result& r, int i) {
    token_info t;
    t.id = r.integer(i, 0);
    t.name = r.text(i, 1);
    t.r = role_from_string(r.text(i, 2)).value_or(role::audience);
    if (!r.is_null(i, 3)) t.event_id = r.integer(i, 3);
    t.event_slug = r.text(i, 4);
    t.prefix = r.text(i, 5);
    t.created_at = r.integer(i, 6);
    if (!r.is_null(i, 7)) t.revoked_at = r.integer(i, 7);
    if (!r.is_null(i, 8)) t.quota = token_quota{r.integer(i, 8), r.integer(i, 9)};
    return t;
}

result<std::optional<token_info>> one_token(result<pg_result> r) {
    if (!r) return r.error();
    if (r->empty()) return std::optional<token_info>{};
    return std::optional<token_info>(read_token_row(*r, 0));
}

}  // namespace

result<token_info> postgres_store::create_token(const std::string& name, role r,
                                                std::optional<std::int64_t> event_id,
                                                const std::string& hash, const std::string& prefix,
                                                std::optional<token_quota> quota) {
    lease db(*this);
    pg_params p;
    p.add(name).add(to_string(r)).add(event_id).add(hash).add(prefix).add(now_ms());
    if (quota) p.add(quota->requests).add(quota->period_s);
    else p.add_null().add_null();
    auto ins = db->exec("INSERT INTO tokens (name, role, event_id, hash, prefix, created_at, "
                        "quota_requests, quota_period_s) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                        "RETURNING id",
                        p, "create token");
    if (!ins) return ins.error();
    auto t = one_token(db->exec(std::string(token_columns) + "WHERE t.id = $1",
                                pg_params().add(ins->integer(0, 0)), "read token"));
    if (!t) return t.error();
    return **t;
}

result<std::vector<token_info>> postgres_store::list_tokens() {
    lease db(*this);
    auto r = db->exec(std::string(token_columns) + "ORDER BY t.id", {}, "list tokens");
    if (!r) return r.error();
    std::vector<token_info> out;
    for (int i = 0; i < r->rows(); ++i) out.push_back(read_token_row(*r, i));
    return out;
}

status postgres_store::revoke_token(std::int64_t id) {
    lease db(*this);
    return in_transaction_status(*db, [&]() -> status {
        auto upd = db->exec("UPDATE tokens SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2",
                            pg_params().add(now_ms()).add(id), "revoke token");
        if (!upd) return upd.error();
        if (upd->affected() == 0)
            return status::error(error_kind::not_found, "token_not_found",
                                 "no token with id " + std::to_string(id));
        return db->run("DELETE FROM sessions WHERE token_id = $1", pg_params().add(id), "end sessions");
    });
}

result<std::optional<token_info>> postgres_store::find_token(const std::string& hash) {
    lease db(*this);
    return one_token(db->exec(std::string(token_columns) + "WHERE t.hash = $1",
                              pg_params().add(hash), "read token"));
}

result<bool> postgres_store::has_active_admin() {
    lease db(*this);
    auto r = db->exec("SELECT 1 FROM tokens WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1", {},
                      "read tokens");
    if (!r) return r.error();
    return !r->empty();
}

status postgres_store::create_session(const std::string& hash, std::int64_t token_id,
                                      timestamp_ms expires_at) {
    lease db(*this);
    // Expired sessions are swept on the way, so the table does not grow without bound.
    if (status s = db->run("DELETE FROM sessions WHERE expires_at < $1", pg_params().add(now_ms()),
                           "sweep sessions");
        !s)
        return s;
    return db->run("INSERT INTO sessions (hash, token_id, created_at, expires_at) "
                   "VALUES ($1, $2, $3, $4)",
                   pg_params().add(hash).add(token_id).add(now_ms()).add(expires_at),
                   "create session");
}

result<std::optional<token_info>> postgres_store::find_session(const std::string& hash,
                                                               timestamp_ms now) {
    lease db(*this);
    return one_token(db->exec(std::string(token_columns) +
                                  "JOIN sessions s ON s.token_id = t.id "
                                  "WHERE s.hash = $1 AND s.expires_at > $2 AND t.revoked_at IS NULL",
                              pg_params().add(hash).add(now), "read session"));
}

status postgres_store::delete_session(const std::string& hash) {
    lease db(*this);
    return db->run("DELETE FROM sessions WHERE hash = $1", pg_params().add(hash), "delete session");
}

}  // namespace tribune
