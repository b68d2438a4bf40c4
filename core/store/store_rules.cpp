#include "core/store/store_rules.hpp"

#include <algorithm>
#include <string>

namespace tribune {

result<bool> check_transition(const decision_request& d, question_status from,
                              std::int64_t version) {
    if (d.expected_version && *d.expected_version != version)
        return status::error(error_kind::conflict, "version_conflict",
                             "question " + std::to_string(d.question_id) + " is at version " +
                                 std::to_string(version) + ", not " +
                                 std::to_string(*d.expected_version) + "; someone decided first");
    if (from == d.to) return false;
    if (!d.allowed_from.empty() &&
        std::find(d.allowed_from.begin(), d.allowed_from.end(), from) == d.allowed_from.end())
        return status::error(error_kind::conflict, "invalid_transition",
                             "cannot " + d.action + " a question that is " +
                                 std::string(to_string(from)));
    return true;
}

status decision_target_missing(const decision_request& d) {
    return status::error(error_kind::not_found, "question_not_found",
                         "no question with id " + std::to_string(d.question_id) +
                             (d.event_id ? " in this event" : ""));
}

status check_undo(const decision_record& last, const undo_request& u, timestamp_ms now) {
    auto unavailable = [](const std::string& why) {
        return status::error(error_kind::conflict, "undo_unavailable", why);
    };
    if (last.action == "auto" || last.action == "unsure" || last.action == "undo" ||
        last.action == "inherit" || last.action == "release" || !last.from)
        return unavailable("the last change was not a moderator's decision");
    if (last.actor != u.actor)
        return unavailable("the last decision was made by " + last.actor + ", not " + u.actor);
    if (now - last.at > u.window_ms)
        return unavailable("the decision is older than " + std::to_string(u.window_ms / 1000) +
                           " seconds");
    return status::ok();
}

decision_request undo_of(const decision_record& last, const undo_request& u) {
    decision_request back;
    back.question_id = u.question_id;
    back.to = last.from.value_or(question_status::pending);
    back.action = "undo";
    back.actor = u.actor;
    back.reason = "undo " + last.action;
    return back;
}

status question_missing(std::int64_t id) {
    return status::error(error_kind::not_found, "question_not_found",
                         "no question with id " + std::to_string(id));
}

status webhook_missing(std::int64_t id) {
    return status::error(error_kind::not_found, "webhook_not_found",
                         "no webhook with id " + std::to_string(id));
}

status source_missing(std::int64_t id) {
    return status::error(error_kind::not_found, "source_not_found",
                         "no source with id " + std::to_string(id));
}

result<std::int64_t> group_of(const group_choice& choice, const std::vector<insert_outcome>& done) {
    switch (choice.k) {
        case group_choice::kind::own: return std::int64_t{0};
        case group_choice::kind::existing: return choice.cluster_id;
        case group_choice::kind::batch_item:
            if (choice.item >= done.size())
                return status::error(error_kind::internal, "invalid_group",
                                     "a question's group names a later item of its batch");
            return done[choice.item].stored.cluster_id;
    }
    return std::int64_t{0};
}

status check_reorder(const std::vector<std::int64_t>& listed,
                     const std::vector<std::int64_t>& order) {
    std::vector<std::int64_t> want = listed, got = order;
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    if (want == got) return status::ok();
    return status::error(error_kind::conflict, "shortlist_changed",
                         "the order must name each of the shortlist's " +
                             std::to_string(listed.size()) + " entries exactly once (it names " +
                             std::to_string(order.size()) +
                             "); the shortlist changed: read it again");
}

page_cursor next_page_cursor(const question& last, question_sort sort, std::int64_t severity_key) {
    if (sort == question_sort::impact)
        return page_cursor{last.cluster_review, last.id, last.cluster_heat, last.cluster_id};
    const std::int64_t key = sort == question_sort::severity ? severity_key
                             : sort == question_sort::votes  ? last.votes
                                                             : 0;
    return page_cursor{key, last.id};
}

webhook updated_webhook(webhook w, const webhook_update& u) {
    if (u.url) w.url = *u.url;
    if (u.events) w.events = *u.events;
    if (u.secret) w.secret = *u.secret;
    if (u.enabled && *u.enabled && w.disabled_at) {
        w.disabled_at.reset();
        w.disabled_reason.clear();
        w.consecutive_failures = 0;
        w.next_attempt_at = 0;
    } else if (u.enabled && !*u.enabled && !w.disabled_at) {
        w.disabled_at = u.at;
        w.disabled_reason = "disabled by an admin";
    }
    return w;
}

std::string pack_webhook_events(const std::vector<std::string>& events) {
    std::string out = ",";
    for (const std::string& e : events) out += e + ",";
    return out;
}

timestamp_ms asked_at(const question& q, timestamp_ms now) {
    return q.created_at > 0 && q.created_at < now ? q.created_at : now;
}

}  // namespace tribune
