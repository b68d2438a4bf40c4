#include "server/bridges/bridge_manager.hpp"

#include <boost/asio/post.hpp>

#include <set>

#include "core/util/thread_name.hpp"
#include "server/net/client_tls.hpp"
#include "server/ops/log.hpp"

namespace tribune::server {

namespace net = boost::asio;

bridge_manager::bridge_manager(source_service& sources, question_service& questions, const config& cfg)
    : sources_(sources), cfg_(cfg), tls_(net::ssl::context::tls_client),
      ctx_{ioc_, tls_,
           [&questions](submission s, ingest_pipeline::submit_callback done) {
               return questions.submit(std::move(s), std::move(done));
           },
           health_, cfg},
      timer_(ioc_) {}

bridge_manager::~bridge_manager() { stop(); }

status bridge_manager::load_trust() { return load_client_trust(tls_, cfg_.bridge_ca_file, "--bridge-ca-file"); }

void bridge_manager::start() {
    if (started_ || !cfg_.bridges) return;
    started_ = true;
    net::post(ioc_, [this] { sync(); });
    schedule();
    thread_ = std::thread([this] {
        name_this_thread("tribune-bridge");
        ioc_.run();
    });
}

void bridge_manager::stop() {
    if (!started_) return;
    started_ = false;
    net::post(ioc_, [this] {
        timer_.cancel();
        for (auto& [id, r] : running_) {
            r->stop();
            save_cursor(*r);
        }
        running_.clear();
    });
    // The runners' loops end on their next turn; run until they have, then stop.
    net::post(ioc_, [this] { net::post(ioc_, [this] { ioc_.stop(); }); });
    thread_.join();
}

void bridge_manager::wake() {
    if (started_) net::post(ioc_, [this] { sync(); });
}

void bridge_manager::schedule() {
    timer_.expires_after(cfg_.bridge_poll_interval);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;  // cancelled: stopping
        sync();
        schedule();
    });
}

void bridge_manager::save_cursor(bridge_runner& r) {
    if (auto cursor = r.cursor_to_save())
        if (status st = sources_.save_cursor(r.source().id, *cursor); !st)
            log_line("bridge " + std::to_string(r.source().id) + ": cannot store the cursor: " + st.message());
}

void bridge_manager::sync() {
    auto sources = sources_.list(std::nullopt);
    if (!sources) {
        log_line("bridges: cannot read the sources: " + sources.error().message());
        return;
    }
    std::set<std::int64_t> wanted;
    for (const bridge_source& s : *sources) {
        if (s.paused) continue;
        wanted.insert(s.id);
        if (running_.count(s.id)) continue;
        auto r = bridge_runner::make(ctx_, s);
        running_.emplace(s.id, r);
        r->start();
    }
    std::set<std::int64_t> existing;
    for (const bridge_source& s : *sources) existing.insert(s.id);
    for (auto it = running_.begin(); it != running_.end();) {
        save_cursor(*it->second);
        if (wanted.count(it->first)) {
            ++it;
            continue;
        }
        it->second->stop();
        if (!existing.count(it->first)) health_.forget(it->first);
        it = running_.erase(it);
    }
}

}  // namespace tribune::server
