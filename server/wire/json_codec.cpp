#include "server/wire/json_codec.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "core/text/text_normalizer.hpp"
#include "server/wire/learning_codec.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

// Depth of nesting, bounded: stops counting past `limit`.
bool deeper_than(std::string_view body, std::size_t limit) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > limit) return true;
        } else if (c == '}' || c == ']') {
            if (depth > 0) --depth;
        }
    }
    return false;
}

// The classifier's members: scores, spans, verdict, question_probability, and the event's
// learned correction of the scores (event_correction).
void add_scores(json& j, const question& q) {
    json scores = json::object();
    for (attribute a : all_attributes) {
        // Three decimals are plenty for a moderator and keep messages small.
        scores[std::string(to_string(a))] = std::round(q.scored.values[a] * 1000.0f) / 1000.0;
    }
    json spans = json::array();
    for (const span& s : q.scored.spans) {
        spans.push_back({{"start", s.start},
                         {"end", s.end},
                         {"attribute", to_string(s.attr)},
                         {"weight", std::round(s.weight * 1000.0f) / 1000.0},
                         {"rule", s.rule.empty() ? json(nullptr) : json(s.rule)}});
    }
    j["scores"] = std::move(scores);
    j["spans"] = std::move(spans);
    j["verdict"] = q.verdict;
    j["event_correction"] = correction_json(q.correction);
    j["question_probability"] = q.question_probability
                                    ? json(std::round(*q.question_probability * 1000.0f) / 1000.0)
                                    : json(nullptr);
}

}  // namespace

std::string format_time(timestamp_ms t) {
    std::time_t secs = static_cast<std::time_t>(t / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(t % 1000));
    return buf;
}

std::string encode(const json& document) { return document.dump(); }

result<json> parse_object(std::string_view body, std::size_t max_depth) {
    if (!is_valid_utf8(body)) return invalid("invalid_utf8", "request body is not valid UTF-8");
    if (deeper_than(body, max_depth))
        return invalid("invalid_json", "JSON nesting deeper than " + std::to_string(max_depth));
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return invalid("invalid_json", "request body is not valid JSON");
    if (!j.is_object()) return invalid("invalid_json", "request body must be a JSON object");
    return j;
}

json error_body(const status& s) {
    return {{"error", {{"code", s.code()}, {"message", s.message()}}}};
}

json error_body(const status& s, const question* current, question_fields f) {
    json b = error_body(s);
    if (current != nullptr) b["current"] = to_json(*current, f);
    return b;
}

json optional_string(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

std::optional<std::int64_t> parse_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

result<id_page> decode_id_page(const std::map<std::string, std::string>& params,
                               const std::string& cursor, std::size_t default_limit,
                               std::size_t max_limit) {
    id_page page{0, default_limit};
    if (auto c = params.find(cursor); c != params.end()) {
        auto v = parse_int(c->second);
        if (!v || *v < 0) return invalid("invalid_cursor", cursor + " must be an id");
        page.cursor = *v;
    }
    if (auto l = params.find("limit"); l != params.end()) {
        auto v = parse_int(l->second);
        if (!v || *v < 1 || *v > static_cast<std::int64_t>(max_limit))
            return invalid("invalid_limit",
                           "limit must be an integer from 1 to " + std::to_string(max_limit));
        page.limit = static_cast<std::size_t>(*v);
    }
    return page;
}

result<std::optional<std::string>> read_optional_string(const json& body, const char* name) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return invalid("invalid_field", std::string(name) + " must be a string");
    return std::optional<std::string>(it->get<std::string>());
}

json to_json(const question& q) { return to_json(q, question_fields{}); }

json is_question_json(const question& q) {
    if (!q.question_probability) return nullptr;
    return *q.question_probability >= question_threshold;
}

json to_json(const question& q, question_fields f) {
    json j = audience_json(q);
    j["source"] = optional_string(q.source);
    j["external_id"] = optional_string(q.external_id);
    j["origin_url"] = optional_string(q.origin_url);
    j["updated_at"] = format_time(q.updated_at);
    j["version"] = q.version;
    if (f.scores) add_scores(j, q);
    j["lang"] = q.scored.lang;
    j["is_question"] = is_question_json(q);
    j["cluster"] = {{"id", q.cluster_id},
                    {"size", q.cluster_size},
                    {"in_review", q.cluster_review},
                    {"heat", q.cluster_heat}};
    return j;
}

json audience_json(const question& q) {
    return {{"id", q.id},
            {"event", q.event},
            {"text", q.text},
            {"author", optional_string(q.author)},
            {"created_at", format_time(q.created_at)},
            {"status", to_string(q.status)},
            {"votes", q.votes}};
}

json to_json(const status_counts& counts) {
    json out = json::object();
    for (question_status s : all_statuses) {
        auto it = counts.find(s);
        out[std::string(to_string(s))] = it == counts.end() ? 0 : it->second;
    }
    return out;
}

json health_json(std::string_view classifier, std::size_t queue_depth,
                 std::size_t websocket_clients) {
    return {{"status", "ok"},
            {"classifier", classifier},
            {"queue_depth", queue_depth},
            {"websocket_clients", websocket_clients}};
}

}  // namespace tribune::server
