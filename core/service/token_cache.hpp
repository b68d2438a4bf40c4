#pragma once
// token_cache: the principals of access tokens recently authenticated, so that a client
// posting thousands of requests a second with one token costs one store lookup (and one
// SHA-256) a second instead of one per request.
//
// Only tokens the store knew and found unrevoked are kept, each for `ttl`; at most
// `capacity` entries (when full, the cache is emptied and fills again). forget_all() empties
// it: access_service calls it when this process revokes a token, so a revocation made here
// takes effect at once. A revocation made by another process sharing the store (a second
// instance on PostgreSQL) takes effect within `ttl`.
//
// Thread safety: all methods are safe from any thread (one internal mutex, held only to copy
// an entry in or out).
#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/domain/role.hpp"

namespace tribune {

class token_cache {
public:
    using clock = std::chrono::steady_clock;

    explicit token_cache(clock::duration ttl = std::chrono::seconds(1), std::size_t capacity = 4096)
        : ttl_(ttl), capacity_(capacity) {}

    // The principal remembered for `secret` at `now`, if any and not older than the ttl.
    std::optional<principal> find(std::string_view secret, clock::time_point now) const;
    // Remembers `who` for `secret` from `now`.
    void remember(std::string_view secret, const principal& who, clock::time_point now);
    void forget_all();
    std::size_t size() const;

private:
    struct entry {
        principal who;
        clock::time_point until;
    };
    // Lets find() look a string_view up without building a std::string per request.
    struct secret_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    const clock::duration ttl_;
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, entry, secret_hash, std::equal_to<>> entries_;  // GUARDED_BY(mutex_)
};

}  // namespace tribune
