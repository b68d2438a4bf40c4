#pragma once
// perspective_api: the Perspective-compatible routes (docs/perspective.md).
//
//   POST /v1alpha1/comments:analyze        analysis_service::analyze
//   POST /v1alpha1/comments:suggestscore   analysis_service::suggest
//   GET  /$discovery/rest?version=v1alpha1 the discovery document
//   each also under /<perspective_prefix>/ when config::perspective_prefix is set;
//   GET  /api/v1/perspective/suggestions   (admin) the stored suggestions, oldest first
//
// These routes take the key as Perspective clients send it: ?key=, X-Goog-Api-Key or
// Authorization: Bearer. A key is a Tribune token of role analyst or admin; a token with a
// quota is held to it (429 RESOURCE_EXHAUSTED), one without to the server's per-token rate.
// Errors are in Google's shape (perspective_codec). Nothing here logs: neither the body nor
// the key ever reaches a log line, and the analyzed text is never stored.
//
// Thread safety: handle() may be called from any io thread concurrently (the limiters lock).
// Ownership: borrows the services and the config; the app owns them and outlives this.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/service/access_service.hpp"
#include "core/service/analysis_service.hpp"
#include "core/store/feedback_store.hpp"
#include "server/api/api.hpp"
#include "server/http/rate_limiter.hpp"
#include "server/http/request_target.hpp"

namespace tribune::server {

class perspective_api {
public:
    perspective_api(analysis_service& analysis, access_service& access, feedback_store& feedback,
                    const config& cfg);

    // The route name (for metrics) when `t` is a Perspective route, e.g.
    // "/v1alpha1/comments:analyze"; empty otherwise.
    std::optional<std::string> route_of(const request_target& t) const;
    // Answers a request route_of() claimed. Authenticates by key itself.
    void handle(const api::request& req, const request_target& t, const std::string& route,
                const api::client_info& client, const api::responder& reply);
    // The admin's export, after api has authorized the route. True when `route` is it.
    bool route_admin(const api::request& req, const std::string& route, const api::responder& reply);

private:
    // Authentication and quota; the error to answer, with retry_after set for a 429.
    result<principal> admit(const api::request& req, const request_target& t,
                            const api::client_info& client, int& retry_after);
    rate_limiter& quota_limiter(const token_quota& q);
    // {the prefix the target is under ("" at the root, else "a/b/"), the path after it}.
    std::pair<std::string, std::string> split_prefix(const request_target& t) const;
    std::string root_url(const api::request& req) const;

    analysis_service& analysis_;
    access_service& access_;
    feedback_store& feedback_;
    const config& cfg_;
    std::vector<std::string> prefix_;  // the prefix's segments
    rate_limiter ip_limits_;           // failed keys count against the address
    rate_limiter token_limits_;        // keys without a quota
    std::mutex quotas_mutex_;
    // One limiter per distinct quota; GUARDED_BY(quotas_mutex_) (the map; limiters lock themselves)
    std::map<std::pair<std::int64_t, std::int64_t>, std::unique_ptr<rate_limiter>> quotas_;
};

}  // namespace tribune::server
