#pragma once
// access_rule: who may call a route. Each route of the route table carries one; check() is
// the one place a rule is evaluated, and the refusals it words are the ones docs/api.md
// lists (401 authentication_required, 403 forbidden).
//
// A rule is one of:
//  - open: anyone, without credentials (/healthz, the audience's endpoints, signing in, the
//    dashboard's files);
//  - tokens: an access token whose role is listed (an admin token always passes), and, for
//    a route that acts on one event, whose event scope covers it. A decision route may name
//    other roles for the action "answer". A route may also admit requests without a token
//    when its event allows it (public_if_event_allows: the room's display, when an admin
//    made it public);
//  - metrics: /metrics, as --metrics-access says (loopback, open, admin).
// A rule also says how the route's callers send credentials (credential_source): a bearer
// token or the browser's session cookie (Tribune's API), or an API key as Google's API clients
// send one (the Perspective-compatible routes). Admission reads them from there.
// Most rules are checked by the router before the handler runs. A rule marked
// checked_by_handler is for a route whose event or action is known only once the handler
// has read the question or the body; the handler checks it (request_context::allowed) and
// the router refuses a success that was not checked.
//
// Thread safety: plain values and pure functions.

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/role.hpp"
#include "core/domain/status.hpp"
#include "server/http/client_info.hpp"

namespace tribune::server {

// Where a route's credentials come from.
//  - bearer_or_session: Authorization: Bearer <token>, else the session cookie.
//  - api_key: the token as a Google API key: ?key=, else X-Goog-Api-Key, else
//    Authorization: Bearer (never a cookie). A key that is not valid is refused with 403.
enum class credential_source { bearer_or_session, api_key };

class access_rule {
  public:
    enum class kind { open, tokens, metrics };

    // Admin tokens only (the safe default).
    access_rule() = default;

    // Anyone, without credentials.
    static access_rule open();
    // Any access token but a display token (each role's scope is still checked for an event
    // route).
    static access_rule any_token(std::string what);
    // Any access token, a display token too: signing in and out, who am I.
    static access_rule signed_in(std::string what);
    // A token of one of `roles` (or an admin token). `what` completes the refusal: "a
    // moderator token may not <what>".
    static access_rule roles(std::initializer_list<role> roles, std::string what);
    // /metrics under --metrics-access `mode` (loopback | open | admin).
    static access_rule metrics(std::string mode);

    // The route acts on the event its path (or its question) names: a token scoped to
    // another event is refused.
    access_rule on_event() &&;
    // The action "answer" needs one of `roles` instead.
    access_rule answer_by(std::initializer_list<role> roles, std::string what) &&;
    // The handler checks the rule once it knows the event or the action.
    access_rule checked_by_handler() &&;
    // Requests without credentials reach the handler, which lets them through when the
    // event is public (check(..., event_public)). Implies checked_by_handler.
    access_rule public_if_event_allows() &&;
    // Callers send their token as an API key (credential_source::api_key).
    access_rule by_api_key() &&;

    kind rule_kind() const { return kind_; }
    bool event_scoped() const { return event_scoped_; }
    bool handler_checks() const { return handler_checks_; }
    credential_source credentials() const { return credentials_; }
    // True when a request without credentials may reach the route's handler (open and
    // metrics rules); the router answers 401 before anything else otherwise.
    bool admits_anonymous() const { return kind_ != kind::tokens || public_switch_; }

    // OK, or the refusal: unauthenticated ("authentication_required") for a request without
    // credentials, forbidden ("forbidden") otherwise. `pattern` names the route in the
    // refusal; `event_slug` is the event the request acts on (empty: none or not known);
    // `action` the decision's action on decision routes; `event_public` whether the event
    // lets requests without credentials through a public_if_event_allows rule.
    status check(std::string_view pattern, const principal& who, const client_info& client,
                 std::string_view event_slug = {}, std::string_view action = {},
                 bool event_public = false) const;

  private:
    status check_metrics(const principal& who, const client_info& client) const;

    kind kind_ = kind::tokens;
    std::vector<role> roles_;  // besides admin
    std::string what_ = "use this route";
    bool event_scoped_ = false;
    bool handler_checks_ = false;
    credential_source credentials_ = credential_source::bearer_or_session;
    bool answer_rule_ = false;
    bool public_switch_ = false;
    std::vector<role> answer_roles_;
    std::string answer_what_;
    std::string metrics_mode_;
};

}  // namespace tribune::server
