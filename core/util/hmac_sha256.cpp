#include "core/util/hmac_sha256.hpp"

#include "core/util/sha256.hpp"

namespace tribune {
namespace {

constexpr std::size_t block_size = 64;  // SHA-256's block, in bytes

std::string to_hex(const std::array<std::uint8_t, 32>& d) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(64, '0');
    for (std::size_t i = 0; i < d.size(); ++i) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    return out;
}

}  // namespace

std::array<std::uint8_t, 32> hmac_sha256(std::string_view key, std::string_view message) {
    // Keys longer than a block are hashed first; shorter ones are zero-padded.
    std::string k(key);
    if (k.size() > block_size) {
        auto h = sha256(k);
        k.assign(h.begin(), h.end());
    }
    k.resize(block_size, '\0');
    std::string inner(block_size, '\0');
    std::string outer(block_size, '\0');
    for (std::size_t i = 0; i < block_size; ++i) {
        inner[i] = static_cast<char>(k[i] ^ 0x36);
        outer[i] = static_cast<char>(k[i] ^ 0x5c);
    }
    inner.append(message);
    const auto inner_hash = sha256(inner);
    outer.append(inner_hash.begin(), inner_hash.end());
    return sha256(outer);
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
    return to_hex(hmac_sha256(key, message));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i]);
    return diff == 0;
}

}  // namespace tribune
