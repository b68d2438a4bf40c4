#include "server/wire/event_codec.hpp"

#include <regex>

#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

constexpr std::size_t max_title_bytes = 400;

}  // namespace

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
    if (e.title.size() > max_title_bytes)
        return invalid("invalid_field", "title is longer than 400 bytes");
    if (auto p = body.find("premoderate"); p != body.end() && !p->is_null()) {
        if (!p->is_boolean()) return invalid("invalid_field", "premoderate must be true or false");
        e.premoderate = p->get<bool>();
    }
    return e;
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

json to_json(const std::vector<event_info>& events) {
    return item_list(events, [](const event_info& e) { return to_json(e); });
}

json to_json(const shortlist_entry& e) {
    return {{"question", to_json(e.q)},
            {"added_by", e.added_by},
            {"added_at", format_time(e.added_at)}};
}

json to_json(const std::vector<shortlist_entry>& entries) {
    return item_list(entries, [](const shortlist_entry& e) { return to_json(e); });
}

result<std::int64_t> decode_shortlist_addition(const json& body) {
    auto qid = body.find("question_id");
    if (qid == body.end() || !qid->is_number_integer() || qid->get<std::int64_t>() <= 0)
        return invalid("invalid_field", "question_id must be a question id");
    return qid->get<std::int64_t>();
}

json shortlist_removal(std::int64_t question_id) { return {{"removed", question_id}}; }

}  // namespace tribune::server
