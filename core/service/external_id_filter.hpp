#pragma once
// external_id_filter: a Bloom filter over the identities (event, source, external id) of the
// stored questions, so that ingest skips the store's idempotency lookup for a question it has
// certainly never stored (nearly every question of a flood) and looks up only the rest.
//
// Contract: may_contain() is false only for an identity never add()ed; it may be true for one
// that was not (a false positive costs the lookup the filter saves). The filter is an
// optimisation, never the rule: a question whose identity it misses (stored by another
// process sharing the database, or in a race with its own first attempt) is still caught by
// the store's unique index in the group commit.
//
// Memory is fixed at construction (bits / 8 bytes) whatever the event's size; past a few
// million identities the false positives rise and ingest looks up more, as it did without the
// filter.
//
// Thread safety: add() and may_contain() are safe from any thread at once (relaxed atomic
// words: an add() racing a may_contain() of the same identity may or may not be seen, which
// the contract above allows).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace tribune {

class external_id_filter {
public:
    // `bits` is rounded up to a power of two, at least 64.
    explicit external_id_filter(std::size_t bits = std::size_t{1} << 24);

    void add(std::int64_t event_id, std::string_view source, std::string_view external_id);
    bool may_contain(std::int64_t event_id, std::string_view source,
                     std::string_view external_id) const;
    // Identities added so far.
    std::uint64_t added() const { return added_.load(std::memory_order_relaxed); }

private:
    static constexpr int probes = 6;
    struct hashes {
        std::uint64_t h1, h2;
    };
    static hashes hash_of(std::int64_t event_id, std::string_view source, std::string_view external_id);
    // The bit of probe `i` (double hashing).
    std::uint64_t bit_of(const hashes& h, int i) const {
        return (h.h1 + static_cast<std::uint64_t>(i) * h.h2) & mask_;
    }

    std::size_t mask_;
    std::unique_ptr<std::atomic<std::uint64_t>[]> words_;
    std::atomic<std::uint64_t> added_{0};
};

}  // namespace tribune
