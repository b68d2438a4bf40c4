#pragma once
// frame_scan: reads what the load tool needs from a view-protocol message (docs/api.md "Live
// stream") without parsing the JSON: its type, seq, the sum of its counts, and the external
// ids of the questions its changes upsert. It relies on two facts of the server's encoding:
// a key never appears inside a string value (quotes in values are escaped), and every change
// entry begins with {"op":"...".
//
// Thread safety: stateless functions.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tribune::bench {

struct scanned_message {
    enum class kind { frame, snapshot, other } type = kind::other;
    std::optional<std::uint64_t> seq;
    std::optional<std::int64_t> counted;  // sum of "counts"
    std::vector<std::int64_t> upserted;   // numbers after `prefix` in upserted external ids
    std::size_t changes = 0;              // change entries, upsert or remove
};

// Scans `message`; external ids that do not start with `prefix` are not reported.
scanned_message scan_message(std::string_view message, std::string_view prefix);

}  // namespace tribune::bench
