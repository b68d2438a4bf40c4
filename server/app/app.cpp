#include "server/app/app.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <optional>
#include <algorithm>
#include <thread>
#include <vector>

#include "core/service/access_service.hpp"
#include "core/service/question_service.hpp"
#include "core/service/analysis_service.hpp"   // issue 13
#include "core/service/webhook_service.hpp"    // issue 13
#include "core/sqlite/sqlite_feedback_store.hpp"  // issue 13
#include "core/sqlite/sqlite_store.hpp"
#include "core/sqlite/sqlite_webhook_store.hpp"   // issue 13
#include "core/triage/triage_policy.hpp"
#include "server/api/api.hpp"
#include "server/api/perspective_api.hpp"  // issue 13
#include "server/api/webhooks_api.hpp"     // issue 13
#include "server/hooks/webhook_dispatcher.hpp"  // issue 13
#include "server/live/hub.hpp"
#include "server/net/listener.hpp"
#include "server/ops/log.hpp"
#include "server/ops/metrics.hpp"
#include "server/http/static_files.hpp"

namespace tribune::server {

namespace net = boost::asio;

// Members are declared in dependency order so that destruction runs in reverse.
struct app::impl {
    config cfg;
    std::unique_ptr<classifier> model;
    std::unique_ptr<sqlite_store> db;
    metrics stats;
    hub broadcast;
    std::unique_ptr<question_service> service;
    std::unique_ptr<access_service> access;
    // --- issue 13: the Perspective drop-in and webhooks (the dispatcher is destroyed, and so
    // stopped, before the stores it reads) ---
    std::unique_ptr<sqlite_feedback_store> feedback;
    std::unique_ptr<sqlite_webhook_store> webhook_db;
    std::unique_ptr<analysis_service> analysis;
    std::unique_ptr<webhook_service> webhooks;
    std::unique_ptr<webhook_dispatcher> dispatcher;
    std::unique_ptr<perspective_api> perspective_routes;
    std::unique_ptr<webhooks_api> webhook_routes;
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
            broadcast.tick_activity();
            tick_activity();
        });
    }

    void watch_revocations() {
        revocation_timer->expires_after(std::chrono::seconds(2));
        revocation_timer->async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;  // cancelled: stopping
            const auto open = broadcast.token_ids();
            if (!open.empty()) {
                if (auto tokens = db->list_tokens()) {
                    for (const token_info& t : *tokens)
                        if (t.revoked_at && std::binary_search(open.begin(), open.end(), t.id))
                            broadcast.revoke(t.id);
                }
            }
            watch_revocations();
        });
    }

    impl(config c, std::unique_ptr<classifier> m)
        : cfg(std::move(c)),
          model(std::move(m)),
          broadcast(cfg.history_per_event),
          files(cfg.web_root),
          ioc(std::max(1, cfg.threads)) {}
};

