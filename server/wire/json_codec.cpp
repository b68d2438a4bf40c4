#include "server/wire/json_codec.hpp"

#include <charconv>
#include <cstdlib>
#include <ctime>
#include <regex>

#include "core/text/text_normalizer.hpp"

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
            {"verdict", q.verdict},
            {"votes", q.votes},
            {"cluster", {{"id", q.cluster_id}, {"size", q.cluster_size}}}};
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
    if (status st = read_reason_and_moderator(body, d.reason, d.actor); !st) return st;
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

json to_json(const event_policy& p) {
    json thresholds = json::object();
    for (attribute a : all_attributes)
        thresholds[std::string(to_string(a))] = {
            {"review_above", std::round(p.thresholds.at(a).review_above * 1000.0f) / 1000.0},
            {"reject_above", std::round(p.thresholds.at(a).reject_above * 1000.0f) / 1000.0}};
    return {{"premoderate", p.premoderate},
            {"thresholds", std::move(thresholds)},
            {"banned", p.banned},
            {"suspect", p.suspect}};
}

namespace {

result<std::vector<std::string>> read_string_list(const json& body, const char* name) {
    const json& v = body.at(name);
    if (!v.is_array()) return invalid("invalid_field", std::string(name) + " must be an array of strings");
    std::vector<std::string> out;
    for (const json& item : v) {
        if (!item.is_string())
            return invalid("invalid_field", std::string(name) + " must be an array of strings");
        out.push_back(item.get<std::string>());
    }
    return out;
}

}  // namespace

result<event_policy> decode_policy(const json& body, event_policy base) {
    for (const auto& [key, value] : body.items()) {
        if (key != "premoderate" && key != "thresholds" && key != "banned" && key != "suspect")
            return invalid("invalid_field", "unknown policy member '" + key + "'");
    }
    if (auto p = body.find("premoderate"); p != body.end()) {
        if (!p->is_boolean()) return invalid("invalid_field", "premoderate must be true or false");
        base.premoderate = p->get<bool>();
    }
    if (auto t = body.find("thresholds"); t != body.end()) {
        if (!t->is_object()) return invalid("invalid_field", "thresholds must be an object");
        for (const auto& [name, th] : t->items()) {
            auto a = attribute_from_string(name);
            if (!a) return invalid("invalid_field", "unknown attribute '" + name + "' in thresholds");
            if (!th.is_object())
                return invalid("invalid_field", "thresholds." + name + " must be an object");
            for (const auto& [k, v] : th.items()) {
                if (k != "review_above" && k != "reject_above")
                    return invalid("invalid_field", "thresholds." + name + "." + k + " is not a threshold");
                if (!v.is_number())
                    return invalid("invalid_field", "thresholds." + name + "." + k + " must be a number");
                float f = v.get<float>();
                (k == "review_above" ? base.thresholds.at(*a).review_above
                                     : base.thresholds.at(*a).reject_above) = f;
            }
        }
    }
    if (body.contains("banned")) {
        auto l = read_string_list(body, "banned");
        if (!l) return l.error();
        base.banned = std::move(l.value());
    }
    if (body.contains("suspect")) {
        auto l = read_string_list(body, "suspect");
        if (!l) return l.error();
        base.suspect = std::move(l.value());
    }
    return base;
}

json to_json(const dry_run_report& r) {
    json moves = json::array();
    for (const auto& [key, n] : r.moves)
        moves.push_back({{"from", to_string(key.first)}, {"to", to_string(key.second)}, {"count", n}});
    json samples = json::array();
    for (const auto& m : r.samples)
        samples.push_back({{"question", to_json(m.q)}, {"to", to_string(m.to)}, {"reason", m.reason}});
    return {{"considered", r.considered},
            {"would_move", r.would_move},
            {"moves", std::move(moves)},
            {"samples", std::move(samples)}};
}

