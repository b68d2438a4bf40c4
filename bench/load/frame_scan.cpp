#include "bench/load/frame_scan.hpp"

#include <charconv>

namespace tribune::bench {
namespace {

std::optional<std::int64_t> number_at(std::string_view s, std::size_t at) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data() + at, s.data() + s.size(), v);
    if (ec != std::errc()) return std::nullopt;
    return v;
}

std::optional<std::int64_t> sum_counts(std::string_view m) {
    constexpr std::string_view key = "\"counts\":{";
    auto at = m.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    const auto end = m.find('}', at);
    if (end == std::string_view::npos) return std::nullopt;
    std::int64_t sum = 0;
    for (auto colon = m.find(':', at + key.size()); colon < end; colon = m.find(':', colon + 1))
        if (auto v = number_at(m, colon + 1)) sum += *v;
    return sum;
}

}  // namespace

scanned_message scan_message(std::string_view m, std::string_view prefix) {
    scanned_message out;
    if (m.starts_with("{\"type\":\"frame\"")) out.type = scanned_message::kind::frame;
    else if (m.find("\"type\":\"snapshot\"") != std::string_view::npos)
        out.type = scanned_message::kind::snapshot;
    else return out;
    if (auto at = m.find("\"seq\":"); at != std::string_view::npos)
        if (auto v = number_at(m, at + 6); v && *v >= 0) out.seq = static_cast<std::uint64_t>(*v);
    out.counted = sum_counts(m);
    if (out.type != scanned_message::kind::frame) return out;

    constexpr std::string_view op = "{\"op\":\"";
    constexpr std::string_view ext = "\"external_id\":\"";
    for (auto at = m.find(op); at != std::string_view::npos;) {
        ++out.changes;
        const bool upsert = m.compare(at + op.size(), 6, "upsert") == 0;
        const auto next = m.find(op, at + op.size());
        const auto e = m.find(ext, at);
        if (upsert && e != std::string_view::npos && e < next) {
            const auto id_at = e + ext.size();
            if (m.compare(id_at, prefix.size(), prefix) == 0)
                if (auto v = number_at(m, id_at + prefix.size())) out.upserted.push_back(*v);
        }
        at = next;
    }
    return out;
}

}  // namespace tribune::bench
