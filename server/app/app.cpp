#include "server/app/app.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "core/service/access_service.hpp"
#include "core/service/analysis_service.hpp"
#include "core/service/moderation_query.hpp"
#include "core/service/question_service.hpp"
#include "core/service/audience_service.hpp"
#include "core/service/export_service.hpp"
#include "core/service/ranking_service.hpp"
#include "core/service/stats_service.hpp"
#include "core/service/shortlist_service.hpp"
#include "core/service/source_service.hpp"
#include "core/service/webhook_service.hpp"
#include "core/store/open_store.hpp"
#include "core/util/thread_name.hpp"
#include "server/api/api.hpp"
#include "server/bridges/bridge_manager.hpp"
#include "server/hooks/webhook_dispatcher.hpp"
#include "server/http/static_files.hpp"
#include "server/live/hub.hpp"
#include "server/live/live_feed.hpp"
#include "server/live/numbered_feed.hpp"
#include "server/live/presence.hpp"
#include "server/net/listener.hpp"
#include "server/ops/log.hpp"
#include "server/ops/metrics.hpp"

namespace tribune::server {

namespace net = boost::asio;

// Members are declared in dependency order so that destruction runs in reverse.
struct app::impl {
    config cfg;
    std::unique_ptr<classifier> model;
    std::unique_ptr<question_signal> signal;  // may be null
    std::unique_ptr<store_backend> db;
    std::unique_ptr<moderation_query> query;
    metrics stats;
    presence online;  // open streams, moderators online, arrivals
    std::unique_ptr<hub> broadcast;
    // What the services announce. With `remote`, it relays (see live_feed).
    std::unique_ptr<live_feed> feed;
    // What `remote` delivers: every change committed to a shared database (PostgreSQL),
    // numbered by it; `remote` is null on SQLite, and stopped (and destroyed) before the
    // feeds and the hub it calls.
    std::unique_ptr<numbered_feed> numbered;
    std::unique_ptr<change_source> remote;
    std::unique_ptr<question_service> service;
    std::unique_ptr<shortlist_service> shortlist;
    std::unique_ptr<ranking_service> ranking;
    std::unique_ptr<audience_service> audience;
    std::unique_ptr<stats_service> gauge;
    std::unique_ptr<export_service> exports;
    std::unique_ptr<access_service> access;
    std::unique_ptr<analysis_service> analysis;  // the Perspective-compatible API
    std::unique_ptr<webhook_service> webhooks;
    // Delivers the webhook outbox on its own thread; destroyed (so stopped) before the
    // services and the store it reads.
    std::unique_ptr<webhook_dispatcher> dispatcher;
    std::unique_ptr<source_service> sources;
    // The social bridges on their own thread; stopped before the ingest they submit to.
    std::unique_ptr<bridge_manager> bridges;
    static_files files;
    std::unique_ptr<api> routes;
    net::io_context ioc;
    std::shared_ptr<listener> acceptor;
    std::vector<std::thread> threads;
    // Keeps the io threads running while no socket operation is pending, e.g. when the
    // acceptor has closed and the only live request waits for the scoring worker.
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
    bool started = false;
    bool stopped = false;
    // Tokens revoked by another process (`tribune token revoke`) are noticed by polling.
    std::unique_ptr<net::steady_timer> revocation_timer;

    // Arrivals per minute move with time: published to the dashboards when they changed.
    std::unique_ptr<net::steady_timer> activity_timer;

    void tick_activity() {
        activity_timer->expires_after(cfg.activity_interval);
        activity_timer->async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;  // cancelled: stopping
            online.tick();
            tick_activity();
        });
    }

    // Several instances on one database: this instance's moderators online go to the others
    // whenever they change (looked at twice a second) and every activity interval (the
    // heartbeat; the others forget an instance after three of them without a word).
    std::unique_ptr<net::steady_timer> presence_timer;
    std::uint64_t presence_sent_version = 0;
    std::chrono::steady_clock::time_point presence_sent_at{};

    void share_presence() {
        presence_timer->expires_after(std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(500), cfg.activity_interval));
        presence_timer->async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;  // cancelled: stopping
            const auto now = std::chrono::steady_clock::now();
            const std::uint64_t v = online.local_version();
            if (v != presence_sent_version || now - presence_sent_at >= cfg.activity_interval) {
                const std::string head = online.instance() + "|";
                (void)remote->announce_presence(
                    head + online.local_listing(change_source::max_presence_message - head.size()));
                presence_sent_version = v;
                presence_sent_at = now;
            }
            share_presence();
        });
    }

    void watch_revocations() {
        revocation_timer->expires_after(std::chrono::seconds(2));
        revocation_timer->async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;  // cancelled: stopping
            const auto open = online.token_ids();
            if (!open.empty()) {
                if (auto tokens = access->list_tokens()) {
                    for (const token_info& t : *tokens)
                        if (t.revoked_at && std::binary_search(open.begin(), open.end(), t.id))
                            online.revoke(t.id);
                }
            }
            watch_revocations();
        });
    }

    impl(config c, std::unique_ptr<classifier> m, std::unique_ptr<question_signal> q)
        : cfg(std::move(c)),
          model(std::move(m)),
          signal(std::move(q)),
          files(cfg.web_root),
          ioc(std::max(1, cfg.threads)) {}
};

