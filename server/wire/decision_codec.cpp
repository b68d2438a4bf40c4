#include "server/wire/decision_codec.hpp"

#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

// The optional "reason" and "moderator" strings of a decision body ("" when absent).
status read_reason_and_moderator(const json& body, std::string& reason, std::string& moderator) {
    auto r = read_optional_string(body, "reason");
    if (!r) return r.error();
    auto m = read_optional_string(body, "moderator");
    if (!m) return m.error();
    reason = r->value_or("");
    moderator = m->value_or("");
    return status::ok();
}

// A group's members: "cluster" and the states "from".
status decode_group(const json& body, const json& cluster, bulk_decision_input& d) {
    if (!cluster.is_number_integer() || cluster.get<std::int64_t>() <= 0)
        return invalid("invalid_field", "cluster must be a question id (a group's id)");
    d.cluster = cluster.get<std::int64_t>();
    auto from = body.find("from");
    if (from == body.end() || from->is_null()) return status::ok();
    if (!from->is_array()) return invalid("invalid_status", "from must be an array of state names");
    for (const json& n : *from) {
        auto st = n.is_string() ? status_from_string(n.get<std::string>()) : std::nullopt;
        if (!st) return invalid("invalid_status", "from must be an array of state names");
        d.from.push_back(*st);
    }
    return status::ok();
}

status decode_ids(const json& ids, bulk_decision_input& d) {
    if (!ids.is_array())
        return invalid("invalid_field", "ids must be an array of question ids (or give cluster)");
    for (const json& id : ids) {
        if (!id.is_number_integer() || id.get<std::int64_t>() <= 0)
            return invalid("invalid_field", "ids must be positive integers");
        d.ids.push_back(id.get<std::int64_t>());
    }
    return status::ok();
}

status decode_expected_versions(const json& body, bulk_decision_input& d) {
    auto ev = body.find("expected_versions");
    if (ev == body.end() || ev->is_null()) return status::ok();
    if (!ev->is_object())
        return invalid("invalid_field", "expected_versions must map ids to versions");
    for (const auto& [k, v] : ev->items()) {
        auto id = parse_int(k);
        if (!id || !v.is_number_integer())
            return invalid("invalid_field", "expected_versions must map ids to versions");
        d.expected_versions[*id] = v.get<std::int64_t>();
    }
    return status::ok();
}

}  // namespace

result<decision_input> decode_decision(const json& body, std::int64_t question_id) {
    decision_input d;
    d.question_id = question_id;
    auto action = body.find("action");
    if (action == body.end() || !action->is_string())
        return invalid("unknown_action", "action must be one of approve, reject, hold");
    d.action = action->get<std::string>();
    if (status st = read_reason_and_moderator(body, d.reason, d.actor); !st) return st;
    if (auto v = body.find("expected_version"); v != body.end() && !v->is_null()) {
        if (!v->is_number_integer())
            return invalid("invalid_field", "expected_version must be an integer");
        d.expected_version = v->get<std::int64_t>();
    }
    return d;
}

result<bulk_decision_input> decode_bulk_decision(const json& body, std::string event_slug) {
    bulk_decision_input d;
    d.event_slug = std::move(event_slug);
    auto action = body.find("action");
    if (action == body.end() || !action->is_string())
        return invalid("unknown_action",
                       "action must be one of approve, reject, hold, restore, answer");
    d.action = action->get<std::string>();
    auto ids = body.find("ids");
    auto cluster = body.find("cluster");
    if (cluster != body.end() && !cluster->is_null()) {
        if (ids != body.end() && !ids->is_null())
            return invalid("invalid_field", "give either ids or cluster, not both");
        if (status st = decode_group(body, *cluster, d); !st) return st;
    } else {
        if (ids == body.end())
            return invalid("invalid_field",
                           "ids must be an array of question ids (or give cluster)");
        if (status st = decode_ids(*ids, d); !st) return st;
    }
    if (status st = read_reason_and_moderator(body, d.reason, d.actor); !st) return st;
    if (status st = decode_expected_versions(body, d); !st) return st;
    return d;
}

json to_json(const bulk_outcome& out, bool by_group) {
    json items = json::array();
    for (const bulk_item& item : out.items) {
        if (item.outcome)
            items.push_back({{"id", item.id}, {"question", to_json(*item.outcome)}});
        else
            items.push_back(
                {{"id", item.id}, {"error", error_body(item.outcome.error())["error"]}});
    }
    json answer = {{"items", std::move(items)}};
    if (by_group) answer["more"] = out.more;
    return answer;
}

}  // namespace tribune::server
