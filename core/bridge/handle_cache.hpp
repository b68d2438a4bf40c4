#pragma once
// handle_cache: the Bluesky handles a Jetstream bridge has learned (issue 16). Jetstream's
// commit events carry only the author's DID; its `identity` events (sent to every subscriber,
// whatever wantedCollections asks) carry a DID's current handle. The bridge remembers the
// handle of each DID it saw in an identity event, at most `capacity` of them: the least
// recently used is forgotten first, so memory stays bounded however many accounts post. A
// post whose author's handle is not known is shown with the DID.
//
// Thread safety: none; one bridge's session uses it on the bridges' io thread.

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

namespace tribune {

class handle_cache {
public:
    explicit handle_cache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

    // `did` now has `handle`; an empty handle (the identity event had none, or it was found
    // invalid) forgets the DID.
    void learn(const std::string& did, const std::string& handle) {
        auto it = index_.find(did);
        if (it != index_.end()) {
            order_.erase(it->second);
            index_.erase(it);
        }
        if (handle.empty()) return;
        order_.push_front({did, handle});
        index_[did] = order_.begin();
        if (order_.size() > capacity_) {
            index_.erase(order_.back().first);
            order_.pop_back();
        }
    }

    // The handle of `did`, when known (it becomes the most recently used).
    std::optional<std::string> find(const std::string& did) {
        auto it = index_.find(did);
        if (it == index_.end()) return std::nullopt;
        order_.splice(order_.begin(), order_, it->second);
        return it->second->second;
    }

    std::size_t size() const { return order_.size(); }

private:
    using entry = std::pair<std::string, std::string>;  // did, handle
    std::size_t capacity_;
    std::list<entry> order_;  // most recently used first
    std::unordered_map<std::string, std::list<entry>::iterator> index_;
};

}  // namespace tribune
