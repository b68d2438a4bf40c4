#pragma once
// webhook_dispatcher: delivers the webhook outbox over HTTP(S) on its own thread, so that no
// delivery ever waits on or delays ingest: the outbox is filled inside the commits (see
// core/store/webhook_store.hpp) and read here every poll interval, and again as soon as an
// attempt finishes. At most config::webhook_max_in_flight attempts run at once, one per hook;
// finished attempts are recorded together in one transaction (webhook_service::record).
//
// The body of a delivery is built when it is attempted: the question as it is then, with the
// change that caused the delivery. Headers: X-Tribune-Event, X-Tribune-Delivery (the same on
// every attempt), X-Tribune-Attempt, X-Tribune-Timestamp (Unix seconds) and
// X-Tribune-Signature (webhook_service::signature over timestamp "." body).
//
// Thread safety: start() and stop() from the controlling thread; everything else runs on the
// dispatcher's single thread. Ownership: borrows the service and the store.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "core/service/webhook_service.hpp"
#include "core/store/question_store.hpp"
#include "server/app/config.hpp"

namespace tribune::server {

class webhook_dispatcher {
public:
    // `questions` gives each delivery the question as it is when the attempt is made.
    webhook_dispatcher(webhook_service& hooks, question_store& questions, const config& cfg);
    ~webhook_dispatcher();
    webhook_dispatcher(const webhook_dispatcher&) = delete;
    webhook_dispatcher& operator=(const webhook_dispatcher&) = delete;

    // Loads the TLS trust store: the system's and config::webhook_ca_file.
    // Errors: invalid_argument (code "bad_ca_file") when webhook_ca_file cannot be read.
    status load_trust();
    // Starts the thread. REQUIRES: load_trust() succeeded.
    void start();
    // Stops at once: attempts in flight are abandoned and stay owed (at-least-once: they are
    // made again after the next start). Finished ones are recorded first. Idempotent.
    void stop();

private:
    void schedule(std::chrono::milliseconds after);
    void poll();
    void launch(const pending_delivery& d);
    void flush();

    webhook_service& hooks_;
    question_store& questions_;
    const config& cfg_;
    boost::asio::io_context ioc_;
    boost::asio::ssl::context tls_;
    boost::asio::steady_timer timer_;
    std::thread thread_;
    bool started_ = false;

    // Dispatcher thread only.
    std::set<std::int64_t> busy_;              // hooks with an attempt in flight or unrecorded
    std::vector<attempt_record> finished_;     // unrecorded
    bool poll_posted_ = false;
    std::chrono::steady_clock::time_point next_housekeeping_{};
};

}  // namespace tribune::server
