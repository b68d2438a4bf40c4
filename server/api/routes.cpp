#include "server/api/routes.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/util/split.hpp"
#include "server/api/audience_resource.hpp"
#include "server/api/decisions_resource.hpp"
#include "server/api/discovery_resource.hpp"
#include "server/api/display_resource.hpp"
#include "server/api/events_resource.hpp"
#include "server/api/files_resource.hpp"
#include "server/api/health_resource.hpp"
#include "server/api/learning_resource.hpp"
#include "server/api/openapi_resource.hpp"
#include "server/api/perspective_resource.hpp"
#include "server/api/policy_resource.hpp"
#include "server/api/questions_resource.hpp"
#include "server/api/ranking_resource.hpp"
#include "server/api/export_resource.hpp"
#include "server/api/stats_resource.hpp"
#include "server/api/sessions_resource.hpp"
#include "server/api/settings_resource.hpp"
#include "server/api/shortlist_resource.hpp"
#include "server/api/sources_resource.hpp"
#include "server/api/stream_resource.hpp"
#include "server/api/suggestions_resource.hpp"
#include "server/api/tokens_resource.hpp"
#include "server/api/webhooks_resource.hpp"

namespace tribune::server {
namespace {

using verb = boost::beast::http::verb;
using A = access_rule;
using R = role;

route endpoint(std::optional<verb> method, std::string pattern, access_rule access,
               route_handler handler, std::string label = {}) {
    route r;
    r.method = method;
    r.pattern = std::move(pattern);
    r.access = std::move(access);
    r.handler = std::move(handler);
    r.label = std::move(label);
    return r;
}

template <typename Resource>
route_handler handler_of(const std::shared_ptr<Resource>& r,
                         void (Resource::*fn)(request_context&)) {
    return [r, fn](request_context& ctx) { ((*r).*fn)(ctx); };
}

void add_operations(route_table& t, const api_services& s) {
    auto health = std::make_shared<health_resource>(s);
    for (verb m : {verb::get, verb::head})
        t.add(endpoint(m, "/healthz", A::open(), handler_of(health, &health_resource::health)));
    t.add(endpoint(verb::get, "/metrics", A::metrics(s.cfg.metrics_access),
                   handler_of(health, &health_resource::metrics_text)));
    auto openapi = std::make_shared<openapi_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/openapi.yaml", A::open(),
                   handler_of(openapi, &openapi_resource::document)));
}

void add_access(route_table& t, const api_services& s) {
    auto sessions = std::make_shared<sessions_resource>(s);
    t.add(endpoint(verb::post, "/api/v1/session", A::open(),
                   handler_of(sessions, &sessions_resource::sign_in)));
    t.add(endpoint(verb::get, "/api/v1/session", A::signed_in("use /api/v1/session"),
                   handler_of(sessions, &sessions_resource::who_am_i)));
    t.add(endpoint(verb::delete_, "/api/v1/session", A::signed_in("use /api/v1/session"),
                   handler_of(sessions, &sessions_resource::sign_out)));

    auto tokens = std::make_shared<tokens_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/tokens", A::roles({}, "manage tokens"),
                   handler_of(tokens, &tokens_resource::list)));
    t.add(endpoint(verb::post, "/api/v1/tokens", A::roles({}, "manage tokens"),
                   handler_of(tokens, &tokens_resource::create)));
    t.add(endpoint(verb::delete_, "/api/v1/tokens/{id}", A::roles({}, "manage tokens"),
                   handler_of(tokens, &tokens_resource::revoke)));
}

void add_audience(route_table& t, const api_services& s) {
    auto audience = std::make_shared<audience_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/public/events/{slug}", A::open(),
                   handler_of(audience, &audience_resource::event)));
    t.add(endpoint(verb::get, "/api/v1/public/events/{slug}/questions", A::open(),
                   handler_of(audience, &audience_resource::list)));
    t.add(endpoint(verb::post, "/api/v1/public/events/{slug}/questions", A::open(),
                   handler_of(audience, &audience_resource::ask)));
    // A read with a secret (the participant id) in its body, hence POST.
    t.add(endpoint(verb::post, "/api/v1/public/events/{slug}/questions/mine", A::open(),
                   handler_of(audience, &audience_resource::own)));
    t.add(endpoint(verb::post, "/api/v1/public/questions/{id}/vote", A::open(),
                   handler_of(audience, &audience_resource::vote)));

    auto files = std::make_shared<files_resource>(s);
    for (verb m : {verb::get, verb::head})
        t.add(endpoint(m, "/e/{slug}", A::open(), handler_of(files, &files_resource::audience_page),
                       "/e"));
}

