#include "server/ops/prometheus_text.hpp"

namespace tribune::server {

void append_family(std::string& out, std::string_view name, std::string_view help,
                   std::string_view type) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void append_sample_family(std::string& out, std::string_view name, std::string_view help,
                          std::string_view type, std::uint64_t value) {
    append_family(out, name, help, type);
    out.append(name).append(" ").append(std::to_string(value)).append("\n");
}

void append_question_counts(std::string& out, const std::vector<event_counts>& events) {
    append_family(out, "tribune_questions", "Stored questions by event and status.", "gauge");
    for (const event_counts& e : events)
        for (const auto& [st, n] : e.counts)
            out += "tribune_questions{event=\"" + e.event.slug + "\",status=\"" +
                   std::string(to_string(st)) + "\"} " + std::to_string(n) + "\n";
}

void append_bridge_health(std::string& out, const std::vector<source_health_snapshot>& sources) {
    struct family {
        const char* name;
        const char* help;
        const char* type;
        std::int64_t (*value)(const source_health_snapshot&);
    };
    static constexpr family families[] = {
        {"tribune_bridge_connected", "1 while the source's bridge is connected.", "gauge",
         [](const source_health_snapshot& h) -> std::int64_t { return h.state == "connected" ? 1 : 0; }},
        {"tribune_bridge_posts_total", "Posts a source's bridge ingested as new questions.", "counter",
         [](const source_health_snapshot& h) { return h.posts; }},
        {"tribune_bridge_posts_last_minute", "Posts a source's bridge ingested in the last minute.", "gauge",
         [](const source_health_snapshot& h) { return h.posts_last_minute; }},
        {"tribune_bridge_skipped_total", "Malformed or refused posts a source's bridge skipped.", "counter",
         [](const source_health_snapshot& h) { return h.skipped; }},
        {"tribune_bridge_errors_total", "Failed connections and dropped streams of a source's bridge.", "counter",
         [](const source_health_snapshot& h) { return h.errors; }},
        {"tribune_bridge_last_post_seconds", "Unix time of a source's last ingested post (0: none).", "gauge",
         [](const source_health_snapshot& h) { return h.last_post_at / 1000; }},
    };
    for (const family& f : families) {
        append_family(out, f.name, f.help, f.type);
        for (const source_health_snapshot& h : sources)
            out += std::string(f.name) + "{source=\"" + std::to_string(h.source_id) + "\"} " +
                   std::to_string(f.value(h)) + "\n";
    }
}

}  // namespace tribune::server
