#include "server/http/access_rules.hpp"

#include <algorithm>

namespace tribune::server {
namespace {

status denied(const principal& who, const std::string& what, credential_source from) {
    if (who.anonymous())
        return status::error(
            error_kind::unauthenticated, "authentication_required",
            from == credential_source::api_key
                ? "The request is missing a valid API key: send it as ?key=, X-Goog-Api-Key or "
                  "Authorization: Bearer to " + what
                : "sign in or send an access token (Authorization: Bearer ...) to " + what);
    return status::error(error_kind::forbidden, "forbidden",
                         "a " + std::string(to_string(who.r)) + " token may not " + what);
}

}  // namespace

access_rule access_rule::open() {
    access_rule r;
    r.kind_ = kind::open;
    return r;
}

// Every role a token may have but analyst, whose keys are for the Perspective API only.
access_rule access_rule::any_token(std::string what) {
    return roles({role::moderator, role::executive, role::api_client, role::audience},
                 std::move(what));
}

access_rule access_rule::signed_in(std::string what) {
    return roles({role::moderator, role::executive, role::api_client, role::audience, role::display},
                 std::move(what));
}

access_rule access_rule::roles(std::initializer_list<role> roles, std::string what) {
    access_rule r;
    r.kind_ = kind::tokens;
    r.roles_ = roles;
    r.what_ = std::move(what);
    return r;
}

access_rule access_rule::metrics(std::string mode) {
    access_rule r;
    r.kind_ = kind::metrics;
    r.metrics_mode_ = std::move(mode);
    return r;
}

access_rule access_rule::on_event() && {
    event_scoped_ = true;
    return std::move(*this);
}

access_rule access_rule::answer_by(std::initializer_list<role> roles, std::string what) && {
    answer_rule_ = true;
    answer_roles_ = roles;
    answer_what_ = std::move(what);
    return std::move(*this);
}

access_rule access_rule::checked_by_handler() && {
    handler_checks_ = true;
    return std::move(*this);
}

access_rule access_rule::public_if_event_allows() && {
    public_switch_ = true;
    handler_checks_ = true;
    return std::move(*this);
}

access_rule access_rule::by_api_key() && {
    credentials_ = credential_source::api_key;
    return std::move(*this);
}

status access_rule::check_metrics(const principal& who, const client_info& client) const {
    if (metrics_mode_ == "loopback" && !client.loopback)
        return status::error(error_kind::forbidden, "forbidden",
                             "/metrics answers only on loopback (see --metrics-access)");
    if (metrics_mode_ == "admin" && who.r != role::admin)
        return status::error(who.anonymous() ? error_kind::unauthenticated : error_kind::forbidden,
                             who.anonymous() ? "authentication_required" : "forbidden",
                             "/metrics needs an admin token");
    return status::ok();
}

status access_rule::check(std::string_view pattern, const principal& who, const client_info& client,
                          std::string_view event_slug, std::string_view action,
                          bool event_public) const {
    if (kind_ == kind::open) return status::ok();
    if (kind_ == kind::metrics) return check_metrics(who, client);
    if (who.anonymous() && public_switch_ && event_public) return status::ok();
    if (who.anonymous()) return denied(who, "use " + std::string(pattern), credentials_);
    if (who.r == role::admin) return status::ok();
    if (event_scoped_ && !event_slug.empty() && !who.covers(event_slug))
        return status::error(error_kind::forbidden, "forbidden",
                             "this token is for event '" + who.event_slug + "' only");
    const bool answering = answer_rule_ && action == "answer";
    const auto& allowed = answering ? answer_roles_ : roles_;
    if (std::find(allowed.begin(), allowed.end(), who.r) != allowed.end()) return status::ok();
    return denied(who, answering ? answer_what_ : what_, credentials_);
}

}  // namespace tribune::server