void add_events_and_questions(route_table& t, const api_services& s) {
    auto events = std::make_shared<events_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/events", A::any_token("list events"),
                   handler_of(events, &events_resource::list)));
    t.add(endpoint(verb::post, "/api/v1/events", A::roles({}, "create events"),
                   handler_of(events, &events_resource::create)));
    t.add(endpoint(verb::get, "/api/v1/events/{slug}", A::any_token("read events").on_event(),
                   handler_of(events, &events_resource::show)));

    auto settings = std::make_shared<settings_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/events/{slug}/settings",
                   A::any_token("read event settings").on_event(),
                   handler_of(settings, &settings_resource::show)));
    t.add(endpoint(verb::put, "/api/v1/events/{slug}/settings",
                   A::roles({}, "change event settings").on_event(),
                   handler_of(settings, &settings_resource::replace)));

    auto questions = std::make_shared<questions_resource>(s);
    t.add(
        endpoint(verb::get, "/api/v1/events/{slug}/questions",
                 A::roles({R::moderator, R::executive, R::api_client}, "list questions").on_event(),
                 handler_of(questions, &questions_resource::list)));
    t.add(endpoint(verb::post, "/api/v1/events/{slug}/questions",
                   A::roles({R::api_client}, "ingest questions").on_event(),
                   handler_of(questions, &questions_resource::submit)));
    // The question's event is known once the handler has read it.
    t.add(endpoint(verb::get, "/api/v1/questions/{id}",
                   A::roles({R::moderator, R::executive, R::api_client}, "read questions")
                       .on_event()
                       .checked_by_handler(),
                   handler_of(questions, &questions_resource::show)));
}

// The rules depend on the question's event or on the decision's action: the handlers
// check them once they have read those.
void add_decisions(route_table& t, const api_services& s) {
    auto decisions = std::make_shared<decisions_resource>(s);
    t.add(endpoint(verb::post, "/api/v1/questions/{id}/decision",
                   A::roles({R::moderator}, "decide on questions")
                       .answer_by({R::executive}, "mark questions answered")
                       .on_event()
                       .checked_by_handler(),
                   handler_of(decisions, &decisions_resource::decide)));
    t.add(endpoint(verb::post, "/api/v1/questions/{id}/undo",
                   A::roles({R::moderator}, "undo decisions").on_event().checked_by_handler(),
                   handler_of(decisions, &decisions_resource::undo)));
    t.add(endpoint(verb::get, "/api/v1/questions/{id}/decisions",
                   A::roles({R::moderator, R::executive}, "read the audit trail")
                       .on_event()
                       .checked_by_handler(),
                   handler_of(decisions, &decisions_resource::trail)));
    t.add(endpoint(verb::post, "/api/v1/events/{slug}/decisions",
                   A::roles({R::moderator}, "make bulk decisions")
                       .answer_by({}, "make bulk decisions")
                       .on_event()
                       .checked_by_handler(),
                   handler_of(decisions, &decisions_resource::decide_bulk)));
}

void add_policy(route_table& t, const api_services& s) {
    auto policy = std::make_shared<policy_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/events/{slug}/policy",
                   A::roles({R::moderator}, "read the policy").on_event(),
                   handler_of(policy, &policy_resource::show)));
    t.add(endpoint(verb::put, "/api/v1/events/{slug}/policy",
                   A::roles({}, "change the policy").on_event(),
                   handler_of(policy, &policy_resource::replace)));
    t.add(endpoint(verb::post, "/api/v1/events/{slug}/policy/dry-run",
                   A::roles({}, "dry-run policies").on_event(),
                   handler_of(policy, &policy_resource::dry_run)));
}

