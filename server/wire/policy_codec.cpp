#include "server/wire/policy_codec.hpp"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "server/wire/learning_codec.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

result<std::vector<std::string>> read_string_list(const json& body, const char* name) {
    const json& v = body.at(name);
    if (!v.is_array())
        return invalid("invalid_field", std::string(name) + " must be an array of strings");
    std::vector<std::string> out;
    for (const json& item : v) {
        if (!item.is_string())
            return invalid("invalid_field", std::string(name) + " must be an array of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

status decode_thresholds(const json& t, event_policy& base) {
    if (!t.is_object()) return invalid("invalid_field", "thresholds must be an object");
    for (const auto& [name, th] : t.items()) {
        auto a = attribute_from_string(name);
        if (!a) return invalid("invalid_field", "unknown attribute '" + name + "' in thresholds");
        if (!th.is_object())
            return invalid("invalid_field", "thresholds." + name + " must be an object");
        for (const auto& [k, v] : th.items()) {
            if (k != "review_above" && k != "reject_above")
                return invalid("invalid_field",
                               "thresholds." + name + "." + k + " is not a threshold");
            if (!v.is_number())
                return invalid("invalid_field",
                               "thresholds." + name + "." + k + " must be a number");
            float f = v.get<float>();
            (k == "review_above" ? base.thresholds.at(*a).review_above
                                 : base.thresholds.at(*a).reject_above) = f;
        }
    }
    return status::ok();
}

// The "canonical" member: any of its members; those not given keep their value.
status decode_canonical(const json& c, canonical_options& into) {
    if (!c.is_object()) return invalid("invalid_field", "canonical must be an object");
    for (const auto& [key, v] : c.items()) {
        if (key == "event_tags") {
            auto l = read_string_list(c, "event_tags");
            if (!l) return invalid("invalid_field", "canonical.event_tags must be an array of strings");
            into.event_tags = std::move(l.value());
            continue;
        }
        bool* flag = key == "enabled"              ? &into.enabled
                     : key == "drop_trailing_tags" ? &into.drop_trailing_tags
                     : key == "drop_mentions"      ? &into.drop_mentions
                     : key == "drop_links"         ? &into.drop_links
                                                   : nullptr;
        if (flag == nullptr) return invalid("invalid_field", "unknown canonical member '" + key + "'");
        if (!v.is_boolean()) return invalid("invalid_field", "canonical." + key + " must be true or false");
        *flag = v.get<bool>();
    }
    return status::ok();
}

}  // namespace

json to_json(const event_policy& p) {
    json thresholds = json::object();
    for (attribute a : all_attributes)
        thresholds[std::string(to_string(a))] = {
            {"review_above", std::round(p.thresholds.at(a).review_above * 1000.0f) / 1000.0},
            {"reject_above", std::round(p.thresholds.at(a).reject_above * 1000.0f) / 1000.0}};
    const canonical_options& c = p.canonical;
    return {{"premoderate", p.premoderate},
            {"thresholds", std::move(thresholds)},
            {"banned", p.banned},
            {"suspect", p.suspect},
            {"canonical",
             {{"enabled", c.enabled},
              {"event_tags", c.event_tags},
              {"drop_trailing_tags", c.drop_trailing_tags},
              {"drop_mentions", c.drop_mentions},
              {"drop_links", c.drop_links}}},
            {"inherit_group_decisions", p.inherit_group_decisions},
            {"learn_from_decisions", p.learn_from_decisions},
            {"narrow_review_band", p.narrow_review_band},
            {"auto_decide_unsure", p.auto_decide_unsure}};
}

result<event_policy> decode_policy(const json& body, event_policy base) {
    for (const auto& [key, value] : body.items()) {
        if (key != "premoderate" && key != "thresholds" && key != "banned" && key != "suspect" &&
            key != "canonical" && key != "inherit_group_decisions" &&
            key != "learn_from_decisions" && key != "narrow_review_band" && key != "auto_decide_unsure")
            return invalid("invalid_field", "unknown policy member '" + key + "'");
    }
    const std::pair<const char*, bool*> switches[] = {
        {"premoderate", &base.premoderate},
        {"inherit_group_decisions", &base.inherit_group_decisions},
        {"learn_from_decisions", &base.learn_from_decisions},
        {"narrow_review_band", &base.narrow_review_band},
        {"auto_decide_unsure", &base.auto_decide_unsure}};
    for (const auto& [name, flag] : switches) {
        auto p = body.find(name);
        if (p == body.end()) continue;
        if (!p->is_boolean())
            return invalid("invalid_field", std::string(name) + " must be true or false");
        *flag = p->get<bool>();
    }
    if (auto c = body.find("canonical"); c != body.end())
        if (status st = decode_canonical(*c, base.canonical); !st) return st;
    if (auto t = body.find("thresholds"); t != body.end())
        if (status st = decode_thresholds(*t, base); !st) return st;
    for (const char* name : {"banned", "suspect"}) {
        if (!body.contains(name)) continue;
        auto l = read_string_list(body, name);
        if (!l) return l.error();
        (std::string_view(name) == "banned" ? base.banned : base.suspect) = std::move(l.value());
    }
    return base;
}

json to_json(const dry_run_report& r) {
    json moves = json::array();
    for (const auto& [key, n] : r.moves)
        moves.push_back(
            {{"from", to_string(key.first)}, {"to", to_string(key.second)}, {"count", n}});
    json samples = json::array();
    for (const auto& m : r.samples)
        samples.push_back({{"question", to_json(m.q)},
                           {"to", to_string(m.to)},
                           {"reason", m.reason},
                           {"event_correction", correction_json(m.correction)}});
    return {{"considered", r.considered},
            {"would_move", r.would_move},
            {"moved_by_correction", r.moved_by_correction},
            {"moves", std::move(moves)},
            {"samples", std::move(samples)}};
}

}  // namespace tribune::server
