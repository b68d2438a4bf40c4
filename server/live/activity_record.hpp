#pragma once
// activity_record: one encoded activity message of an event (docs/api.md "Live stream",
// view protocol): the moderators online and the arrivals per minute. The hub builds it
// when either changes and hands the same record to every view session of the event.
//
// `version` increases by one per new record of an event, so a session that receives
// records by two paths (the hub's broadcast, and its own request after a subscribe) keeps
// only the newest and never sends an older one after a newer.
//
// Thread safety: immutable once built; shared between threads as shared_ptr<const>.

#include <cstdint>
#include <string>

namespace tribune::server {

struct activity_record {
    std::uint64_t version = 0;
    std::uint64_t arrivals_per_minute = 0;
    // {"type":"activity","event":...,"moderators":[...],"arrivals_per_minute":N}
    std::string message;
};

}  // namespace tribune::server
