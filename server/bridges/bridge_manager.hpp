#pragma once
// bridge_manager: runs the bridge of every source that is not paused (issue 16), on one
// thread of its own with its own io_context, so no bridge ever waits on or delays the HTTP
// server. Every bridge_poll_interval (and at once after wake(), which the sources API calls
// after a change) it re-reads the sources: starts the bridges of new or resumed sources,
// stops those of paused or deleted ones, and stores each running bridge's committed cursor.
//
// Thread safety: start(), stop() and wake() from any thread; health() is thread-safe; the
// rest runs on the manager's thread. Ownership: borrows the services; they outlive it.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <thread>

#include "core/bridge/source_health.hpp"
#include "core/service/question_service.hpp"
#include "core/service/source_service.hpp"
#include "server/app/config.hpp"
#include "server/bridges/bridge_runner.hpp"

namespace tribune::server {

class bridge_manager {
public:
    bridge_manager(source_service& sources, question_service& questions, const config& cfg);
    ~bridge_manager();
    bridge_manager(const bridge_manager&) = delete;
    bridge_manager& operator=(const bridge_manager&) = delete;

    // The TLS trust: the system's and config::bridge_ca_file. Errors: bad_ca_file.
    status load_trust();
    // Starts the thread (nothing when config::bridges is off). REQUIRES: load_trust() succeeded.
    void start();
    // Stops every bridge, stores their cursors, joins the thread. Posts in flight are
    // committed by the ingest's own stop. Idempotent.
    void stop();
    // Re-reads the sources now.
    void wake();

    source_health& health() { return health_; }

private:
    void schedule();
    void sync();
    void save_cursor(bridge_runner& r);

    source_service& sources_;
    const config& cfg_;
    source_health health_;
    boost::asio::io_context ioc_;
    boost::asio::ssl::context tls_;
    bridge_context ctx_;
    boost::asio::steady_timer timer_;
    std::thread thread_;
    bool started_ = false;
    std::map<std::int64_t, std::shared_ptr<bridge_runner>> running_;  // manager thread only
};

}  // namespace tribune::server
