#pragma once
// Roles and the principal a request acts as.
//
// Thread safety: plain values.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain/enum_names.hpp"

namespace tribune {

enum class role {
    admin,       // events, policies, word lists, tokens; everything
    moderator,   // decides on questions (one event or all)
    executive,   // reads approved questions, marks them answered
    api_client,  // ingests and reads (scoped to events)
    analyst,     // the Perspective-compatible analysis routes only (docs/perspective.md)
    audience,    // asks and votes; needs no token
    display,     // reads the room's display of one event and nothing else
};

inline constexpr enum_name_table<role, 7> role_names = {{
    {role::admin, "admin"},
    {role::moderator, "moderator"},
    {role::executive, "executive"},
    {role::api_client, "api_client"},
    {role::analyst, "analyst"},
    {role::audience, "audience"},
    {role::display, "display"},
}};

constexpr std::string_view to_string(role r) { return name_in(role_names, r, "audience"); }

inline std::optional<role> role_from_string(std::string_view s) { return value_in(role_names, s); }

// The roles a token may have, for messages: "admin, moderator, ... or analyst" (every role
// but audience, which needs no token).
inline std::string token_role_list() {
    std::string out;
    std::size_t left = role_names.size() - 1;  // the roles but audience
    for (const auto& [r, name] : role_names) {
        if (r == role::audience) continue;
        out += name;
        --left;
        out += left > 1 ? ", " : left == 1 ? " or " : "";
    }
    return out;
}

// A per-token request quota: at most `requests` per `period_s` seconds, as a token bucket
// that holds `requests` and refills continuously (docs/perspective.md, "Keys and quotas").
// It replaces the server's per-token rate for that token, on every route.
struct token_quota {
    std::int64_t requests = 0;
    std::int64_t period_s = 1;  // 1 (per second) or 60 (per minute)

    static constexpr std::int64_t max_requests = 1'000'000;
    bool valid() const {
        return requests >= 1 && requests <= max_requests && (period_s == 1 || period_s == 60);
    }
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
    std::optional<token_quota> quota;  // empty: the server's per-token rate
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