app::app(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

app::~app() { stop(); }

result<std::unique_ptr<app>> app::create(config cfg, std::unique_ptr<classifier> model) {
    auto p = std::make_unique<impl>(std::move(cfg), std::move(model));
    auto db = sqlite_store::open(p->cfg.db_path, p->cfg.migrations_dir,
                                 static_cast<std::size_t>(std::max(2, p->cfg.threads + 1)));
    if (!db) return db.error();
    p->db = std::move(db.value());
    // Exact counts per state from the first frame on, before anything can change them.
    p->broadcast.seed_counts(*p->db);

    service_options opts;
    opts.max_text_chars = p->cfg.max_text_chars;
    opts.queue_capacity = p->cfg.ingest_queue_capacity;
    opts.max_batch = p->cfg.max_batch;
    opts.workers = p->cfg.scoring_workers;
    metrics* stats = &p->stats;
    opts.on_scored = [stats](double s) { stats->observe_scoring(s); };
    opts.on_committed = [stats](std::size_t n, double s) { stats->observe_commit(n, s); };
    p->service = std::make_unique<question_service>(*p->db, *p->model, p->broadcast,
                                                    std::move(opts));
    // --- issue 13 ---
    p->feedback = std::make_unique<sqlite_feedback_store>(*p->db);
    p->webhook_db = std::make_unique<sqlite_webhook_store>(*p->db);
    analysis_options aopts;
    aopts.max_text_bytes = p->cfg.perspective_max_text_bytes;
    p->analysis = std::make_unique<analysis_service>(*p->model, *p->feedback, aopts);
    webhook_options wopts;
    wopts.base_backoff = p->cfg.webhook_retry_base;
    wopts.disable_after = p->cfg.webhook_disable_after;
    p->webhooks = std::make_unique<webhook_service>(*p->db, *p->webhook_db, wopts);
    p->dispatcher = std::make_unique<webhook_dispatcher>(*p->webhooks, *p->db, p->cfg);
    if (status s = p->dispatcher->load_trust(); !s) return s;
    p->access = std::make_unique<access_service>(*p->db, p->feedback.get());
    // A token revoked through the API closes its open streams at once.
    hub* h = &p->broadcast;
    p->access->set_revocation_observer([h](std::int64_t id) { h->revoke(id); });
    p->routes = std::make_unique<api>(*p->service, *p->access, *p->db, p->broadcast, p->stats,
                                      p->files, p->cfg);
    p->perspective_routes =
        std::make_unique<perspective_api>(*p->analysis, *p->access, *p->feedback, p->cfg);
    p->webhook_routes = std::make_unique<webhooks_api>(*p->webhooks, p->cfg);
    p->routes->attach(p->perspective_routes.get(), p->webhook_routes.get());  // issue 13

    boost::system::error_code ec;
    auto address = net::ip::make_address(p->cfg.address, ec);
    if (ec)
        return status::error(error_kind::invalid_argument, "bad_address",
                             "not an IP address: " + p->cfg.address);
    p->acceptor = std::make_shared<listener>(p->ioc, *p->routes, p->broadcast, *p->db, p->cfg);
    if (status s = p->acceptor->bind({address, p->cfg.port}); !s) return s;
    return std::unique_ptr<app>(new app(std::move(p)));
}

void app::start() {
    if (impl_->started) return;
    impl_->started = true;
    impl_->service->start();
    impl_->dispatcher->start();  // issue 13
    impl_->acceptor->run();
    impl_->revocation_timer = std::make_unique<net::steady_timer>(impl_->ioc);
    impl_->watch_revocations();
    impl_->activity_timer = std::make_unique<net::steady_timer>(impl_->ioc);
    impl_->tick_activity();
    impl_->work.emplace(impl_->ioc.get_executor());
    for (int i = 0; i < std::max(1, impl_->cfg.threads); ++i)
        impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

void app::stop() {
    if (!impl_ || !impl_->started || impl_->stopped) return;
    impl_->stopped = true;
    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + impl_->cfg.drain_timeout;
    // 1. Stop accepting. Sessions answer what they have read with `Connection: close`
    //    and read nothing more.
    impl_->acceptor->stop();
    // 2. Requests in flight finish: a post is answered after its group commit.
    if (!impl_->acceptor->wait_for_requests(deadline))
        log_line("stop: drain timeout with " +
                 std::to_string(impl_->acceptor->requests_in_flight()) +
                 " requests in flight, before the ingest queue drained");
    // 3. No new submissions; whatever is still queued is scored, committed and answered
    //    (service::stop returns once every queued callback has run), then those answers
    //    are written.
    impl_->service->stop();
    if (!impl_->acceptor->wait_for_requests(deadline))
        log_line("stop: drain timeout with " +
                 std::to_string(impl_->acceptor->requests_in_flight()) +
                 " requests in flight; they are cut off");
    // Webhooks (issue 13): attempts in flight stay owed and are made after the next start.
    impl_->dispatcher->stop();
    // 4. Dashboards: close with "going away" and wait for the close handshakes.
    impl_->broadcast.close_all();
    while (impl_->broadcast.client_count() > 0 && clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    impl_->work.reset();
    impl_->ioc.stop();
    for (auto& t : impl_->threads) t.join();
    impl_->threads.clear();
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

}  // namespace tribune::server
