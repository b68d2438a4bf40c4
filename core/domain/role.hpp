#pragma once
// Roles and the principal a request acts as.
//
// Thread safety: plain values.

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
    audience,    // asks and votes; needs no token
    display,     // reads the room's display of one event and nothing else
};

inline constexpr enum_name_table<role, 6> role_names = {{
    {role::admin, "admin"},
    {role::moderator, "moderator"},
    {role::executive, "executive"},
    {role::api_client, "api_client"},
    {role::audience, "audience"},
    {role::display, "display"},
}};

constexpr std::string_view to_string(role r) { return name_in(role_names, r, "audience"); }

inline std::optional<role> role_from_string(std::string_view s) { return value_in(role_names, s); }

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
};

// Who a request acts as. An anonymous request has no token (token_id 0, role audience).
struct principal {
    std::int64_t token_id = 0;
    std::string name;
    role r = role::audience;
    std::optional<std::int64_t> event_id;
    std::string event_slug;
    bool via_session = false;  // authenticated by a browser session cookie (CSRF rules apply)

    bool anonymous() const { return token_id == 0; }
    // True when the principal may act on the event with this slug.
    bool covers(std::string_view slug) const { return !event_id || event_slug == slug; }
};

}  // namespace tribune