// The executives' page: the ranking and the shortlist.
void add_executive(route_table& t, const api_services& s) {
    auto ranking = std::make_shared<ranking_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/events/{slug}/ranking",
                   A::roles({R::moderator, R::executive}, "read the ranking").on_event(),
                   handler_of(ranking, &ranking_resource::show)));

    auto learning = std::make_shared<learning_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/events/{slug}/learning",
                   A::roles({R::moderator}, "read what the event learned").on_event(),
                   handler_of(learning, &learning_resource::show)));
    t.add(endpoint(verb::post, "/api/v1/events/{slug}/learning/reset",
                   A::roles({}, "reset what the event learned").on_event(),
                   handler_of(learning, &learning_resource::reset)));

    auto shortlist = std::make_shared<shortlist_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/events/{slug}/shortlist",
                   A::roles({R::moderator, R::executive}, "read the shortlist").on_event(),
                   handler_of(shortlist, &shortlist_resource::list)));
    t.add(endpoint(verb::post, "/api/v1/events/{slug}/shortlist",
                   A::roles({R::executive}, "change the shortlist").on_event(),
                   handler_of(shortlist, &shortlist_resource::add)));
    t.add(endpoint(verb::put, "/api/v1/events/{slug}/shortlist",
                   A::roles({R::executive}, "change the shortlist").on_event(),
                   handler_of(shortlist, &shortlist_resource::reorder)));
    t.add(endpoint(verb::patch, "/api/v1/events/{slug}/shortlist/{id}",
                   A::roles({R::executive}, "change the shortlist").on_event(),
                   handler_of(shortlist, &shortlist_resource::edit)));
    t.add(endpoint(verb::delete_, "/api/v1/events/{slug}/shortlist/{id}",
                   A::roles({R::executive}, "change the shortlist").on_event(),
                   handler_of(shortlist, &shortlist_resource::remove)));
}

// The room's display: a display token (or any role that reads the shortlist), or nobody's
// when the event's display is public; the page itself at /display/{slug}.
void add_display(route_table& t, const api_services& s) {
    auto display = std::make_shared<display_resource>(s);
    auto rule = [] {
        return A::roles({R::moderator, R::executive, R::display}, "read the display")
            .on_event()
            .public_if_event_allows();
    };
    t.add(endpoint(verb::get, "/api/v1/events/{slug}/display", rule(),
                   handler_of(display, &display_resource::show)));
    route live = endpoint(verb::get, "/api/v1/events/{slug}/display/stream", rule(),
                          handler_of(display, &display_resource::plain_http));
    live.upgrade = [display](request_context& ctx) { return display->open(ctx); };
    t.add(std::move(live));

    auto files = std::make_shared<files_resource>(s);
    for (verb m : {verb::get, verb::head})
        t.add(endpoint(m, "/display/{slug}", A::open(),
                       handler_of(files, &files_resource::display_page), "/display"));
}

// The Perspective-compatible API (docs/perspective.md), at the root and, when
// --perspective-prefix is set, under it too: Google's dialect, the key as Google's clients
// send it, analyst keys only (and admin). Counted under the root pattern wherever served.
void add_perspective(route_table& t, const api_services& s) {
    auto perspective = std::make_shared<perspective_resource>(s);
    auto discovery = std::make_shared<discovery_resource>(s);
    const auto google = [](route r) {
        r.speaks = dialect::google;
        return r;
    };
    std::vector<std::string> prefixes = {""};  // "" or "a/b/": where the routes are served
    if (auto segments = split_nonempty(s.cfg.perspective_prefix, '/'); !segments.empty()) {
        std::string prefix;
        for (const std::string& segment : segments) prefix += segment + "/";
        prefixes.push_back(prefix);
    }
    for (const std::string& prefix : prefixes) {
        const std::string base = "/" + prefix;
        for (auto [method, fn] : {std::pair{"analyze", &perspective_resource::analyze},
                                  std::pair{"suggestscore", &perspective_resource::suggest_score}}) {
            const std::string root = std::string("/v1alpha1/comments:") + method;
            t.add(google(endpoint(verb::post, base + root.substr(1),
                                  A::roles({R::analyst}, "call the Perspective API (use an analyst key)")
                                      .by_api_key(),
                                  handler_of(perspective, fn), root)));
            t.add(google(endpoint(verb::options, base + root.substr(1), A::open().by_api_key(),
                                  handler_of(perspective, &perspective_resource::preflight),
                                  root)));
        }
        t.add(google(endpoint(
            verb::get, base + "$discovery/rest", A::open(),
            [discovery, prefix](request_context& ctx) { discovery->document(ctx, prefix); },
            "/$discovery/rest")));
    }
    // The suggested scores, for admins.
    auto suggestions = std::make_shared<suggestions_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/perspective/suggestions",
                   A::roles({}, "export suggested scores"),
                   handler_of(suggestions, &suggestions_resource::list)));
}

