#pragma once
// SHA-256 (FIPS 180-4), for storing access tokens and session secrets as hashes.
// Tokens are 256-bit random values, so a fast hash is the right tool (no salt/stretching).
//
// Thread safety: pure functions.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tribune {

std::array<std::uint8_t, 32> sha256(std::string_view data);
std::string sha256_hex(std::string_view data);

}  // namespace tribune
