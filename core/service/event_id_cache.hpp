#pragma once
// event_id_cache: the events ingest has already found by slug, so that a client posting
// thousands of questions a second to one event costs one store lookup per event instead of
// one read transaction per question (find_event was 4 % of the server's CPU in the flood's
// profile).
//
// Correct without expiry because an event's id and slug never change and no event is ever
// deleted: a slug found once names the same event for the life of the store. A slug the store
// did not know is not remembered (any instance may create it a moment later). At most
// `capacity` entries; when full, the cache is emptied and fills again.
//
// Thread safety: all methods are safe from any thread (one internal mutex, held only to copy
// an entry in or out).
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/store/event_store.hpp"

namespace tribune {

class event_id_cache {
public:
    explicit event_id_cache(std::size_t capacity = 4096) : capacity_(capacity) {}

    // The event remembered for `slug`, if any.
    std::optional<event_info> find(std::string_view slug) const;
    // The event of `slug`: from the cache, else from `store` (remembered when found). Errors
    // (event_not_found, a store failure) are the store's, and nothing is remembered.
    result<event_info> find_or_load(const std::string& slug, event_store& store);
    std::size_t size() const;

private:
    struct slug_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, event_info, slug_hash, std::equal_to<>> events_;  // GUARDED_BY(mutex_)
};

}  // namespace tribune
