#include "server/http/access_rules.hpp"

#include <initializer_list>

namespace tribune::server {

namespace http = boost::beast::http;

namespace {

status denied(const principal& who, const std::string& what) {
    if (who.anonymous())
        return status::error(error_kind::unauthenticated, "authentication_required",
                             "sign in or send an access token (Authorization: Bearer ...) to " + what);
    return status::error(error_kind::forbidden, "forbidden",
                         "a " + std::string(to_string(who.r)) + " token may not " + what);
}

bool one_of(role r, std::initializer_list<role> roles) {
    for (role x : roles)
        if (x == r) return true;
    return false;
}

}  // namespace

bool is_public(const std::string& route, http::verb method) {
    if (route == "/healthz" || route == "static") return true;
    if (route == "/api/v1/openapi.yaml") return true;  // issue 13: the API's description
    if (route.rfind("/api/v1/public/", 0) == 0) return true;
    return route == "/api/v1/session" && method == http::verb::post;
}

status authorize(const principal& who, const std::string& route, http::verb method,
                 std::string_view event_slug, std::string_view action) {
    if (is_public(route, method)) return status::ok();
    if (who.anonymous()) return denied(who, "use " + route);
    const role r = who.r;
    if (r == role::admin) return status::ok();
    // Issue 13: an analyst key calls the Perspective routes (perspective_api) and nothing here.
    if (r == role::analyst) return denied(who, "use " + route + " (an analyst key is for the Perspective API)");
    if (!event_slug.empty() && !who.covers(event_slug))
        return status::error(error_kind::forbidden, "forbidden",
                             "this token is for event '" + who.event_slug + "' only");

    using R = role;
    const bool get = method == http::verb::get || method == http::verb::head;
    if (route == "/api/v1/session" || route == "/metrics") return status::ok();
    if (route == "/api/v1/events") {
        if (get) return status::ok();  // the list is filtered to the token's scope
        return denied(who, "create events");
    }
    if (route == "/api/v1/events/{slug}") return status::ok();
    if (route == "/api/v1/events/{slug}/questions") {
        if (get && one_of(r, {R::moderator, R::executive, R::api_client})) return status::ok();
        if (!get && r == R::api_client) return status::ok();
        return denied(who, get ? "list questions" : "ingest questions");
    }
    if (route == "/api/v1/events/{slug}/stream") {
        // The stream carries the review queue; executives read approved questions by REST.
        if (r == R::moderator) return status::ok();
        return denied(who, "open the live stream");
    }
    if (route == "/api/v1/events/{slug}/policy") {
        if (get && r == R::moderator) return status::ok();
        return denied(who, get ? "read the policy" : "change the policy");
    }
    if (route == "/api/v1/events/{slug}/policy/dry-run") return denied(who, "dry-run policies");
    if (route == "/api/v1/events/{slug}/decisions") {
        if (r == R::moderator && action != "answer") return status::ok();
        return denied(who, "make bulk decisions");
    }
    if (route == "/api/v1/events/{slug}/shortlist" || route == "/api/v1/events/{slug}/shortlist/{id}") {
        if (get && one_of(r, {R::moderator, R::executive})) return status::ok();
        if (!get && r == R::executive) return status::ok();
        return denied(who, get ? "read the shortlist" : "change the shortlist");
    }
    if (route == "/api/v1/questions/{id}") {
        if (one_of(r, {R::moderator, R::executive, R::api_client})) return status::ok();
        return denied(who, "read questions");
    }
    if (route == "/api/v1/questions/{id}/decisions") {
        if (one_of(r, {R::moderator, R::executive})) return status::ok();
        return denied(who, "read the audit trail");
    }
    if (route == "/api/v1/questions/{id}/decision") {
        if (action == "answer") {
            if (r == R::executive) return status::ok();
            return denied(who, "mark questions answered");
        }
        if (r == R::moderator) return status::ok();
        return denied(who, "decide on questions");
    }
    if (route == "/api/v1/questions/{id}/undo") {
        if (r == R::moderator) return status::ok();
        return denied(who, "undo decisions");
    }
    if (route == "/api/v1/tokens" || route == "/api/v1/tokens/{id}") return denied(who, "manage tokens");
    return denied(who, "use " + route);
}

}  // namespace tribune::server
