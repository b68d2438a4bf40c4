#include "server/wire/ranking_codec.hpp"

#include <cmath>
#include <cstdlib>

#include "core/text/utf8.hpp"
#include "server/wire/decimals.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

std::optional<double> to_number(const std::string& s) {
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<bool> to_bool(const std::string& s) {
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0") return false;
    return std::nullopt;
}


status read_number(const std::map<std::string, std::string>& params, const char* name,
                   double& into) {
    auto it = params.find(name);
    if (it == params.end() || it->second.empty()) return status::ok();
    auto v = to_number(it->second);
    if (!v) return invalid("invalid_field", std::string(name) + " must be a number");
    into = *v;
    return status::ok();
}

status read_bool(const std::map<std::string, std::string>& params, const char* name, bool& into) {
    auto it = params.find(name);
    if (it == params.end() || it->second.empty()) return status::ok();
    auto v = to_bool(it->second);
    if (!v) return invalid("invalid_field", std::string(name) + " must be true or false");
    into = *v;
    return status::ok();
}

}  // namespace

status decode_ranking_query(const std::map<std::string, std::string>& params, ranking_query& q) {
    rank_weights& w = q.weights;
    for (auto [name, into] : {std::pair{"w_votes", &w.votes}, std::pair{"w_group", &w.group},
                              std::pair{"w_recency", &w.recency},
                              std::pair{"half_life", &w.half_life_minutes}})
        if (status s = read_number(params, name, *into); !s) return s;
    if (status s = read_bool(params, "questions_only", q.questions_only); !s) return s;
    if (status s = read_bool(params, "answered", q.include_answered); !s) return s;
    if (auto it = params.find("limit"); it != params.end()) {
        auto v = parse_int(it->second);
        if (!v || *v < 1 || *v > static_cast<std::int64_t>(ranking_service::max_limit))
            return invalid("invalid_limit", "limit must be an integer from 1 to " +
                                                std::to_string(ranking_service::max_limit));
        q.limit = static_cast<std::size_t>(*v);
    }
    if (auto it = params.find("lang"); it != params.end() && !it->second.empty()) q.lang = it->second;
    if (auto it = params.find("q"); it != params.end() && !it->second.empty()) {
        if (!is_valid_utf8(it->second) || it->second.size() > 500)
            return invalid("invalid_field", "q must be valid UTF-8 of at most 500 bytes");
        q.search = it->second;
    }
    return status::ok();
}

json to_json(const ranking& r, const ranking_query& q, question_fields f) {
    json items = json::array();
    for (const ranked_question& item : r.items) {
        json rank = {{"score", to_decimals(item.score, 3)},
                     {"votes", item.votes},
                     {"asked", item.asked},
                     {"public_questions", item.public_members},
                     {"answered", item.answered},
                     {"age_minutes", to_decimals(item.age_minutes, 3)},
                     {"parts",
                      {{"votes", to_decimals(item.parts.votes, 3)},
                       {"group", to_decimals(item.parts.group, 3)},
                       {"recency", to_decimals(item.parts.recency, 3)}}}};
        items.push_back({{"question", to_json(item.q, f)}, {"rank", std::move(rank)}});
    }
    json topics = json::array();
    for (const topic_count& t : r.topics) topics.push_back({{"word", t.word}, {"questions", t.questions}});
    const rank_weights& w = q.weights;
    return {{"now", format_time(q.now)},
            {"formula", ranking_formula},
            {"weights",
             {{"votes", w.votes}, {"group", w.group}, {"recency", w.recency},
              {"half_life", w.half_life_minutes}}},
            {"groups", r.groups},
            {"hidden_not_questions", r.hidden_not_questions},
            {"topics", std::move(topics)},
            {"items", std::move(items)}};
}

}  // namespace tribune::server