// Outbound webhooks, managed by admins (docs/api.md "Webhooks").
void add_webhooks(route_table& t, const api_services& s) {
    auto hooks = std::make_shared<webhooks_resource>(s);
    const auto admin = [] { return A::roles({}, "manage webhooks"); };
    t.add(endpoint(verb::get, "/api/v1/webhooks", admin(),
                   handler_of(hooks, &webhooks_resource::list)));
    t.add(endpoint(verb::post, "/api/v1/webhooks", admin(),
                   handler_of(hooks, &webhooks_resource::create)));
    t.add(endpoint(verb::get, "/api/v1/webhooks/{id}", admin(),
                   handler_of(hooks, &webhooks_resource::show)));
    t.add(endpoint(verb::patch, "/api/v1/webhooks/{id}", admin(),
                   handler_of(hooks, &webhooks_resource::change)));
    t.add(endpoint(verb::delete_, "/api/v1/webhooks/{id}", admin(),
                   handler_of(hooks, &webhooks_resource::remove)));
    t.add(endpoint(verb::get, "/api/v1/webhooks/{id}/deliveries", admin(),
                   handler_of(hooks, &webhooks_resource::deliveries)));
}

// An event's social-network sources, managed by admins (docs/api.md "Sources").
void add_sources(route_table& t, const api_services& s) {
    auto sources = std::make_shared<sources_resource>(s);
    const auto admin = [] { return A::roles({}, "manage sources"); };
    t.add(endpoint(verb::get, "/api/v1/events/{slug}/sources", admin(),
                   handler_of(sources, &sources_resource::list)));
    t.add(endpoint(verb::post, "/api/v1/events/{slug}/sources", admin(),
                   handler_of(sources, &sources_resource::create)));
    t.add(endpoint(verb::get, "/api/v1/events/{slug}/sources/{id}", admin(),
                   handler_of(sources, &sources_resource::show)));
    t.add(endpoint(verb::delete_, "/api/v1/events/{slug}/sources/{id}", admin(),
                   handler_of(sources, &sources_resource::remove)));
    t.add(endpoint(verb::post, "/api/v1/events/{slug}/sources/{id}/pause", admin(),
                   handler_of(sources, &sources_resource::pause)));
    t.add(endpoint(verb::post, "/api/v1/events/{slug}/sources/{id}/resume", admin(),
                   handler_of(sources, &sources_resource::resume)));
}

// A WebSocket upgrade; plain HTTP is told to upgrade. Executives may open the view protocol
// only, held to approved and answered questions (stream_resource).
void add_stream(route_table& t, const api_services& s) {
    auto stream = std::make_shared<stream_resource>(s);
    route live = endpoint(verb::get, "/api/v1/events/{slug}/stream",
                          A::roles({R::moderator, R::executive}, "open the live stream").on_event(),
                          handler_of(stream, &stream_resource::plain_http));
    live.upgrade = [stream](request_context& ctx) { return stream->open(ctx); };
    t.add(std::move(live));
}

// No endpoint under /api/v1 (every method); the dashboard's files everywhere else.
void add_fallbacks(route_table& t, const api_services& s) {
    auto files = std::make_shared<files_resource>(s);
    t.add(endpoint(std::nullopt, "/api/v1/{rest...}", A::open(),
                   handler_of(files, &files_resource::no_endpoint), "/api/other"));
    for (verb m : {verb::get, verb::head})
        t.add(endpoint(m, "/{path...}", A::open(), handler_of(files, &files_resource::file),
                       "static"));
}

}  // namespace

// The gauge of public opinion and the export.
void add_gauge(route_table& t, const api_services& s) {
    auto gauge = std::make_shared<stats_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/events/{slug}/stats",
                   A::roles({R::moderator, R::executive}, "read the stats").on_event(),
                   handler_of(gauge, &stats_resource::show)));
    auto exports = std::make_shared<export_resource>(s);
    t.add(endpoint(verb::get, "/api/v1/events/{slug}/export",
                   A::roles({R::moderator}, "export questions").on_event(),
                   handler_of(exports, &export_resource::download)));
}

void add_routes(route_table& t, const api_services& s) {
    add_operations(t, s);
    add_access(t, s);
    add_audience(t, s);
    add_events_and_questions(t, s);
    add_decisions(t, s);
    add_policy(t, s);
    add_executive(t, s);
    add_gauge(t, s);
    add_stream(t, s);
    add_display(t, s);
    add_perspective(t, s);
    add_webhooks(t, s);
    add_sources(t, s);
    add_fallbacks(t, s);
}

}  // namespace tribune::server
