#include "server/json_codec.hpp"

#include <ctime>
#include <regex>

#include "core/text_normalizer.hpp"

namespace tribune::server {
namespace {

status invalid(std::string code, std::string message) {
    return status::error(error_kind::invalid_argument, std::move(code), std::move(message));
}

json optional_string(const std::optional<std::string>& s) {
    return s ? json(*s) : json(nullptr);
}

// Reads an optional string member. Null and absent are the same.
result<std::optional<std::string>> read_optional_string(const json& body, const char* name) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string())
        return invalid("invalid_field", std::string(name) + " must be a string");
    return std::optional<std::string>(it->get<std::string>());
}

// Depth of nesting, bounded: stops counting past `limit`.
bool deeper_than(std::string_view body, std::size_t limit) {
    std::size_t depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
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

json to_json(const question& q) {
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
    return {{"id", q.id},
            {"event", q.event},
            {"text", q.text},
            {"author", optional_string(q.author)},
            {"source", optional_string(q.source)},
            {"external_id", optional_string(q.external_id)},
            {"created_at", format_time(q.created_at)},
            {"updated_at", format_time(q.updated_at)},
            {"status", to_string(q.status)},
            {"version", q.version},
            {"scores", std::move(scores)},
            {"lang", q.scored.lang},
            {"spans", std::move(spans)},
            {"verdict", q.verdict}};
}

json to_json(const status_counts& counts) {
    json out = json::object();
    for (question_status s : all_statuses) {
        auto it = counts.find(s);
        out[std::string(to_string(s))] = it == counts.end() ? 0 : it->second;
    }
    return out;
}

json to_json(const event_info& e) {
    return {{"slug", e.slug},
            {"title", e.title},
            {"premoderate", e.premoderate},
            {"created_at", format_time(e.created_at)}};
}

json to_json(const event_info& e, const status_counts& counts) {
    json j = to_json(e);
    j["counts"] = to_json(counts);
    return j;
}

json to_json(const decision_record& d) {
    return {{"id", d.id},
            {"question_id", d.question_id},
            {"actor", d.actor},
            {"action", d.action},
            {"from", d.from ? json(to_string(*d.from)) : json(nullptr)},
            {"to", to_string(d.to)},
            {"reason", d.reason},
            {"at", format_time(d.at)}};
}

json error_body(const status& s) {
    return {{"error", {{"code", s.code()}, {"message", s.message()}}}};
}

result<json> parse_object(std::string_view body, std::size_t max_depth) {
    if (!is_valid_utf8(body)) return invalid("invalid_utf8", "request body is not valid UTF-8");
    if (deeper_than(body, max_depth))
        return invalid("invalid_json", "JSON nesting deeper than " + std::to_string(max_depth));
    json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return invalid("invalid_json", "request body is not valid JSON");
    if (!j.is_object()) return invalid("invalid_json", "request body must be a JSON object");
    return j;
}

result<submission> decode_submission(const json& body, std::string event_slug) {
    submission s;
    s.event_slug = std::move(event_slug);
    auto text = body.find("text");
    if (text == body.end() || text->is_null())
        return invalid("text_required", "text is required");
    if (!text->is_string()) return invalid("invalid_field", "text must be a string");
    s.text = text->get<std::string>();
    auto author = read_optional_string(body, "author");
    if (!author) return author.error();
    auto source = read_optional_string(body, "source");
    if (!source) return source.error();
    auto external_id = read_optional_string(body, "external_id");
    if (!external_id) return external_id.error();
    s.author = std::move(*author);
    s.source = std::move(*source);
    s.external_id = std::move(*external_id);
    return s;
}

result<decision_input> decode_decision(const json& body, std::int64_t question_id) {
    decision_input d;
    d.question_id = question_id;
    auto action = body.find("action");
    if (action == body.end() || !action->is_string())
        return invalid("unknown_action", "action must be one of approve, reject, hold");
    d.action = action->get<std::string>();
    auto reason = read_optional_string(body, "reason");
    if (!reason) return reason.error();
    d.reason = reason->value_or("");
    auto moderator = read_optional_string(body, "moderator");
    if (!moderator) return moderator.error();
    d.actor = moderator->value_or("");
    if (auto v = body.find("expected_version"); v != body.end() && !v->is_null()) {
        if (!v->is_number_integer())
            return invalid("invalid_field", "expected_version must be an integer");
        d.expected_version = v->get<std::int64_t>();
    }
    return d;
}

result<new_event> decode_new_event(const json& body) {
    new_event e;
    auto slug = body.find("slug");
    if (slug == body.end() || !slug->is_string())
        return invalid("invalid_slug", "slug is required: lowercase letters, digits and dashes");
    e.slug = slug->get<std::string>();
    static const std::regex slug_re("[a-z0-9][a-z0-9-]{0,63}");
    if (!std::regex_match(e.slug, slug_re))
        return invalid("invalid_slug", "slug must match [a-z0-9][a-z0-9-]{0,63}");
    auto title = read_optional_string(body, "title");
    if (!title) return title.error();
    e.title = title->value_or(e.slug);
    if (e.title.size() > 400) return invalid("invalid_field", "title is longer than 400 bytes");
    if (auto p = body.find("premoderate"); p != body.end() && !p->is_null()) {
        if (!p->is_boolean()) return invalid("invalid_field", "premoderate must be true or false");
        e.premoderate = p->get<bool>();
    }
    return e;
}

json change_message(const question_change& c) {
    return {{"type", "question"},
            {"change", c.kind == change_kind::created ? "created" : "updated"},
            {"from", c.from ? json(to_string(*c.from)) : json(nullptr)},
            {"actor", c.actor.empty() ? json(nullptr) : json(c.actor)},
            {"question", to_json(c.q)}};
}

}  // namespace tribune::server
