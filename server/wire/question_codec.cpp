#include "server/wire/question_codec.hpp"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "core/domain/voter.hpp"
#include "core/text/text_normalizer.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

constexpr std::int64_t max_page = 500;
constexpr std::int64_t max_audience_page = 100;
constexpr std::size_t audience_page_default = 50;

std::optional<float> to_score(const std::string& s) {
    char* end = nullptr;
    float v = std::strtof(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || !(v >= 0.0f && v <= 1.0f)) return std::nullopt;
    return v;
}

const std::string* find_param(const std::map<std::string, std::string>& params, const char* name) {
    auto it = params.find(name);
    return it == params.end() ? nullptr : &it->second;
}

status decode_statuses(const std::string& list, question_filter& f) {
    std::string_view rest = list;
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
    return status::ok();
}

// "key_id", or for sort=impact "key_heat_group_id" (encode_cursor).
status decode_cursor(const std::string& c, question_query& q) {
    std::vector<std::int64_t> parts;
    std::string_view rest = c;
    for (;;) {
        const auto sep = rest.find('_');
        auto v = parse_int(rest.substr(0, sep));
        if (!v || parts.size() == 4) return invalid("invalid_cursor", "cursor is not one this server gave");
        parts.push_back(*v);
        if (sep == std::string_view::npos) break;
        rest = rest.substr(sep + 1);
    }
    const std::size_t want = q.sort == question_sort::impact ? 4 : 2;
    if (parts.size() != want || parts.back() < 0)
        return invalid("invalid_cursor", "cursor is not one this server gave");
    q.after = want == 4 ? page_cursor{parts[0], parts[3], parts[1], parts[2]}
                        : page_cursor{parts[0], parts[1]};
    return status::ok();
}

// attribute, min_score, max_score.
status decode_score_range(const std::map<std::string, std::string>& params, question_filter& f) {
    if (const std::string* a = find_param(params, "attribute"); a && !a->empty()) {
        auto attr = attribute_from_string(*a);
        if (!attr) return invalid("invalid_field", "unknown attribute '" + *a + "'");
        f.score_attr = *attr;
    }
    for (const char* name : {"min_score", "max_score"}) {
        const std::string* v = find_param(params, name);
        if (v == nullptr || v->empty()) continue;
        auto score = to_score(*v);
        if (!score)
            return invalid("invalid_field", std::string(name) + " must be a number from 0 to 1");
        if (!f.score_attr) f.score_attr = attribute::toxicity;
        (std::string_view(name) == "min_score" ? f.min_score : f.max_score) = *score;
    }
    return status::ok();
}

// q: words the question's text must contain (full-text search).
status decode_search(const std::map<std::string, std::string>& params, question_filter& f) {
    if (const std::string* v = find_param(params, "q"); v && !v->empty()) {
        if (!is_valid_utf8(*v) || v->size() > 500)
            return invalid("invalid_field", "q must be valid UTF-8 of at most 500 bytes");
        f.search = *v;
    }
    return status::ok();
}

// lang, author, source, cluster, q.
status decode_match_fields(const std::map<std::string, std::string>& params, question_filter& f) {
    if (const std::string* v = find_param(params, "lang"); v && !v->empty()) f.lang = *v;
    if (const std::string* v = find_param(params, "author"); v && !v->empty()) f.author = *v;
    if (const std::string* v = find_param(params, "source"); v && !v->empty()) f.source = *v;
    if (const std::string* v = find_param(params, "cluster"); v && !v->empty()) {
        auto id = parse_int(*v);
        if (!id || *id < 1) return invalid("invalid_field", "cluster must be a question id");
        f.cluster = *id;
    }
    return decode_search(params, f);
}

}  // namespace

result<submission> decode_submission(const json& body, std::string event_slug) {
    submission s;
    s.event_slug = std::move(event_slug);
    auto text = body.find("text");
    if (text == body.end() || text->is_null()) return invalid("text_required", "text is required");
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

status decode_list_query(const std::map<std::string, std::string>& params, question_query& q) {
    if (const std::string* s = find_param(params, "status"); s && !s->empty())
        if (status st = decode_statuses(*s, q.filter); !st) return st;
    if (const std::string* l = find_param(params, "limit")) {
        auto v = parse_int(*l);
        if (!v || *v < 1 || *v > max_page)
            return invalid("invalid_limit", "limit must be an integer from 1 to 500");
        q.limit = static_cast<std::size_t>(*v);
    }
    // `order` is the older name of `sort`.
    const std::string* sort = find_param(params, "sort");
    if (sort == nullptr) sort = find_param(params, "order");
    if (sort != nullptr) {
        auto s = sort_from_string(*sort);
        if (!s)
            return invalid("invalid_field", "sort must be newest, oldest, severity, votes or impact");
        q.sort = *s;
    }
    if (const std::string* c = find_param(params, "cursor"); c && !c->empty())
        if (status st = decode_cursor(*c, q); !st) return st;
    if (status st = decode_score_range(params, q.filter); !st) return st;
    return decode_match_fields(params, q.filter);
}

result<question_query> decode_audience_query(const std::map<std::string, std::string>& params,
                                             std::string event_slug) {
    question_query q;
    q.event_slug = std::move(event_slug);
    q.sort = question_sort::votes;
    q.limit = audience_page_default;
    if (const std::string* s = find_param(params, "sort")) {
        auto sort = sort_from_string(*s);
        if (!sort || *sort == question_sort::impact)
            return invalid("invalid_field", "sort must be newest, oldest or votes");
        q.sort = *sort;
    }
    if (const std::string* l = find_param(params, "limit")) {
        auto v = parse_int(*l);
        if (!v || *v < 1 || *v > max_audience_page)
            return invalid("invalid_limit", "limit must be an integer from 1 to 100");
        q.limit = static_cast<std::size_t>(*v);
    }
    if (const std::string* c = find_param(params, "cursor"); c && !c->empty())
        if (status st = decode_cursor(*c, q); !st) return st;
    if (status st = decode_search(params, q.filter); !st) return st;
    return q;
}

std::string encode_cursor(const page_cursor& c) {
    if (c.group != 0)  // sort=impact
        return std::to_string(c.key) + "_" + std::to_string(c.heat) + "_" + std::to_string(c.group) +
               "_" + std::to_string(c.id);
    return std::to_string(c.key) + "_" + std::to_string(c.id);
}

namespace {

template <typename Encode>
json page_json(const question_page& page, Encode encode_one) {
    json items = json::array();
    for (const question& item : page.items) items.push_back(encode_one(item));
    return {{"items", std::move(items)},
            {"next_cursor", page.next ? json(encode_cursor(*page.next)) : json(nullptr)}};
}

}  // namespace

json to_json(const question_page& page, question_fields f) {
    return page_json(page, [f](const question& q) { return to_json(q, f); });
}

json audience_page(const question_page& page) { return page_json(page, audience_json); }

result<std::string> decode_voter(const json& body, const std::string& client_ip) {
    auto v = body.find("voter");
    if (v == body.end() || v->is_null()) return voter_key_for_address(client_ip);
    if (!v->is_string()) return check_voter_id("");  // refused as an empty id
    if (status st = check_voter_id(v->get<std::string>()); !st) return st;
    return voter_key_for_id(v->get<std::string>());
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

json to_json(const std::vector<decision_record>& trail) {
    return item_list(trail, [](const decision_record& d) { return to_json(d); });
}

}  // namespace tribune::server
