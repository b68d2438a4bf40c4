#include "server/hooks/webhook_dispatcher.hpp"

#include <boost/asio/post.hpp>

#include "core/util/wall_clock.hpp"
#include "server/hooks/http_delivery.hpp"
#include "server/net/client_tls.hpp"
#include "server/ops/log.hpp"
#include "server/wire/webhook_codec.hpp"

namespace tribune::server {

namespace net = boost::asio;
namespace ssl = net::ssl;

namespace {

using clock = std::chrono::steady_clock;
constexpr std::chrono::seconds housekeeping_every{30};


}  // namespace

webhook_dispatcher::webhook_dispatcher(webhook_service& hooks, question_store& questions,
                                       const config& cfg)
    : hooks_(hooks), questions_(questions), cfg_(cfg), tls_(ssl::context::tls_client),
      timer_(ioc_) {}

webhook_dispatcher::~webhook_dispatcher() { stop(); }

status webhook_dispatcher::load_trust() {
    return load_client_trust(tls_, cfg_.webhook_ca_file, "--webhook-ca-file");
}

void webhook_dispatcher::start() {
    if (started_) return;
    started_ = true;
    schedule(std::chrono::milliseconds(0));
    thread_ = std::thread([this] { ioc_.run(); });
}

void webhook_dispatcher::stop() {
    if (!started_) return;
    started_ = false;
    net::post(ioc_, [this] {
        timer_.cancel();
        flush();
        // Abandons attempts in flight: they stay in the outbox, and their hooks' claims are
        // given up so that the next instance to poll (this one restarted, or another on a shared
        // database) delivers them at once, not after the claim expires (60 s on PostgreSQL).
        if (!busy_.empty())
            if (status st = hooks_.release(busy_); !st)
                log_line("webhooks: cannot release claims at shutdown: " + st.message());
        ioc_.stop();
    });
    thread_.join();
}

void webhook_dispatcher::schedule(std::chrono::milliseconds after) {
    timer_.expires_after(after);
    timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;  // cancelled: stopping, or a sooner poll replaced it
        poll();
    });
}

void webhook_dispatcher::flush() {
    if (finished_.empty()) return;
    if (status st = hooks_.record(finished_); !st) {
        // The attempts stay owed (at-least-once); the next poll tries to record them again.
        log_line("webhooks: cannot record " + std::to_string(finished_.size()) +
                 " attempts: " + st.message());
        return;
    }
    for (const attempt_record& r : finished_) busy_.erase(r.log.hook_id);
    finished_.clear();
}

void webhook_dispatcher::poll() {
    poll_posted_ = false;
    flush();
    if (clock::now() >= next_housekeeping_) {
        next_housekeeping_ = clock::now() + housekeeping_every;
        if (status st = hooks_.housekeeping(); !st) log_line("webhooks: housekeeping: " + st.message());
    }
    const std::size_t room =
        cfg_.webhook_max_in_flight > busy_.size() ? cfg_.webhook_max_in_flight - busy_.size() : 0;
    if (room > 0) {
        auto due = hooks_.due(busy_, room);
        if (!due) log_line("webhooks: cannot read the outbox: " + due.error().message());
        else
            for (const pending_delivery& d : *due) launch(d);
    }
    schedule(cfg_.webhook_poll_interval);
}

void webhook_dispatcher::launch(const pending_delivery& d) {
    busy_.insert(d.hook_id);
    const timestamp_ms started = wall_clock_ms();
    const auto t0 = clock::now();
    auto complete = [this, d, started, t0](delivery_result r) {
        delivery_outcome o;
        o.http_status = r.http_status;
        o.error = std::move(r.error);
        o.at = started;
        o.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - t0).count();
        finished_.push_back(hooks_.judge(d, o));
        // Record it and look for more at once rather than at the next tick.
        if (!poll_posted_) {
            poll_posted_ = true;
            net::post(ioc_, [this] {
                timer_.cancel();
                poll();
            });
        }
    };
    auto url = parse_url(d.url);
    if (!url) return complete({std::nullopt, "not an http(s) URL"});
    auto q = questions_.get_question(d.question_id);
    if (!q) return complete({std::nullopt, "cannot read question: " + q.error().message()});
    std::string body = delivery_body(d, *q);
    const std::string timestamp = std::to_string(started / 1000);
    header_pairs headers = {{"X-Tribune-Event", d.type},
                            {"X-Tribune-Delivery", d.delivery_id},
                            {"X-Tribune-Attempt", std::to_string(d.attempts + 1)},
                            {"X-Tribune-Timestamp", timestamp},
                            {"X-Tribune-Signature", webhook_service::signature(d.secret, timestamp, body)}};
    start_http_delivery(ioc_, tls_, *url, headers, std::move(body), cfg_.webhook_timeout, std::move(complete));
}

}  // namespace tribune::server