result<bulk_decision_input> decode_bulk_decision(const json& body, std::string event_slug) {
    bulk_decision_input d;
    d.event_slug = std::move(event_slug);
    auto action = body.find("action");
    if (action == body.end() || !action->is_string())
        return invalid("unknown_action", "action must be one of approve, reject, hold, restore, answer");
    d.action = action->get<std::string>();
    auto ids = body.find("ids");
    auto cluster = body.find("cluster");
    const bool by_group = cluster != body.end() && !cluster->is_null();
    if (by_group) {
        if (ids != body.end() && !ids->is_null())
            return invalid("invalid_field", "give either ids or cluster, not both");
        if (!cluster->is_number_integer() || cluster->get<std::int64_t>() <= 0)
            return invalid("invalid_field", "cluster must be a question id (a group's id)");
        d.cluster = cluster->get<std::int64_t>();
        if (auto from = body.find("from"); from != body.end() && !from->is_null()) {
            if (!from->is_array())
                return invalid("invalid_status", "from must be an array of state names");
            for (const json& n : *from) {
                auto st = n.is_string() ? status_from_string(n.get<std::string>()) : std::nullopt;
                if (!st) return invalid("invalid_status", "from must be an array of state names");
                d.from.push_back(*st);
            }
        }
    } else {
        if (ids == body.end() || !ids->is_array())
            return invalid("invalid_field", "ids must be an array of question ids (or give cluster)");
        for (const json& id : *ids) {
            if (!id.is_number_integer() || id.get<std::int64_t>() <= 0)
                return invalid("invalid_field", "ids must be positive integers");
            d.ids.push_back(id.get<std::int64_t>());
        }
    }
    if (status st = read_reason_and_moderator(body, d.reason, d.actor); !st) return st;
    if (auto ev = body.find("expected_versions"); ev != body.end() && !ev->is_null()) {
        if (!ev->is_object())
            return invalid("invalid_field", "expected_versions must map ids to versions");
        for (const auto& [k, v] : ev->items()) {
            std::int64_t id = 0;
            auto [ptr, ec] = std::from_chars(k.data(), k.data() + k.size(), id);
            if (ec != std::errc{} || ptr != k.data() + k.size() || !v.is_number_integer())
                return invalid("invalid_field", "expected_versions must map ids to versions");
            d.expected_versions[id] = v.get<std::int64_t>();
        }
    }
    return d;
}

namespace {

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<float> to_score(const std::string& s) {
    char* end = nullptr;
    float v = std::strtof(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !(v >= 0.0f && v <= 1.0f)) return std::nullopt;
    return v;
}

}  // namespace

std::string encode_cursor(const page_cursor& c) {
    return std::to_string(c.key) + "_" + std::to_string(c.id);
}

status decode_list_query(const std::map<std::string, std::string>& params, question_query& q) {
    auto param = [&](const char* name) -> const std::string* {
        auto it = params.find(name);
        return it == params.end() ? nullptr : &it->second;
    };
    question_filter& f = q.filter;
    if (const std::string* s = param("status"); s && !s->empty()) {
        std::string_view rest = *s;
        while (!rest.empty()) {
            auto comma = rest.find(',');
            auto name = rest.substr(0, comma);
            auto st = status_from_string(name);
            if (!st)
                return invalid("invalid_status", "unknown status '" + std::string(name) +
                                                     "'; use pending, approved, rejected, "
                                                     "auto_rejected, held or answered");
            f.statuses.push_back(*st);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
    }
    if (const std::string* l = param("limit")) {
        auto v = to_int(*l);
        if (!v || *v < 1 || *v > 500)
            return invalid("invalid_limit", "limit must be an integer from 1 to 500");
        q.limit = static_cast<std::size_t>(*v);
    }
    // `order` is the older name of `sort`.
    const std::string* sort = param("sort");
    if (sort == nullptr) sort = param("order");
    if (sort != nullptr) {
        auto s = sort_from_string(*sort);
        if (!s) return invalid("invalid_field", "sort must be newest, oldest, severity or votes");
        q.sort = *s;
    }
    if (const std::string* c = param("cursor"); c && !c->empty()) {
        auto sep = c->find('_');
        auto key = sep == std::string::npos ? std::nullopt : to_int(std::string_view(*c).substr(0, sep));
        auto id = sep == std::string::npos ? std::nullopt : to_int(std::string_view(*c).substr(sep + 1));
        if (!key || !id || *id < 0) return invalid("invalid_cursor", "cursor is not one this server gave");
        q.after = page_cursor{*key, *id};
    }
    if (const std::string* a = param("attribute"); a && !a->empty()) {
        auto attr = attribute_from_string(*a);
        if (!attr) return invalid("invalid_field", "unknown attribute '" + *a + "'");
        f.score_attr = *attr;
    }
    for (const char* name : {"min_score", "max_score"}) {
        const std::string* v = param(name);
        if (v == nullptr || v->empty()) continue;
        auto score = to_score(*v);
        if (!score) return invalid("invalid_field", std::string(name) + " must be a number from 0 to 1");
        if (!f.score_attr) f.score_attr = attribute::toxicity;
        (std::string_view(name) == "min_score" ? f.min_score : f.max_score) = *score;
    }
    if (const std::string* v = param("lang"); v && !v->empty()) f.lang = *v;
    if (const std::string* v = param("author"); v && !v->empty()) f.author = *v;
    if (const std::string* v = param("source"); v && !v->empty()) f.source = *v;
    if (const std::string* v = param("cluster"); v && !v->empty()) {
        auto id = to_int(*v);
        if (!id || *id < 1) return invalid("invalid_field", "cluster must be a question id");
        f.cluster = *id;
    }
    if (const std::string* v = param("q"); v && !v->empty()) {
        if (!is_valid_utf8(*v) || v->size() > 500)
            return invalid("invalid_field", "q must be valid UTF-8 of at most 500 bytes");
        f.search = *v;
    }
    return status::ok();
}

}  // namespace tribune::server
