#pragma once
// api: the HTTP front door. A request is matched against the route table (routes.cpp),
// admitted (admission: credentials, rate limits, cross-site rules), checked against its
// route's access rule, and handed to the route's handler — a resource that decodes with
// server/wire, calls a service and encodes the answer. Every answer is counted under its
// route's label (metrics), logged (unless quiet) and carries the security headers; every
// error leaves in the route's dialect — {"error": {"code", "message"}}, or Google's shape on
// the Perspective-compatible routes — with the status from http_status_for().
//
// The order of refusals: a malformed target (400); admission (401 bad credentials, 429,
// 403 csrf_rejected); a request without credentials to a path that needs them (401, before
// anything else is told about it); a known path with another method (405); the route's
// access rule (401/403; for checked_by_handler routes, in the handler); then the handler's
// own answers.
//
// Thread safety: const after construction apart from the borrowed services, which are
// themselves thread-safe; handle() and upgrade() may be called from any io thread.
// Ownership: borrows everything in api_services; the app owns it all and outlives the api.

#include <ostream>  // boost/core/detail/string_view.hpp needs it, and does not include it

#include <boost/beast/http.hpp>

#include <chrono>
#include <string>
#include <variant>

#include "server/api/api_services.hpp"
#include "server/api/request_context.hpp"
#include "server/http/admission.hpp"
#include "server/http/client_info.hpp"
#include "server/http/route_table.hpp"

namespace tribune::server {

class api {
  public:
    explicit api(const api_services& services);

    // The routes; errors() lists the mistakes found while building them (the app refuses
    // to start with any).
    const route_table& routes() const { return table_; }

    // Answers `req` through `reply`, exactly once, from any thread.
    void handle(const http_request& req, const client_info& client, responder reply);

    // For a WebSocket upgrade: the opener of the stream (the connection hands it its socket),
    // or the refusal to send.
    std::variant<stream_opener, http_response> upgrade(const http_request& req,
                                                       const client_info& client);

    // Records one answered request that never reached handle() (e.g. body too large).
    void count(const std::string& label, unsigned status, double seconds);

  private:
    using clock = std::chrono::steady_clock;

    // Counts the answer under `label`, logs it (unless config::quiet: method, label, status,
    // microseconds — never the target or the body), adds the security headers and the
    // dialect's, then replies.
    responder counted(std::string label, dialect speaks, const http_request& req,
                      clock::time_point started, responder reply);
    void dispatch(const http_request& req, const request_target& target, route_match& m,
                  const principal& who, const client_info& client, const responder& answer);
    // Runs the handler; a handler that throws (a programming error) answers 500.
    void run_handler(const route& r, request_context& ctx, const reply_channel& out);

    api_services s_;
    admission admission_;
    route_table table_;
};

}  // namespace tribune::server
