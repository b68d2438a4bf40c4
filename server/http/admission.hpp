#pragma once
// admission: what every request passes before its handler — who it is (a bearer token, else
// the session cookie, else anonymous; on the routes that take an API key, the key from
// ?key=, X-Goog-Api-Key or Authorization: Bearer), the rate limits (per address without a
// token, per token with one, at the token's own quota when it has one; failed credentials
// count against the address, so tokens cannot be guessed at speed), and the cross-site rules
// (a change made with the session cookie must come from this server's own pages; a WebSocket
// handshake with a foreign Origin is refused). docs/api.md "Access".
//
// Thread safety: admit() and admit_stream() may be called from any thread (the rate
// limiters lock; access_service is thread-safe).
// Ownership: borrows the access service and the config; both outlive it.

#include "core/domain/role.hpp"
#include "core/domain/status.hpp"
#include "core/service/access_service.hpp"
#include "server/app/config.hpp"
#include "server/http/client_info.hpp"
#include "server/http/rate_limiter.hpp"
#include "server/http/request_target.hpp"
#include "server/http/route_table.hpp"

namespace tribune::server {

class admission {
  public:
    admission(access_service& access, const config& cfg);

    // The principal the request acts as, taking credentials as `from` says (the route's access
    // rule), or the refusal: unauthenticated (bad credentials), forbidden (invalid_key: an API
    // key that is not valid), rate_limited (`retry_after` set, seconds; quota_exceeded for a
    // token over its own quota), forbidden (csrf_rejected).
    result<principal> admit(const http_request& req, const request_target& target,
                            credential_source from, const client_info& client, int& retry_after);
    // The same for a WebSocket handshake, whose Origin must be this server's own when the
    // browser sends one (forbidden: origin_rejected), and must be sent with the session
    // cookie.
    result<principal> admit_stream(const http_request& req, const client_info& client,
                                   int& retry_after);

  private:
    // Bearer token, else session cookie, else anonymous. Errors: unauthenticated.
    result<principal> authenticate(const http_request& req);
    // The API key, else anonymous. Errors: forbidden (invalid_key).
    result<principal> authenticate_key(const http_request& req, const request_target& target);
    // Rate limit, then the CSRF rule for cookie-authenticated changes.
    status limit(const http_request& req, const principal& who, const client_info& client,
                 int& retry_after);

    access_service& access_;
    rate_limiter ip_limits_;
    rate_limiter token_limits_;
};

}  // namespace tribune::server
