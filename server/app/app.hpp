#pragma once
// app: the running server. Owns the store, the scoring pipeline, the broadcast hub,
// the io_context and its threads, and wires them together. No globals.
//
// Thread safety: create/start/stop from one controlling thread. port() is safe after start().

#include <cstdint>
#include <memory>
#include <string>

#include "core/classify/classifier.hpp"
#include "core/service/question_signal.hpp"
#include "core/domain/status.hpp"
#include "server/app/config.hpp"

namespace tribune::server {

class route_table;

class app {
  public:
    // Opens (creating and migrating) the database and binds the listener. `signal`, when
    // given, is the "is it a question?" signal asked once per question (question_signal.hpp).
    // Errors: a one-line explanation (bad address, database newer than this build, ...).
    static result<std::unique_ptr<app>> create(config cfg, std::unique_ptr<classifier> model,
                                               std::unique_ptr<question_signal> signal = nullptr);

    ~app();
    app(const app&) = delete;
    app& operator=(const app&) = delete;

    // Starts the io threads and scoring workers; returns at once.
    void start();
    // Graceful, bounded by config::drain_timeout: stops accepting, answers the requests in
    // flight (a post after its commit), drains the ingest queue, closes WebSockets with
    // "going away" and waits for their close handshakes, then joins the threads.
    void stop();
    // Blocks until SIGINT/SIGTERM, then stop().
    void run_until_signal();

    std::uint16_t port() const;
    // Every HTTP route the server answers (for checks against docs/openapi.yaml).
    const route_table& routes() const;

    struct impl;

  private:
    explicit app(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

}  // namespace tribune::server
