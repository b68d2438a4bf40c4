#pragma once
// Roles and the principal a request acts as.
//
// Thread safety: plain values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tribune {

enum class role {
    admin,       // events, policies, word lists, tokens; everything
    moderator,   // decides on questions (one event or all)
    executive,   // reads approved questions, marks them answered
    api_client,  // ingests and reads (scoped to events)
    analyst,     // the Perspective-compatible analysis endpoints only (docs/perspective.md)
    audience,    // asks and votes; needs no token
};

constexpr std::string_view to_string(role r) {
    switch (r) {
        case role::admin: return "admin";
        case role::moderator: return "moderator";
        case role::executive: return "executive";
        case role::api_client: return "api_client";
        case role::analyst: return "analyst";
        case role::audience: return "audience";
    }
    return "audience";
}

inline std::optional<role> role_from_string(std::string_view s) {
    for (role r : {role::admin, role::moderator, role::executive, role::api_client, role::analyst,
                   role::audience})
        if (to_string(r) == s) return r;
    return std::nullopt;
}

// A per-key request quota: at most `requests` per `period_s` seconds, as a token bucket
// that holds `requests` and refills continuously (docs/perspective.md, "Keys and quotas").
struct token_quota {
    std::int64_t requests = 0;
    std::int64_t period_s = 1;  // 1 (per second) or 60 (per minute)
};

// An access token's public facts. The token itself is never stored, only its SHA-256.
struct token_info {
    std::int64_t id = 0;
    std::string name;
    role r = role::audience;
    std::optional<std::int64_t> event_id;  // empty: every event
    std::string event_slug;                // empty when event_id is empty
    std::string prefix;                    // first characters of the token, to recognise it
    std::int64_t created_at = 0;           // ms since the epoch
    std::optional<std::int64_t> revoked_at;
    std::optional<token_quota> quota;  // empty: only the server-wide per-token rate
};

// Who a request acts as. An anonymous request has no token (token_id 0, role audience).
struct principal {
    std::int64_t token_id = 0;
    std::string name;
    role r = role::audience;
    std::optional<std::int64_t> event_id;
    std::string event_slug;
    bool via_session = false;  // authenticated by a browser session cookie (CSRF rules apply)
    std::optional<token_quota> quota;  // the token's own quota, if it has one

    bool anonymous() const { return token_id == 0; }
    // True when the principal may act on the event with this slug.
    bool covers(std::string_view slug) const { return !event_id || event_slug == slug; }
};

}  // namespace tribune
