#pragma once
// route_table: the one table of the server's HTTP routes. Each route is a method, a path
// pattern, the access rule that guards it (access_rules.hpp: who, and how the credentials
// come), its handler, the label its requests are counted under in /metrics (the pattern
// unless said otherwise) and the dialect its answers speak. The router (api), admission, the
// access checks, the metrics and the OpenAPI check all read this table; a route's pattern is
// written once, where it is added (server/api/routes.cpp).
//
// Patterns are '/'-separated segments, each
//  - a literal: any characters but '/', '{' and '}' ("events", "dry-run",
//    "comments:analyze" — a ':' is an ordinary character);
//  - a parameter "{name}": exactly one segment, read by the handler as params[name];
//  - a rest parameter "{name...}", last only: zero or more segments (fallbacks such as the
//    dashboard's files).
// Paths are matched as request_target splits them: percent-decoded segments, empty ones
// dropped ("/a//b/" is "/a/b"; "%3A" is ':'). When several patterns match a path the most
// specific wins: at the first segment where they differ, a literal beats a parameter,
// which beats a rest parameter. Among the routes of that pattern the method picks one; a
// route without a method answers every method. No route of that pattern for the method:
// wrong_method (405).
//
// Mistakes fail loudly: add() rejects a malformed pattern, a second route for the same
// method and pattern, and two spellings of the same pattern ("/q/{id}" and "/q/{qid}"); the
// app refuses to start with the error (errors()). Reading a parameter the pattern does not
// declare throws std::logic_error (a programming error; the router answers 500).
//
// Thread safety: built on one thread before serving; const afterwards (match() from any
// thread).

#include <ostream>  // boost/core/detail/string_view.hpp needs it, and does not include it

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "server/http/access_rules.hpp"

namespace tribune::server {

class request_context;  // server/api/request_context.hpp

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;

// Answers a request through its context.
using route_handler = std::function<void(request_context&)>;
// Takes over an upgraded connection: the socket and the handshake request.
using stream_opener = std::function<void(boost::asio::ip::tcp::socket&&, http_request&&)>;
// A WebSocket route: the opener for an accepted upgrade, or empty after answering a refusal
// through the context.
using upgrade_handler = std::function<std::optional<stream_opener>(request_context&)>;

// The parameters a matched path gives its pattern.
class route_params {
  public:
    // The parameter's segment (a rest parameter: its segments joined by '/').
    // Throws std::logic_error when the pattern declares no such parameter.
    const std::string& operator[](std::string_view name) const;
    void set(std::string name, std::string value) {
        values_.emplace_back(std::move(name), std::move(value));
    }

  private:
    std::vector<std::pair<std::string, std::string>> values_;
};

// How a route's answers are worded.
//  - tribune: Tribune's own API (docs/api.md): errors {"error": {"code", "message"}}.
//  - google: the Perspective-compatible routes (docs/perspective.md): errors in Google's API
//    shape {"error": {"code": 400, "message", "status": "INVALID_ARGUMENT", ...}}, and every
//    answer readable by any web page (Access-Control-Allow-Origin: *), as Google's are.
enum class dialect { tribune, google };

struct route {
    std::optional<boost::beast::http::verb> method;  // empty: every method
    std::string pattern;
    access_rule access;
    route_handler handler;
    std::string label;        // for metrics; empty: the pattern
    upgrade_handler upgrade;  // set for a WebSocket endpoint (GET)
    dialect speaks = dialect::tribune;

    const std::string& metrics_label() const { return label.empty() ? pattern : label; }
};

enum class match_kind { found, wrong_method, no_route };

struct route_match {
    match_kind kind = match_kind::no_route;
    // found: the route. wrong_method: every route of the path's pattern (other methods).
    std::vector<const route*> routes;
    route_params params;

    const route* found() const { return kind == match_kind::found ? routes.front() : nullptr; }
    // The pattern's label, or `fallback` when nothing matched.
    const std::string& label(const std::string& fallback) const {
        return routes.empty() ? fallback : routes.front()->metrics_label();
    }
    // The dialect of the pattern's routes (tribune when nothing matched).
    dialect speaks() const { return routes.empty() ? dialect::tribune : routes.front()->speaks; }
    // How the pattern's routes take credentials (bearer or session when nothing matched).
    credential_source credentials() const {
        return routes.empty() ? credential_source::bearer_or_session
                              : routes.front()->access.credentials();
    }
    // True when some route of the pattern admits requests without credentials.
    bool admits_anonymous() const;
};

class route_table {
  public:
    route_table() = default;
    route_table(const route_table&) = delete;
    route_table& operator=(const route_table&) = delete;

    // Adds a route; a mistake is recorded (see errors()) and the route left out.
    void add(route r);
    // Every mistake add() found, one line each; empty when the table is sound.
    const std::vector<std::string>& errors() const { return errors_; }

    route_match match(boost::beast::http::verb method,
                      const std::vector<std::string>& segments) const;

    // Every route, in the order added (for the OpenAPI check and the metrics).
    std::vector<const route*> routes() const;

  private:
    struct segment {
        enum class kind { literal, param, rest } k = kind::literal;
        std::string text;  // the literal, or the parameter's name
    };
    struct entry {
        route r;
        std::vector<segment> segments;
    };

    // Errors: a message naming the fault.
    static std::optional<std::string> compile(const std::string& pattern,
                                              std::vector<segment>& out);
    static bool names_param(const std::vector<segment>& pattern, std::string_view name);
    static bool same_shape(const std::vector<segment>& a, const std::vector<segment>& b);
    // -1, 0, 1: whether `a` is less, equally or more specific than `b`.
    static int compare_specificity(const std::vector<segment>& a, const std::vector<segment>& b);
    static bool matches(const std::vector<segment>& pattern, const std::vector<std::string>& path,
                        route_params* params);

    std::vector<entry> entries_;
    std::vector<std::string> errors_;
};

}  // namespace tribune::server
