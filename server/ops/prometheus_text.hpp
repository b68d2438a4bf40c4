#pragma once
// prometheus_text: the Prometheus text exposition format (version 0.0.4) for what /metrics
// shows besides metrics' own counters: the HELP and TYPE lines of a family, a plain gauge,
// and the stored questions per event and state.
//
// Thread safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/bridge/source_health.hpp"
#include "core/service/moderation_query.hpp"

namespace tribune::server {

inline constexpr std::string_view prometheus_content_type =
    "text/plain; version=0.0.4; charset=utf-8";

// "# HELP name help\n# TYPE name type\n"
void append_family(std::string& out, std::string_view name, std::string_view help,
                   std::string_view type);
// A family with one unlabelled sample.
void append_sample_family(std::string& out, std::string_view name, std::string_view help,
                          std::string_view type, std::uint64_t value);
// tribune_questions{event,status}: each event's stored questions per state.
void append_question_counts(std::string& out, const std::vector<event_counts>& events);
// tribune_bridge_*{source}: each running or once-run source's bridge (issue 16).
void append_bridge_health(std::string& out, const std::vector<source_health_snapshot>& sources);

}  // namespace tribune::server
