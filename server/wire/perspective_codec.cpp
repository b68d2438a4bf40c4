#include "server/wire/perspective_codec.hpp"

#include <cmath>

#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

// Perspective reports scores as 32-bit floats: seven significant digits are all there is.
double score_value(float v) { return std::round(static_cast<double>(v) * 1e7) / 1e7; }

json score_json(float v) { return {{"value", score_value(v)}, {"type", "PROBABILITY"}}; }

// An optional string member, named in the error by its path (`where` + name).
result<std::optional<std::string>> string_at(const json& body, const char* name,
                                             const std::string& where) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::optional<std::string>{};
    if (!it->is_string()) return invalid("invalid_field", where + name + " must be a string");
    return std::optional<std::string>(it->get<std::string>());
}

result<bool> optional_bool(const json& body, const char* name) {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return false;
    if (!it->is_boolean()) return invalid("invalid_field", std::string(name) + " must be true or false");
    return it->get<bool>();
}

// comment: {text, type} — the text and its type.
result<std::pair<std::string, std::string>> read_comment(const json& body) {
    auto c = body.find("comment");
    if (c == body.end() || c->is_null()) return invalid("text_required", "comment.text is required");
    if (!c->is_object()) return invalid("invalid_field", "comment must be an object {text, type}");
    auto text = c->find("text");
    if (text == c->end() || text->is_null()) return invalid("text_required", "comment.text is required");
    if (!text->is_string()) return invalid("invalid_field", "comment.text must be a string");
    auto type = string_at(*c, "type", "comment.");
    if (!type) return type.error();
    return std::make_pair(text->get<std::string>(), type->value_or(""));
}

result<std::vector<std::string>> read_languages(const json& body) {
    std::vector<std::string> out;
    auto it = body.find("languages");
    if (it == body.end() || it->is_null()) return out;
    if (!it->is_array()) return invalid("invalid_field", "languages must be an array of language codes");
    for (const json& l : *it) {
        if (!l.is_string() || l.get<std::string>().empty() || l.get<std::string>().size() > 35)
            return invalid("invalid_field", "languages must be an array of language codes");
        out.push_back(l.get<std::string>());
    }
    return out;
}

result<std::optional<float>> read_probability(const json& v, const std::string& what) {
    if (v.is_null()) return std::optional<float>{};
    if (!v.is_number()) return invalid("invalid_field", what + " must be a number");
    return std::optional<float>(v.get<float>());
}

// One AttributeScores object of a suggestion: summaryScore and/or spanScores.
status read_suggested(const std::string& name, const json& scores, std::vector<suggested_score>& out) {
    if (!scores.is_object() || scores.empty())
        return invalid("invalid_field", "attributeScores." + name + " must hold summaryScore or spanScores");
    auto read_score = [&](const json& score, const std::string& what) -> result<float> {
        if (!score.is_object()) return invalid("invalid_field", what + " must be {value, type}");
        auto v = score.find("value");
        if (v == score.end()) return invalid("invalid_field", what + ".value is required");
        auto p = read_probability(*v, what + ".value");
        if (!p) return p.error();
        if (!*p) return invalid("invalid_field", what + ".value is required");
        return **p;
    };
    if (auto s = scores.find("summaryScore"); s != scores.end() && !s->is_null()) {
        auto v = read_score(*s, "attributeScores." + name + ".summaryScore");
        if (!v) return v.error();
        out.push_back({name, std::nullopt, std::nullopt, *v});
    }
    if (auto spans = scores.find("spanScores"); spans != scores.end() && !spans->is_null()) {
        if (!spans->is_array()) return invalid("invalid_field", "spanScores must be an array");
        for (const json& sp : *spans) {
            const std::string what = "attributeScores." + name + ".spanScores[]";
            if (!sp.is_object()) return invalid("invalid_field", what + " must be {begin, end, score}");
            auto b = sp.find("begin");
            auto e = sp.find("end");
            if (b == sp.end() || e == sp.end() || !b->is_number_unsigned() || !e->is_number_unsigned())
                return invalid("invalid_field", what + " needs non-negative integer begin and end");
            auto sc = sp.find("score");
            if (sc == sp.end()) return invalid("invalid_field", what + ".score is required");
            auto v = read_score(*sc, what + ".score");
            if (!v) return v.error();
            out.push_back({name, b->get<std::size_t>(), e->get<std::size_t>(), *v});
        }
    }
    return status::ok();
}