namespace {

// The Perspective-compatible analysis and the webhooks, on the store and the model.
// The social bridges (issue 16). Errors: bad_ca_file (--webhook-ca-file or --bridge-ca-file
// cannot be read).
status wire_webhooks_and_analysis(app::impl& p) {
    analysis_options analysis;
    analysis.max_text_bytes = p.cfg.perspective_max_text_bytes;
    p.analysis = std::make_unique<analysis_service>(*p.model, *p.db, analysis);
    webhook_options hooks;
    hooks.base_backoff = p.cfg.webhook_retry_base;
    hooks.disable_after = p.cfg.webhook_disable_after;
    p.webhooks = std::make_unique<webhook_service>(*p.db, *p.db, hooks);
    p.dispatcher = std::make_unique<webhook_dispatcher>(*p.webhooks, *p.db, p.cfg);
    if (status st = p.dispatcher->load_trust(); !st) return st;
    p.sources = std::make_unique<source_service>(*p.db, *p.db);
    p.bridges = std::make_unique<bridge_manager>(*p.sources, *p.service, p.cfg);
    return p.bridges->load_trust();
}

}  // namespace

app::app(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

app::~app() { stop(); }

result<std::unique_ptr<app>> app::create(config cfg, std::unique_ptr<classifier> model,
                                         std::unique_ptr<question_signal> signal) {
    auto p = std::make_unique<impl>(std::move(cfg), std::move(model), std::move(signal));
    auto db = open_store(p->cfg.db_path, p->cfg.migrations_dir,
                         static_cast<std::size_t>(std::max(2, p->cfg.threads + 1)));
    if (!db) return db.error();
    p->db = std::move(db.value());
    p->query = std::make_unique<moderation_query>(*p->db);
    p->remote = p->db->open_change_source();
    if (p->remote) {
        if (status s = p->remote->open(); !s) return s;
    }
    p->broadcast = std::make_unique<hub>(p->cfg.history_per_event, *p->query,
                                         p->remote ? p->remote->epoch() : std::string());
    if (p->remote)
        for (const auto& [slug, seq] : p->remote->positions()) p->broadcast->start_at(slug, seq);
    // Exact counts per state from the first frame on, before anything can change them.
    p->broadcast->seed_counts();
    p->feed = std::make_unique<live_feed>(*p->broadcast, p->online, p->remote.get());

    service_options opts;
    opts.max_text_chars = p->cfg.max_text_chars;
    opts.queue_capacity = p->cfg.ingest_queue_capacity;
    opts.max_batch = p->cfg.max_batch;
    opts.workers = p->cfg.scoring_workers;
    opts.question_model = p->signal.get();
    opts.shared_store = p->remote != nullptr;
    metrics* stats = &p->stats;
    opts.on_scored = [stats](double s) { stats->observe_scoring(s); };
    opts.on_committed = [stats](std::size_t n, double s) { stats->observe_commit(n, s); };
    opts.on_stages = [stats](const ingest_stages& t) { stats->observe_stages(t); };
    opts.on_corrected = [stats](std::string_view effect) { stats->count_correction(effect); };
    p->service = std::make_unique<question_service>(*p->db, *p->model, *p->feed, std::move(opts));
    if (status s = p->service->load_groups(); !s) return s;
    p->numbered = std::make_unique<numbered_feed>(*p->broadcast, p->online, *p->service);
    p->shortlist = std::make_unique<shortlist_service>(*p->db, *p->db, *p->service, *p->feed);
    p->ranking = std::make_unique<ranking_service>(*p->db);
    p->audience = std::make_unique<audience_service>(*p->service, *p->query);
    p->gauge = std::make_unique<stats_service>(*p->db, *p->db);
    p->exports = std::make_unique<export_service>(*p->db, *p->db, *p->db);
    p->access = std::make_unique<access_service>(*p->db);
    // A token revoked through the API closes its open streams at once.
    presence* online = &p->online;
    p->access->set_revocation_observer([online](std::int64_t id) { online->revoke(id); });
    if (status s = wire_webhooks_and_analysis(*p); !s) return s;
    p->routes = std::make_unique<api>(api_services{*p->service, *p->access, *p->query,
                                                   *p->shortlist, *p->ranking, *p->audience,
                                                   *p->gauge, *p->exports, *p->analysis,
                                                   *p->webhooks, *p->sources, *p->bridges, *p->db, *p->broadcast,
                                                   p->online, p->stats, p->files, p->cfg});
    if (const auto& errors = p->routes->routes().errors(); !errors.empty())
        return status::error(error_kind::internal, "bad_route_table",
                             "the route table is inconsistent: " + errors.front());

    boost::system::error_code ec;
    auto address = net::ip::make_address(p->cfg.address, ec);
    if (ec)
        return status::error(error_kind::invalid_argument, "bad_address",
                             "not an IP address: " + p->cfg.address);
    p->acceptor = std::make_shared<listener>(p->ioc, *p->routes, p->online, p->cfg);
    if (status s = p->acceptor->bind({address, p->cfg.port}); !s) return s;
    return std::unique_ptr<app>(new app(std::move(p)));
}

void app::start() {
    if (impl_->started) return;
    impl_->started = true;
    impl_->service->start();
    if (impl_->remote) {
        if (status s = impl_->remote->start(*impl_->numbered); !s)
            log_line("live changes of other instances unavailable: " + s.message());
    }
    impl_->dispatcher->start();
    impl_->bridges->start();
    impl_->acceptor->run();
    impl_->revocation_timer = std::make_unique<net::steady_timer>(impl_->ioc);
    impl_->watch_revocations();
    impl_->activity_timer = std::make_unique<net::steady_timer>(impl_->ioc);
    impl_->tick_activity();
    if (impl_->remote) {
        impl_->online.set_remote_ttl(3 * impl_->cfg.activity_interval);
        impl_->presence_timer = std::make_unique<net::steady_timer>(impl_->ioc);
        impl_->share_presence();
    }
    impl_->work.emplace(impl_->ioc.get_executor());
    for (int i = 0; i < std::max(1, impl_->cfg.threads); ++i)
        impl_->threads.emplace_back([this] {
            name_this_thread("tribune-net");
            impl_->ioc.run();
        });
}

void app::stop() {
    if (!impl_ || !impl_->started || impl_->stopped) return;
    impl_->stopped = true;
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + impl_->cfg.drain_timeout;
    // 1. Stop accepting. Sessions answer what they have read with `Connection: close`
    //    and read nothing more.
    impl_->acceptor->stop();
    // The bridges submit nothing more; their posts in flight are committed below.
    impl_->bridges->stop();
    // 2. Requests in flight finish: a post is answered after its group commit.
    if (!impl_->acceptor->wait_for_requests(deadline))
        log_line("stop: drain timeout with " +
                 std::to_string(impl_->acceptor->requests_in_flight()) +
                 " requests in flight, before the ingest queue drained");
    // 3. No new submissions; whatever is still queued is scored, committed and answered
    //    (service::stop returns once every queued callback has run), then those answers
    //    are written.
    impl_->service->stop();
    if (impl_->remote) {
        // The other instances take this one's moderators off their lists now, not after the TTL.
        (void)impl_->remote->announce_presence(impl_->online.instance() + "|");
        impl_->remote->stop();  // sends it before it returns
    }
    if (!impl_->acceptor->wait_for_requests(deadline))
        log_line("stop: drain timeout with " +
                 std::to_string(impl_->acceptor->requests_in_flight()) +
                 " requests in flight; they are cut off");
    // Webhooks: attempts in flight stay owed and are made after the next start.
    impl_->dispatcher->stop();
    // 4. Dashboards: close with "going away" and wait for the close handshakes.
    impl_->online.close_all();
    while (impl_->online.client_count() > 0 && clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    impl_->work.reset();
    impl_->ioc.stop();
    for (auto& t : impl_->threads) t.join();
    impl_->threads.clear();
    // Nothing more is posted onto the sessions' strands (the io_context goes first).
    impl_->broadcast->stop();
}

void app::run_until_signal() {
    net::io_context signals_ctx;
    net::signal_set signals(signals_ctx, SIGINT, SIGTERM);
    signals.async_wait([](const boost::system::error_code&, int) {});
    signals_ctx.run();
    // A second signal while draining is caught by `signals` (still alive) and ignored.
    stop();
}

std::uint16_t app::port() const { return impl_->acceptor->port(); }

const route_table& app::routes() const { return impl_->routes->routes(); }

}  // namespace tribune::server
