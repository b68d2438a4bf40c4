#pragma once
// Voters: the audience votes once per question. A voter is counted by a key: the random id the
// audience's browser sends ("id:<id>"), or the client's address when it sends none
// ("ip:<address>"). The one rule for a client's id (docs/api.md "Access") is here.
//
// Thread safety: pure functions.

#include <cstddef>
#include <string>
#include <string_view>

#include "core/domain/status.hpp"

namespace tribune {

inline constexpr std::size_t max_voter_id_bytes = 100;

// Errors: invalid_argument (invalid_field) unless `id` is 1 to max_voter_id_bytes bytes.
inline status check_voter_id(std::string_view id) {
    if (id.empty() || id.size() > max_voter_id_bytes)
        return invalid("invalid_field", "voter must be a non-empty string of at most " +
                                            std::to_string(max_voter_id_bytes) + " bytes");
    return status::ok();
}

// REQUIRES: check_voter_id(id) is ok.
inline std::string voter_key_for_id(std::string_view id) { return "id:" + std::string(id); }
inline std::string voter_key_for_address(std::string_view address) {
    return "ip:" + std::string(address);
}

}  // namespace tribune