std::string error_type(const status& s) {
    const std::string& c = s.code();
    if (c == "text_required") return "COMMENT_EMPTY";
    if (c == "text_too_long") return "COMMENT_TOO_LONG";
    if (c == "language_not_supported") return "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE";
    if (c == "unknown_attribute") return "UNKNOWN_ATTRIBUTE";
    if (c == "attribute_not_offered") return "ATTRIBUTE_NOT_OFFERED";
    if (c == "quota_exceeded" || c == "rate_limited") return "QUOTA_EXCEEDED";
    return "";
}

}  // namespace

result<analyze_envelope> decode_analyze(const json& body) {
    analyze_envelope out;
    auto comment = read_comment(body);
    if (!comment) return comment.error();
    out.request.text = std::move(comment->first);
    out.request.text_type = std::move(comment->second);
    auto attrs = body.find("requestedAttributes");
    if (attrs != body.end() && !attrs->is_null()) {
        if (!attrs->is_object())
            return invalid("invalid_field", "requestedAttributes must map attribute names to {}");
        for (const auto& [name, params] : attrs->items()) {
            requested_attribute ra;
            ra.name = name;
            if (!params.is_null() && !params.is_object())
                return invalid("invalid_field", "requestedAttributes." + name + " must be an object");
            if (params.is_object()) {
                auto type = string_at(params, "scoreType", "requestedAttributes." + name + ".");
                if (!type) return type.error();
                ra.score_type = type->value_or("");
                if (auto t = params.find("scoreThreshold"); t != params.end()) {
                    auto p = read_probability(*t, "requestedAttributes." + name + ".scoreThreshold");
                    if (!p) return p.error();
                    ra.score_threshold = *p;
                }
            }
            out.request.attributes.push_back(std::move(ra));
        }
    }
    auto langs = read_languages(body);
    if (!langs) return langs.error();
    out.request.languages = std::move(*langs);
    auto spans = optional_bool(body, "spanAnnotations");
    auto drop = optional_bool(body, "dropUnsupportedAttributes");
    auto dns = optional_bool(body, "doNotStore");
    if (!spans) return spans.error();
    if (!drop) return drop.error();
    if (!dns) return dns.error();
    out.request.span_annotations = *spans;
    out.request.drop_unsupported = *drop;
    out.do_not_store = *dns;
    auto token = string_at(body, "clientToken", "");
    if (!token) return token.error();
    out.client_token = std::move(*token);
    // communityId, sessionId and context are accepted and unused, as Perspective documents
    // for context; their types are still checked so a broken client hears of it.
    for (const char* name : {"communityId", "sessionId"})
        if (auto s = string_at(body, name, ""); !s) return s.error();
    if (auto c = body.find("context"); c != body.end() && !c->is_null() && !c->is_object())
        return invalid("invalid_field", "context must be an object");
    return out;
}

json encode_analyze(const analysis_result& r, const std::optional<std::string>& client_token) {
    json scores = json::object();
    for (const attribute_score& a : r.scores) {
        json one = {{"summaryScore", score_json(a.summary)}};
        if (!a.spans.empty()) {
            json spans = json::array();
            for (const span_score& s : a.spans)
                spans.push_back({{"begin", s.begin}, {"end", s.end}, {"score", score_json(s.value)}});
            one["spanScores"] = std::move(spans);
        }
        scores[a.name] = std::move(one);
    }
    json out = {{"attributeScores", std::move(scores)},
                {"languages", r.languages},
                {"detectedLanguages", r.detected_languages}};
    if (client_token) out["clientToken"] = *client_token;
    return out;
}

