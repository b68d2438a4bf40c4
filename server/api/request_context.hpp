#pragma once
// request_context: what a route's handler gets — the request, its target and the route's
// parameters, who sent it and from where — and how it answers: JSON, an error, or any
// prepared response, now or later (reply_channel, usable from another thread). Handlers
// decode with server/wire, call a service, and encode with server/wire; the context keeps
// the rest (status mapping, headers, the route's access rule) out of them.
//
// Thread safety: a context belongs to the thread that routes the request and lives only
// while its handler runs; a reply_channel is a value that may be copied to any thread and
// used once.

#include <ostream>  // boost/core/detail/string_view.hpp needs it, and does not include it

#include <boost/beast/http.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "core/domain/role.hpp"
#include "core/domain/status.hpp"
#include "server/http/client_info.hpp"
#include "server/http/request_target.hpp"
#include "server/http/route_table.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// A body written in pieces with chunked transfer encoding (an export): each call gives the
// next piece, an empty optional after the last, or an error, which cuts the connection (the
// client sees the body end without its last chunk). Called on the connection's strand, one
// call at a time, the next only once the previous piece is written: the memory a body holds
// is one piece.
using body_pieces = std::function<result<std::optional<std::string>>()>;

// An answer: a whole response, or a response's status and headers with its body in pieces.
struct outgoing {
    outgoing(http_response r) : res(std::move(r)) {}  // NOLINT(google-explicit-constructor)
    outgoing(http_response head, body_pieces p) : res(std::move(head)), pieces(std::move(p)) {}

    http_response res;   // with `pieces`: the status and headers only
    body_pieces pieces;  // empty: `res` is the whole answer
};

// Called exactly once per request, from any thread.
using responder = std::function<void(outgoing)>;

// Where a request's answer goes: its HTTP version and keep-alive, the responder, and the
// dialect its errors are worded in (the route's).
class reply_channel {
  public:
    reply_channel(responder reply, unsigned version, bool keep_alive,
                  dialect speaks = dialect::tribune)
        : reply_(std::move(reply)), version_(version), keep_alive_(keep_alive), speaks_(speaks) {}

    // A JSON answer, not yet sent (to add headers).
    http_response json_answer(boost::beast::http::status st, const json& body) const;
    void send(boost::beast::http::status st, const json& body) const;
    // A JSON answer whose body is already encoded.
    void send_encoded(boost::beast::http::status st, std::string body) const;
    // The error in the route's dialect.
    void fail(const status& s) const;
    // An error with more in its body than the error (e.g. a 409's "current").
    void fail(const status& s, const json& body) const;
    void reply(http_response res) const { reply_(std::move(res)); }
    // A 200 with `content_type` (and a Content-Disposition when `disposition` is not empty)
    // whose body `pieces` produces (see body_pieces).
    void stream(std::string_view content_type, std::string_view disposition,
                body_pieces pieces) const;

    unsigned version() const { return version_; }
    bool keep_alive() const { return keep_alive_; }

  private:
    responder reply_;
    unsigned version_;
    bool keep_alive_;
    dialect speaks_;
};

class request_context : public reply_channel {
  public:
    // `access_checked`, when given, is set once allowed() passes (the router reads it).
    request_context(const http_request& req, const request_target& target, const route& r,
                    const route_params& params, const principal& who, const client_info& client,
                    std::size_t max_json_depth, responder reply, bool keep_alive,
                    std::shared_ptr<bool> access_checked = nullptr);

    const http_request& request() const { return req_; }
    const request_target& target() const { return target_; }
    const principal& who() const { return who_; }
    const client_info& client() const { return client_; }

    // The route's parameter (see route_params).
    const std::string& param(std::string_view name) const { return params_[name]; }
    // The parameter as a positive integer id; empty when it is not one.
    std::optional<std::int64_t> id_param(std::string_view name) const;

    // The body as a JSON object. Errors: unsupported_media_type (a Content-Type other than
    // application/json), invalid_json, invalid_utf8.
    result<json> body() const;
    // The body read by a wire decoder (`decode` takes the JSON object and returns a
    // result<T>), or empty after answering why not.
    template <typename Decode>
    auto decoded_body(Decode&& decode) const {
        using value = std::decay_t<decltype(*decode(std::declval<const json&>()))>;
        std::optional<value> out;
        auto object = body();
        if (!object) {
            fail(object.error());
            return out;
        }
        auto decoded = decode(*object);
        if (!decoded) {
            fail(decoded.error());
            return out;
        }
        out.emplace(std::move(*decoded));
        return out;
    }

    // Checks the route's access rule for acting on `event_slug` (with the decision
    // `action`); on refusal answers it and returns false. Routes whose rule is
    // checked_by_handler must call it before answering with success.
    bool allowed(std::string_view event_slug, std::string_view action = {});
    // allowed() for a public_if_event_allows rule: `event_public` is whether the event lets
    // requests without credentials through.
    bool allowed_public(std::string_view event_slug, bool event_public);

    // A copy of the answer channel for an answer given later, from any thread.
    reply_channel later() const { return *this; }

  private:
    bool check_access(std::string_view event_slug, std::string_view action, bool event_public);

    const http_request& req_;
    const request_target& target_;
    const route& route_;
    const route_params& params_;
    const principal& who_;
    const client_info& client_;
    const std::size_t max_json_depth_;
    const std::shared_ptr<bool> access_checked_;
};

}  // namespace tribune::server
