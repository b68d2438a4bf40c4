#pragma once
// report_page: the event report `tribune report` writes — one self-contained HTML page (inline
// CSS, the charts as inline SVG, no script, nothing fetched) that an organiser can send after
// the event: the moderation figures, arrivals per bucket by state, the share of each
// attribute over time, the languages, what people asked most (the largest near-duplicate
// groups), the words that separated rejected from approved questions, and the answered
// questions with the executives' written answers or notes from the shortlist.
//
// Every text from the database is HTML-escaped.
// Thread safety: pure functions.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/question.hpp"
#include "core/service/stats_service.hpp"

namespace tribune::server {

// What the moderators did, from the audit trail.
struct moderation_figures {
    std::int64_t human_decisions = 0;             // every audit row but the automatic verdict
    std::map<std::string, std::int64_t> by_action;  // approve, reject, hold, answer, undo...
    std::map<std::string, std::int64_t> by_actor;   // moderators' (and executives') names
    std::int64_t decided_questions = 0;           // questions with a human decision
    // Minutes from arrival to the first human decision, over decided_questions.
    double median_minutes = 0;
    double p90_minutes = 0;
};

struct answered_question {
    question q;
    std::string note;  // the shortlist's answer or note; empty: none
    std::string note_by;
};

struct report_data {
    event_info event;
    timestamp_ms generated_at = 0;
    event_stats stats;
    moderation_figures figures;
    std::vector<answered_question> answered;  // oldest first
};

std::string html_escape(std::string_view s);

// The whole page.
std::string render_report(const report_data& r);

}  // namespace tribune::server
