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

}  // namespace tribune::server
