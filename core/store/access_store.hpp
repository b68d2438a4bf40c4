#pragma once
// access_store: access tokens and browser sessions. Only the SHA-256 of a token or of a
// session's secret is stored.
//
// One of the narrow store interfaces (see store.hpp).
// Thread safety: every method may be called from any thread concurrently.
// Errors: as documented per method; unavailable when the storage cannot be read or written.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/role.hpp"
#include "core/domain/status.hpp"

namespace tribune {

class access_store {
public:
    virtual ~access_store() = default;

    // `quota`: the token's own request rate, kept with it (token_info::quota).
    virtual result<token_info> create_token(const std::string& name, role r,
                                            std::optional<std::int64_t> event_id,
                                            const std::string& hash, const std::string& prefix,
                                            std::optional<token_quota> quota) = 0;
    // Oldest first.
    virtual result<std::vector<token_info>> list_tokens() = 0;
    // Marks the token revoked (once) and ends its sessions. Errors: not_found (code
    // "token_not_found").
    virtual status revoke_token(std::int64_t id) = 0;
    // The token with this hash, revoked or not; empty when unknown.
    virtual result<std::optional<token_info>> find_token(const std::string& hash) = 0;
    virtual result<bool> has_active_admin() = 0;

    // Browser sessions, by the hash of their secret. Creating one sweeps the expired ones.
    virtual status create_session(const std::string& hash, std::int64_t token_id,
                                  timestamp_ms expires_at) = 0;
    // The session's token when the session exists, has not expired at `now`, and its token
    // is not revoked; empty otherwise.
    virtual result<std::optional<token_info>> find_session(const std::string& hash,
                                                           timestamp_ms now) = 0;
    virtual status delete_session(const std::string& hash) = 0;
};

}  // namespace tribune
