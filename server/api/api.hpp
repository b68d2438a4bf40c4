#pragma once
// api: routes a request to its use case and builds the response. Every error leaves as
// {"error": {"code", "message"}} with the status from http_status_for().
//
// Thread safety: const after construction apart from the borrowed services, which are
// themselves thread-safe; handle() may be called from any io thread concurrently.
// Ownership: borrows everything; the app owns it all and outlives the api.

#include <boost/beast/http.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "core/service/access_service.hpp"
#include "core/service/question_service.hpp"
#include "core/store/store.hpp"
#include "server/app/config.hpp"
#include "server/live/hub.hpp"
#include "server/wire/json_codec.hpp"
#include "server/ops/metrics.hpp"
#include "server/http/rate_limiter.hpp"
#include "server/http/static_files.hpp"

namespace tribune::server {

class perspective_api;  // issue 13
class webhooks_api;     // issue 13

class api {
public:
    using request = boost::beast::http::request<boost::beast::http::string_body>;
    using response = boost::beast::http::response<boost::beast::http::string_body>;
    // Called exactly once per request, from any thread.
    using responder = std::function<void(response)>;

    struct stream_target {
        std::string event;
        std::optional<std::uint64_t> since;
        std::string epoch;
        principal who;  // the authenticated client; its token can be revoked while open
    };

    // What the connection knows about its peer.
    struct client_info {
        std::string ip;
        bool loopback = false;
    };

    api(question_service& service, access_service& access, store& db, hub& h, metrics& m,
        const static_files& files, const config& cfg);

    void handle(const request& req, const client_info& client, responder reply);

    // For a WebSocket upgrade: the stream it asks for, or the error response to send.
    // Checks the credentials and, for a browser session, the Origin.
    std::variant<stream_target, response> match_stream(const request& req,
                                                       const client_info& client);

    static response json_response(boost::beast::http::status st, const json& body, const request& req);
    // An error response in the wire format; also used by http_session for read errors.
    static response error_response(const status& s, unsigned version, bool keep_alive);
    // Records one answered request that never reached handle() (e.g. body too large).
    void count(const std::string& route, unsigned status, double seconds);

    // Issue 13: the Perspective-compatible routes and the webhook admin routes (either may be
    // null). REQUIRES: called before the server starts. The lead re-wires these onto the
    // route table.
    void attach(perspective_api* perspective, webhooks_api* webhooks) {
        perspective_ = perspective;
        webhooks_ = webhooks;
    }

private:
    void route(const request& req, const std::string& route_name, const principal& who,
               const client_info& client, responder& reply);
    // Sessions, tokens and the audience's endpoints (api_access.cpp). True when handled.
    bool route_access(const request& req, const std::string& route_name, const principal& who,
                      const client_info& client, responder& reply);
    // Bearer token, else session cookie, else anonymous. Errors: unauthenticated.
    result<principal> authenticate(const request& req);
    // Rate limit, then CSRF rules for cookie-authenticated changes.
    status admit(const request& req, const principal& who, const client_info& client,
                 int& retry_after);

    question_service& service_;
    access_service& access_;
    rate_limiter ip_limits_;
    rate_limiter token_limits_;
    store& db_;
    hub& hub_;
    metrics& metrics_;
    const static_files& files_;
    const config& cfg_;
    perspective_api* perspective_ = nullptr;  // issue 13
    webhooks_api* webhooks_ = nullptr;        // issue 13
};

}  // namespace tribune::server
