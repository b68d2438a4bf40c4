#pragma once
// HMAC-SHA256 (RFC 2104 over FIPS 180-4 SHA-256), for signing outbound webhook bodies with a
// per-hook secret. Built on core/util/sha256 so core keeps no crypto library dependency.
//
// Thread safety: pure functions.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tribune {

std::array<std::uint8_t, 32> hmac_sha256(std::string_view key, std::string_view message);
// Lower-case hex of hmac_sha256 (64 characters).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// Compares two strings in time independent of where they differ (for signatures).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace tribune
