#include "core/domain/participant.hpp"

#include <cstdio>

#include "core/util/sha256.hpp"

namespace tribune {
namespace {

constexpr std::size_t tag_hex_digits = 32;

std::string tag_prefix(std::string_view participant_id) {
    return "p:" + sha256_hex(participant_id).substr(0, tag_hex_digits) + ":";
}

}  // namespace

std::string participant_reference(std::string_view participant_id, std::uint64_t nonce) {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(nonce));
    return tag_prefix(participant_id) + hex;
}

bool asked_by(const question& q, std::string_view participant_id) {
    return q.source == "audience" && q.external_id &&
           q.external_id->starts_with(tag_prefix(participant_id));
}

}  // namespace tribune
