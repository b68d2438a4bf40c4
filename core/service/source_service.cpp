#include "core/service/source_service.hpp"

#include <cctype>

#include "core/util/wall_clock.hpp"

namespace tribune {

source_service::source_service(event_store& events, source_store& sources)
    : events_(events), sources_(sources) {}

result<std::string> source_service::normalize_tag(const std::string& tag) {
    std::string t = tag.starts_with('#') ? tag.substr(1) : tag;
    const auto bad = [] {
        return invalid("invalid_tag", "tag must be 1 to 100 letters, digits or _ (a leading # is dropped)");
    };
    if (t.empty() || t.size() > 100) return bad();
    for (unsigned char c : t)
        // Non-ASCII bytes are letters of other scripts (Mastodon allows them in hashtags).
        if (!(std::isalnum(c) || c == '_' || c >= 0x80)) return bad();
    return t;
}

status source_service::check_endpoint(const std::string& url, const std::vector<std::string>& schemes,
                                      bool path_allowed) {
    std::string list;
    for (const std::string& s : schemes) list += (list.empty() ? "" : " or ") + s + "://";
    const auto bad = [&](const std::string& why) { return invalid("invalid_url", "url must be " + list + why); };
    std::size_t host_at = std::string::npos;
    for (const std::string& s : schemes)
        if (url.starts_with(s + "://")) host_at = s.size() + 3;
    if (host_at == std::string::npos || url.size() > 2000 || url.size() <= host_at)
        return bad(" followed by a host, at most 2000 bytes");
    for (unsigned char c : url)
        if (c <= 0x20 || c >= 0x7F) return bad(", without spaces, control or non-ASCII characters");
    const std::size_t host_end = url.find_first_of("/?#", host_at);
    const std::string authority = url.substr(host_at, host_end - host_at);
    if (authority.empty() || authority.front() == ':' || authority.find('@') != std::string::npos)
        return bad(" with a host (and no user:password@)");
    if (!path_allowed && host_end != std::string::npos && url.substr(host_end) != "/")
        return bad(" and the instance's address only, without a path");
    return status::ok();
}

result<bridge_source> source_service::create(const source_input& in) {
    auto tag = normalize_tag(in.tag);
    if (!tag) return tag.error();
    std::string endpoint = in.endpoint;
    if (in.kind == source_kind::mastodon) {
        if (status st = check_endpoint(endpoint, {"https", "http"}, false); !st) return st;
        if (endpoint.ends_with('/')) endpoint.pop_back();
    } else {
        if (endpoint.empty()) endpoint = bluesky_default_jetstream;
        if (status st = check_endpoint(endpoint, {"wss", "ws"}, true); !st) return st;
        if (!in.access_token.empty())
            return invalid("invalid_field", "access_token is for Mastodon sources only");
    }
    auto ev = events_.find_event(in.event_slug);
    if (!ev) return ev.error();
    auto existing = sources_.list_sources(ev->id);
    if (!existing) return existing.error();
    if (existing->size() >= max_sources_per_event)
        return invalid("too_many", "an event has at most " + std::to_string(max_sources_per_event) + " sources");
    new_bridge_source s;
    s.event_id = ev->id;
    s.kind = in.kind;
    s.endpoint = std::move(endpoint);
    s.tag = std::move(*tag);
    s.access_token = in.access_token;
    s.created_by = in.created_by;
    s.created_at = wall_clock_ms();
    return sources_.create_source(s);
}

result<std::vector<bridge_source>> source_service::list(const std::optional<std::string>& event_slug) {
    if (!event_slug) return sources_.list_sources(std::nullopt);
    auto ev = events_.find_event(*event_slug);
    if (!ev) return ev.error();
    return sources_.list_sources(ev->id);
}

}  // namespace tribune
