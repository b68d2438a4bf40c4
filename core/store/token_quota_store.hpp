#pragma once
// token_quota_store: the per-key quota of an access token (core/domain/role.hpp token_quota).
// Read back with the token itself (token_info::quota, principal::quota).
//
// Thread safety: every method may be called from any thread concurrently.

#include <cstdint>
#include <optional>

#include "core/domain/role.hpp"
#include "core/domain/status.hpp"

namespace tribune {

class token_quota_store {
public:
    virtual ~token_quota_store() = default;
    // Sets (or, with an empty quota, clears) the token's quota.
    // Errors: not_found (code "token_not_found").
    virtual status set_token_quota(std::int64_t token_id, const std::optional<token_quota>& q) = 0;
};

}  // namespace tribune
