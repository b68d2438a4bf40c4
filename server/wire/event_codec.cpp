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

json to_json(const event_settings& s) {
    json out = json::object();
    for (const event_setting_flag& f : event_setting_flags) out[std::string(f.name)] = s.*f.member;
    return out;
}

status decode_settings_change(const json& body, event_settings& s) {
    for (const auto& [key, value] : body.items()) {
        const event_setting_flag* flag = nullptr;
        for (const event_setting_flag& f : event_setting_flags)
            if (f.name == key) flag = &f;
        if (flag == nullptr) {
            std::string names;
            for (const event_setting_flag& f : event_setting_flags)
                names += (names.empty() ? "" : ", ") + std::string(f.name);
            return invalid("invalid_field", "unknown setting '" + key + "'; the settings are " + names);
        }
        if (!value.is_boolean())
            return invalid("invalid_field", key + " must be true or false");
        s.*flag->member = value.get<bool>();
    }
    return status::ok();
}

}  // namespace tribune::server
