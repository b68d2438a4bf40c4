#include "server/wire/stats_codec.hpp"

#include <cmath>
#include <cstdlib>

#include "core/store/store_rules.hpp"
#include "server/wire/decimals.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

status read_count(const std::map<std::string, std::string>& params, const char* name,
                  std::size_t& into) {
    auto it = params.find(name);
    if (it == params.end() || it->second.empty()) return status::ok();
    auto v = parse_int(it->second);
    if (!v || *v < 1 || *v > 50)
        return invalid("invalid_field", std::string(name) + " must be an integer from 1 to 50");
    into = static_cast<std::size_t>(*v);
    return status::ok();
}

json word_list(const std::vector<word_stat>& words) {
    json out = json::array();
    for (const word_stat& w : words)
        out.push_back({{"word", w.word},
                       {"rejected", w.rejected},
                       {"approved", w.approved},
                       {"log_odds", to_decimals(w.log_odds, 4)},
                       {"z", to_decimals(w.z, 4)}});
    return out;
}

json arrivals_json(const event_stats& s, bool public_only) {
    json out = json::object();
    json start = json::array();
    for (const arrival_bucket& b : s.arrivals) start.push_back(b.start);
    out["start"] = std::move(start);
    for (std::size_t i = 0; i < status_count; ++i) {
        if (public_only && !is_public(all_statuses[i])) continue;
        json col = json::array();
        for (const arrival_bucket& b : s.arrivals) col.push_back(b.by_status[i]);
        out[std::string(to_string(all_statuses[i]))] = std::move(col);
    }
    return out;
}

json attributes_json(const event_stats& s) {
    json out = json::object();
    json start = json::array();
    json questions = json::array();
    for (const attribute_bucket& b : s.attributes) {
        start.push_back(b.start);
        questions.push_back(b.questions);
    }
    out["start"] = std::move(start);
    out["questions"] = std::move(questions);
    for (attribute a : all_attributes) {
        const auto k = static_cast<std::size_t>(a);
        json mean = json::array();
        json share = json::array();
        for (const attribute_bucket& b : s.attributes) {
            mean.push_back(b.questions ? json(to_decimals(b.mean[k], 4)) : json(nullptr));
            share.push_back(b.questions ? json(to_decimals(static_cast<double>(b.over[k]) /
                                                                  static_cast<double>(b.questions),
                                                              4))
                                        : json(nullptr));
        }
        out[std::string(to_string(a))] = {{"mean", std::move(mean)}, {"share", std::move(share)}};
    }
    return out;
}

}  // namespace

std::optional<timestamp_ms> parse_bucket(std::string_view s) {
    if (s.empty()) return std::nullopt;
    timestamp_ms unit = 1000;
    switch (s.back()) {
        case 's': unit = 1000; s.remove_suffix(1); break;
        case 'm': unit = 60'000; s.remove_suffix(1); break;
        case 'h': unit = 3'600'000; s.remove_suffix(1); break;
        default: break;
    }
    auto n = parse_int(s);
    if (!n || *n < 1 || *n > 1'000'000) return std::nullopt;
    return *n * unit;
}

status decode_stats_query(const std::map<std::string, std::string>& params, stats_query& q) {
    if (auto it = params.find("bucket"); it != params.end()) {
        auto ms = parse_bucket(it->second);
        if (!ms || *ms < stats_service::min_bucket_ms || *ms > stats_service::max_bucket_ms)
            return invalid("invalid_bucket",
                           "bucket must be a duration from 1s to 24h, such as 60s, 5m or 1h");
        q.bucket_ms = *ms;
    }
    if (auto it = params.find("threshold"); it != params.end() && !it->second.empty()) {
        char* end = nullptr;
        const double v = std::strtod(it->second.c_str(), &end);
        if (end != it->second.c_str() + it->second.size() || !(v >= 0.0 && v <= 1.0))
            return invalid("invalid_field", "threshold must be a number from 0 to 1");
        q.threshold = static_cast<float>(v);
    }
    if (status s = read_count(params, "groups", q.top_groups); !s) return s;
    return read_count(params, "words", q.top_words);
}

json to_json(const event_stats& s, const stats_query& q, question_fields f) {
    json out = json::object();
    out["event"] = q.event_slug;
    out["bucket_seconds"] = static_cast<double>(s.bucket_ms) / 1000.0;
    out["threshold"] = to_decimals(s.threshold, 4);
    out["public_only"] = q.public_only;
    out["total"] = s.total;
    json by_status = json::object();
    for (std::size_t i = 0; i < status_count; ++i)
        if (!q.public_only || is_public(all_statuses[i]))
            by_status[std::string(to_string(all_statuses[i]))] = s.by_status[i];
    out["by_status"] = std::move(by_status);
    out["first_bucket_start"] = s.first_bucket_start ? json(*s.first_bucket_start) : json(nullptr);
    out["arrivals"] = arrivals_json(s, q.public_only);
    out["attributes"] = q.with_scores ? attributes_json(s) : json(nullptr);
    json groups = json::array();
    for (const group_stat& g : s.groups)
        groups.push_back({{"cluster_id", g.cluster_id},
                          {"size", g.size},
                          {"visible", g.visible},
                          {"question", g.shown ? to_json(*g.shown, f) : json(nullptr)}});
    out["groups"] = std::move(groups);
    out["words"] = q.with_words ? json{{"rejected", word_list(s.words_rejected)},
                                       {"approved", word_list(s.words_approved)}}
                                : json(nullptr);
    json langs = json::array();
    for (const language_stat& l : s.languages)
        langs.push_back({{"lang", l.lang}, {"questions", l.questions}});
    out["languages"] = std::move(langs);
    return out;
}

}  // namespace tribune::server
