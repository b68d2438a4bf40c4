#pragma once
// access_codec: the wire format of access — tokens (made, listed, revoked) and browser
// sessions (signing in, who am I, signing out) (docs/api.md "Access").
//
// Thread safety: pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/role.hpp"
#include "core/service/access_service.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// A POST /api/v1/tokens body.
struct new_token {
    std::string name;
    role r = role::audience;
    std::optional<std::string> event;  // empty: every event
    std::optional<token_quota> quota;  // {"requests": N, "per": "second" | "minute"}
};

// Errors: invalid_field.
result<new_token> decode_new_token(const json& body);
json to_json(const token_info& t);
// {"items": [token...]}
json to_json(const std::vector<token_info>& tokens);
// The token's facts with "token": the secret, shown this once.
json to_json(const issued_token& t);
// {"revoked": id}
json token_revocation(std::int64_t token_id);

// The token of a sign-in body. Errors: invalid_field.
result<std::string> decode_sign_in(const json& body);
// {"name", "role", "event"}: who a session or token acts as.
json to_json(const principal& p);
// {"signed_out": true}
json signed_out();

}  // namespace tribune::server
