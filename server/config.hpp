#pragma once
// config: every setting of `tribune serve`, with its default. Filled from the
// environment (TRIBUNE_*) and then from command-line flags, flags winning.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace tribune::server {

struct config {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;  // 0 picks an ephemeral port (tests)
    std::string db_path = "var/tribune.db";
    int threads = 2;          // io_context threads
    int scoring_workers = 1;  // classifier threads feeding the group commit
    std::string web_root;        // empty: found next to the binary or the repository root
    std::string migrations_dir;  // empty: likewise
    std::string model_path;      // empty: likewise (models/toxicity.ftz)

    std::size_t max_body_bytes = 64 * 1024;
    std::size_t max_text_chars = 2000;
    std::size_t ingest_queue_capacity = 10000;
    std::size_t max_batch = 256;  // questions per group commit
    std::size_t ws_send_queue_limit = 1024;  // messages; beyond this a client is dropped
    std::size_t history_per_event = 4096;    // messages kept for `since` resume
    std::size_t snapshot_limit = 500;
    std::chrono::seconds read_timeout{30};
    bool quiet = false;  // no request log lines

    // Access control (issue 5).
    double rate_per_ip = 20;           // requests/s for requests without a token; 0: unlimited
    double rate_per_ip_burst = 60;
    double rate_per_token = 500;       // requests/s per access token; 0: unlimited
    double rate_per_token_burst = 2000;
    std::string metrics_access = "loopback";  // loopback | open | admin
    std::chrono::hours session_lifetime{12};
    bool announce_first_admin = true;  // create and print an admin token when none exists
};

}  // namespace tribune::server
