#include "core/service/moderation_service.hpp"

#include "core/text/text_normalizer.hpp"

namespace tribune {
namespace {

// Fills in the target state and the states an action may start from.
status action_target(const std::string& action, decision_request& r) {
    using qs = question_status;
    if (action == "approve") r.to = qs::approved;
    else if (action == "reject") r.to = qs::rejected;
    else if (action == "hold") r.to = qs::held;
    else if (action == "restore") {
        // An automatic or human rejection back into the review queue.
        r.to = qs::pending;
        r.allowed_from = {qs::auto_rejected, qs::rejected, qs::held};
    } else if (action == "answer") {
        r.to = qs::answered;
        r.allowed_from = {qs::approved};
    } else {
        return invalid("unknown_action", "action must be approve, reject, hold, restore or answer");
    }
    return status::ok();
}

std::string actor_or_anonymous(const std::string& actor) {
    return actor.empty() || is_blank(actor) ? "anonymous" : actor;
}

// The group's members still to decide: the states a group decision starts from.
std::vector<question_status> group_states(const bulk_decision_input& d) {
    return d.from.empty() ? std::vector{question_status::pending, question_status::held} : d.from;
}

// What a decision's result holds until its transaction ran (it always runs).
status not_run() { return status::error(error_kind::internal, "internal", "decision not run"); }

}  // namespace

result<decision_request> moderation_service::request_for(const std::string& action,
                                                         const std::string& actor,
                                                         const std::string& reason) const {
    decision_request r;
    if (status st = action_target(action, r); !st) return st;
    if (!is_valid_utf8(reason) || !is_valid_utf8(actor))
        return invalid("invalid_utf8", "reason and moderator must be valid UTF-8");
    if (count_code_points(reason) > options_.max_reason_chars)
        return invalid("invalid_field", "reason is longer than " +
                                            std::to_string(options_.max_reason_chars) + " characters");
    if (count_code_points(actor) > options_.max_field_chars)
        return invalid("invalid_field", "moderator is longer than " +
                                            std::to_string(options_.max_field_chars) + " characters");
    r.action = action;
    r.actor = actor_or_anonymous(actor);
    r.reason = reason;
    return r;
}

void moderation_service::between_batches(
    const std::function<void(std::vector<group_decision_change>&)>& decide) {
    if (groups_ != nullptr) return groups_->between_batches(decide);
    std::vector<group_decision_change> unused;
    decide(unused);
}

void moderation_service::add_changes(const decision_outcome& o, const std::string& actor,
                                     std::vector<question_change>& changes) {
    if (!o.changed) return;
    changes.push_back({change_kind::updated, o.from, o.updated, actor});
    for (const auto& [m, from] : o.members) changes.push_back({change_kind::updated, from, m, {}});
}

result<question> moderation_service::decide(const decision_input& d) {
    auto r = request_for(d.action, d.actor, d.reason);
    if (!r) return r.error();
    r->question_id = d.question_id;
    r->expected_version = d.expected_version;

    result<decision_outcome> out = not_run();
    between_batches([&](std::vector<group_decision_change>& changed) {
        out = decisions_.apply_decision(*r);
        if (out && out->group) changed.push_back(*out->group);
    });
    if (!out) return out.error();
    std::vector<question_change> changes;
    add_changes(*out, r->actor, changes);
    if (changes.size() == 1) sink_.question_changed(changes.front());
    else if (!changes.empty()) sink_.questions_changed(changes);
    return std::move(out->updated);
}

status moderation_service::add_group_members(const bulk_decision_input& d,
                                             std::vector<std::int64_t>& ids,
                                             std::map<std::int64_t, std::int64_t>& versions,
                                             bool& more) {
    // The group as it is now; each member is decided from the version read here, so a
    // member someone decided meanwhile is reported, not overridden.
    question_query q;
    q.event_slug = d.event_slug;
    q.filter.cluster = *d.cluster;
    q.filter.statuses = group_states(d);
    q.sort = question_sort::oldest;
    q.limit = options_.max_bulk;
    auto page = questions_.list_questions(q);
    if (!page) return page.error();
    more = page->next.has_value();
    for (const question& m : page->items) {
        ids.push_back(m.id);
        versions[m.id] = m.version;
    }
    return status::ok();
}

result<bulk_outcome> moderation_service::decide_bulk(const bulk_decision_input& d) {
    auto proto = request_for(d.action, d.actor, d.reason);
    if (!proto) return proto.error();
    if (d.cluster && !d.ids.empty())
        return invalid("invalid_field", "give either ids or cluster, not both");
    if (!d.cluster && d.ids.empty()) return invalid("invalid_field", "ids must name at least one question");
    if (d.ids.size() > options_.max_bulk)
        return invalid("too_many", "at most " + std::to_string(options_.max_bulk) +
                                       " questions in one bulk decision");
    auto ev = events_.find_event(d.event_slug);
    if (!ev) return ev.error();

    std::vector<std::int64_t> ids = d.ids;
    std::map<std::int64_t, std::int64_t> versions = d.expected_versions;
    bool more = false;
    if (d.cluster) {
        if (status st = add_group_members(d, ids, versions, more); !st) return st;
        if (proto->allowed_from.empty()) proto->allowed_from = group_states(d);
    }
    std::vector<decision_request> reqs;
    reqs.reserve(ids.size());
    for (std::int64_t id : ids) {
        decision_request r = *proto;
        r.question_id = id;
        r.event_id = ev->id;
        if (auto it = versions.find(id); it != versions.end()) r.expected_version = it->second;
        reqs.push_back(std::move(r));
    }
    return apply_bulk(reqs, more);
}

result<bulk_outcome> moderation_service::apply_bulk(const std::vector<decision_request>& reqs,
                                                    bool more) {
    bulk_outcome done;
    done.more = more;
    if (reqs.empty()) return done;
    result<std::vector<result<decision_outcome>>> out = not_run();
    between_batches([&](std::vector<group_decision_change>& changed) {
        out = decisions_.apply_decisions(reqs);
        if (!out) return;
        for (const auto& r : *out)
            if (r && r->group) changed.push_back(*r->group);
    });
    if (!out) return out.error();
    std::vector<question_change> changes;
    for (std::size_t i = 0; i < reqs.size(); ++i) {
        auto& r = (*out)[i];
        if (!r) {
            done.items.push_back({reqs[i].question_id, r.error()});
            continue;
        }
        add_changes(*r, reqs[i].actor, changes);
        done.items.push_back({reqs[i].question_id, r->updated});
    }
    if (!changes.empty()) sink_.questions_changed(changes);
    return done;
}

result<question> moderation_service::undo(std::int64_t question_id, const std::string& actor) {
    undo_request u;
    u.question_id = question_id;
    u.actor = actor_or_anonymous(actor);
    u.window_ms = options_.undo_window.count();
    result<decision_outcome> out = not_run();
    between_batches([&](std::vector<group_decision_change>& changed) {
        out = decisions_.undo_last(u);
        if (out && out->group) changed.push_back(*out->group);
    });
    if (!out) return out.error();
    std::vector<question_change> changes;
    add_changes(*out, u.actor, changes);
    if (changes.size() == 1) sink_.question_changed(changes.front());
    else if (!changes.empty()) sink_.questions_changed(changes);
    return std::move(out->updated);
}

}  // namespace tribune
