#include "server/http/executive_visibility.hpp"

namespace tribune::server {
namespace {

bool visible_state(question_status s) {
    return s == question_status::approved || s == question_status::answered;
}

}  // namespace

bool visible_to(const principal& who, const question& q) {
    return who.r != role::executive || visible_state(q.status);
}

status restrict_to_visible(const principal& who, std::vector<question_status>& statuses) {
    if (who.r != role::executive) return status::ok();
    return restrict_to_public(statuses);
}

status restrict_to_public(std::vector<question_status>& statuses) {
    if (statuses.empty()) statuses = {question_status::approved, question_status::answered};
    for (question_status st : statuses)
        if (!visible_state(st))
            return status::error(error_kind::forbidden, "forbidden",
                                 "executives see approved and answered questions only");
    return status::ok();
}

bool fields_depend_on_settings(const principal& who) { return who.r == role::executive; }

question_fields fields_for(const principal& who, const event_settings& settings) {
    question_fields f;
    f.scores = !fields_depend_on_settings(who) || settings.executives_see_scores;
    return f;
}

void stats_scope(const principal& who, const event_settings& settings, stats_query& q) {
    if (who.r != role::executive) return;
    q.public_only = true;
    q.with_scores = settings.executives_see_scores;
    q.with_words = false;
}

std::vector<decision_record> trail_for(std::vector<decision_record> trail, question_fields fields) {
    if (fields.scores) return trail;
    for (decision_record& d : trail)
        if (d.action == "auto" || d.action == "unsure") d.reason.clear();
    return trail;
}

}  // namespace tribune::server
