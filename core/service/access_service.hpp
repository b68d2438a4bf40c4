#pragma once
// access_service: access tokens and browser sessions.
//
// A token is "trb_" followed by 43 base64url characters (256 random bits from the kernel).
// It is shown once, at creation; the store keeps only its SHA-256. A browser exchanges a
// token for a session whose secret lives in an HttpOnly cookie; the store keeps only the
// secret's SHA-256 too. Revoking a token ends its sessions and tells the observers (the
// broadcast hub closes that token's open streams).
//
// Ownership: borrows the stores; they must outlive the service.
// A token authenticated once is remembered for a second (token_cache): a revocation made
// through this service takes effect at once, one made by another instance sharing the store
// within that second.
//
// Thread safety: all methods are safe from any thread. set_revocation_observer() must be
// called before the server starts.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/role.hpp"
#include "core/domain/status.hpp"
#include "core/service/token_cache.hpp"
#include "core/store/access_store.hpp"
#include "core/store/event_store.hpp"
#include "core/store/store.hpp"

namespace tribune {

struct issued_token {
    std::string secret;  // shown once
    token_info info;
};

struct issued_session {
    std::string secret;  // goes into the cookie
    principal who;
};

class access_service {
public:
    // `events` resolves the event a token is scoped to; `tokens` keeps tokens and sessions.
    access_service(event_store& events, access_store& tokens) : events_(events), db_(tokens) {}
    explicit access_service(store& db) : access_service(db, db) {}

    // `quota`, when given, holds the token to its own request rate (token_quota).
    // Errors: invalid_argument (invalid_field: empty or overlong name; an audience token; a
    // quota out of range), not_found (event_not_found).
    result<issued_token> create_token(const std::string& name, role r,
                                      const std::optional<std::string>& event_slug,
                                      const std::optional<token_quota>& quota = std::nullopt);
    result<std::vector<token_info>> list_tokens() { return db_.list_tokens(); }
    // Errors: not_found (token_not_found).
    status revoke(std::int64_t token_id);
    result<bool> has_active_admin() { return db_.has_active_admin(); }

    // Errors: unauthenticated (code "invalid_token") for an unknown, malformed or revoked token.
    result<principal> authenticate_token(std::string_view secret);
    // Errors: as authenticate_token.
    result<issued_session> open_session(std::string_view token_secret,
                                        std::chrono::seconds lifetime);
    // Errors: unauthenticated (code "invalid_session") when unknown, expired or revoked.
    result<principal> authenticate_session(std::string_view secret);
    status close_session(std::string_view secret);

    void set_revocation_observer(std::function<void(std::int64_t token_id)> f) {
        on_revoked_ = std::move(f);
    }

    // 256 bits from the kernel, base64url without padding (43 characters).
    static std::string random_secret();

private:
    static principal to_principal(const token_info& t, bool via_session);

    event_store& events_;
    access_store& db_;
    std::function<void(std::int64_t)> on_revoked_;
    token_cache recent_;
};

}  // namespace tribune
