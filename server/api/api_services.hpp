#pragma once
// api_services: what the API's resources use — the core's use cases (questions, access,
// the moderation queries, analysis for the Perspective-compatible API, webhooks), the live
// stream's hub and presence, the metrics, the dashboard's files and the settings. Built by
// the app.
//
// Ownership: borrows everything; the app owns it all and outlives the API.
// Thread safety: each member is thread-safe (see its header).

#include "core/service/access_service.hpp"
#include "core/service/analysis_service.hpp"
#include "core/service/audience_service.hpp"
#include "core/service/export_service.hpp"
#include "core/service/moderation_query.hpp"
#include "core/service/question_service.hpp"
#include "core/service/ranking_service.hpp"
#include "core/service/shortlist_service.hpp"
#include "core/service/stats_service.hpp"
#include "core/service/source_service.hpp"
#include "core/service/webhook_service.hpp"
#include "core/store/store.hpp"
#include "server/app/config.hpp"
#include "server/bridges/bridge_manager.hpp"
#include "server/http/static_files.hpp"
#include "server/live/hub.hpp"
#include "server/live/presence.hpp"
#include "server/ops/metrics.hpp"

namespace tribune::server {

struct api_services {
    question_service& questions;
    access_service& access;
    moderation_query& query;
    shortlist_service& shortlist;
    ranking_service& ranking;
    audience_service& audience;
    stats_service& gauge;      // the numbers of the dashboards' charts
    export_service& exports;
    analysis_service& analysis;  // the Perspective-compatible API
    webhook_service& webhooks;
    source_service& sources;   // social-network sources per event (issue 16)
    bridge_manager& bridges;   // their bridges: health, wake after a change
    // Event creation and event settings, which have no use case of their own in core yet.
    store& db;
    hub& stream_hub;
    presence& online;
    metrics& stats;
    const static_files& files;
    const config& cfg;
};

// The base of the resources: the services they use.
class resource {
  public:
    explicit resource(const api_services& s) : s_(s) {}

  protected:
    api_services s_;
};

}  // namespace tribune::server
