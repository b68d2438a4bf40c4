#include "core/service/external_id_filter.hpp"

#include <algorithm>
#include <bit>

#include "core/util/mix64.hpp"

namespace tribune {

namespace {

// FNV-1a over bytes, continuing from `h`.
std::uint64_t fnv1a(std::uint64_t h, std::string_view bytes) {
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

}  // namespace

external_id_filter::external_id_filter(std::size_t bits)
    : mask_(std::bit_ceil(std::max<std::size_t>(bits, 64)) - 1),
      words_(new std::atomic<std::uint64_t>[(mask_ + 1) / 64]) {
    for (std::size_t i = 0; i < (mask_ + 1) / 64; ++i) words_[i].store(0, std::memory_order_relaxed);
}

external_id_filter::hashes external_id_filter::hash_of(std::int64_t event_id, std::string_view source,
                                                       std::string_view external_id) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a(h, std::string_view(reinterpret_cast<const char*>(&event_id), sizeof event_id));
    h = fnv1a(h, source);
    h = fnv1a(h, std::string_view("\0", 1));  // ("ab", "c") and ("a", "bc") differ
    h = fnv1a(h, external_id);
    const std::uint64_t h1 = mix64(h);
    const std::uint64_t h2 = mix64(h ^ 0x9e3779b97f4a7c15ULL) | 1;  // odd: the probes differ
    return {h1, h2};
}

void external_id_filter::add(std::int64_t event_id, std::string_view source, std::string_view external_id) {
    const hashes h = hash_of(event_id, source, external_id);
    for (int i = 0; i < probes; ++i) {
        const std::uint64_t bit = bit_of(h, i);
        words_[bit / 64].fetch_or(std::uint64_t{1} << (bit % 64), std::memory_order_relaxed);
    }
    added_.fetch_add(1, std::memory_order_relaxed);
}

bool external_id_filter::may_contain(std::int64_t event_id, std::string_view source,
                                     std::string_view external_id) const {
    const hashes h = hash_of(event_id, source, external_id);
    for (int i = 0; i < probes; ++i) {
        const std::uint64_t bit = bit_of(h, i);
        if ((words_[bit / 64].load(std::memory_order_relaxed) & (std::uint64_t{1} << (bit % 64))) == 0)
            return false;
    }
    return true;
}

}  // namespace tribune