result<suggestion> decode_suggest(const json& body) {
    suggestion s;
    auto comment = read_comment(body);
    if (!comment) return comment.error();
    s.text = std::move(comment->first);
    auto scores = body.find("attributeScores");
    if (scores == body.end() || !scores->is_object())
        return invalid("invalid_field", "attributeScores must map attribute names to suggested scores");
    for (const auto& [name, value] : scores->items())
        if (status st = read_suggested(name, value, s.scores); !st) return st;
    auto langs = read_languages(body);
    if (!langs) return langs.error();
    s.languages = std::move(*langs);
    auto community = string_at(body, "communityId", "");
    auto token = string_at(body, "clientToken", "");
    auto session = string_at(body, "sessionId", "");
    if (!community) return community.error();
    if (!token) return token.error();
    if (!session) return session.error();
    s.community_id = std::move(*community);
    s.client_token = std::move(*token);
    s.session_id = std::move(*session);
    if (auto c = body.find("context"); c != body.end() && !c->is_null()) {
        if (!c->is_object()) return invalid("invalid_field", "context must be an object");
        if (auto e = c->find("entries"); e != c->end() && !e->is_null()) {
            if (!e->is_array()) return invalid("invalid_field", "context.entries must be an array");
            for (const json& entry : *e) {
                if (!entry.is_object()) return invalid("invalid_field", "context.entries[] must be {text, type}");
                auto text = string_at(entry, "text", "context.entries[].");
                auto type = string_at(entry, "type", "context.entries[].");
                if (!text) return text.error();
                if (!type) return type.error();
                s.context.push_back({text->value_or(""), type->value_or("")});
            }
        }
    }
    return s;
}

json encode_suggest(const std::optional<std::string>& client_token) {
    json out = json::object();
    if (client_token) out["clientToken"] = *client_token;
    return out;
}

std::string google_status(error_kind k) {
    switch (k) {
        case error_kind::ok: return "OK";
        case error_kind::invalid_argument: return "INVALID_ARGUMENT";
        case error_kind::not_found: return "NOT_FOUND";
        case error_kind::conflict: return "ABORTED";
        case error_kind::unavailable: return "UNAVAILABLE";
        case error_kind::unauthenticated: return "UNAUTHENTICATED";
        case error_kind::forbidden: return "PERMISSION_DENIED";
        case error_kind::rate_limited: return "RESOURCE_EXHAUSTED";
        case error_kind::internal: return "INTERNAL";
    }
    return "UNKNOWN";
}

json google_error(const status& s, unsigned http_status) {
    json detail = {{"@type", "type.googleapis.com/google.rpc.ErrorInfo"},
                   {"reason", s.code()},
                   {"domain", "tribune"}};
    json details = json::array({detail});
    if (std::string t = error_type(s); !t.empty())
        details.push_back({{"@type", "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"},
                           {"errorType", t}});
    return {{"error",
             {{"code", http_status},
              {"message", s.message()},
              {"status", google_status(s.kind())},
              {"details", std::move(details)}}}};
}

json to_json(const suggestion& s) {
    json scores = json::object();
    for (const suggested_score& sc : s.scores) {
        json& a = scores[sc.attribute];
        if (!sc.span_begin) {
            a["summaryScore"] = score_json(sc.value);
        } else {
            if (!a.contains("spanScores")) a["spanScores"] = json::array();
            a["spanScores"].push_back(
                {{"begin", *sc.span_begin}, {"end", *sc.span_end}, {"score", score_json(sc.value)}});
        }
    }
    json entries = json::array();
    for (const context_entry& e : s.context) {
        json one = {{"text", e.text}};
        if (!e.type.empty()) one["type"] = e.type;
        entries.push_back(std::move(one));
    }
    return {{"id", s.id},
            {"comment", {{"text", s.text}}},
            {"context", {{"entries", std::move(entries)}}},
            {"attributeScores", std::move(scores)},
            {"languages", s.languages},
            {"communityId", optional_string(s.community_id)},
            {"clientToken", optional_string(s.client_token)},
            {"sessionId", optional_string(s.session_id)},
            {"submittedBy", s.submitted_by},
            {"createdAt", format_time(s.created_at)}};
}

json suggestion_page(const std::vector<suggestion>& page, std::size_t limit) {
    json out = item_list(page, [](const suggestion& s) { return to_json(s); });
    out["next_after"] = page.size() == limit && !page.empty() ? json(page.back().id) : json(nullptr);
    return out;
}

}  // namespace tribune::server
