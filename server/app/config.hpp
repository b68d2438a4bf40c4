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
    std::string model_path;      // empty: likewise (models/toxicity.tlm)

    std::size_t max_body_bytes = 64 * 1024;
    std::size_t max_text_chars = 2000;
    std::size_t ingest_queue_capacity = 10000;
    std::size_t max_batch = 1024;  // questions per group commit, at most
    std::size_t ws_send_queue_limit = 1024;  // messages; beyond this a client is dropped
    // Bytes waiting for one client (beyond the message being written): past it a view
    // client resyncs, a per-change client is dropped (it resumes with since).
    std::size_t ws_send_queue_bytes = 2u << 20;
    std::size_t history_per_event = 4096;    // messages kept for `since` resume
    std::size_t snapshot_limit = 500;

    // --- limits against hostile or broken clients (issue 5) ------------------------------
    std::size_t max_header_bytes = 16 * 1024;  // request line + headers; beyond: 431
    std::size_t max_json_depth = 32;           // nesting of a request body; beyond: 400
    std::size_t ws_max_message_bytes = 4096;   // one client -> server WebSocket message
    std::size_t max_connections = 1024;        // HTTP + WebSocket; beyond: 503 and close
    // From the first byte of a request to its last (slowloris): the whole request must
    // arrive within this time, else the connection is closed. Also bounds each write.
    std::chrono::milliseconds read_timeout{30'000};
    // A connection waiting for the first byte of its next request is closed after this.
    std::chrono::milliseconds idle_timeout{60'000};
    // Graceful stop: how long requests in flight and WebSocket close handshakes may take.
    std::chrono::milliseconds drain_timeout{10'000};

    // How often each event's arrivals per minute are re-sent to its view streams when they
    // changed (docs/api.md "Live stream", activity).
    std::chrono::milliseconds activity_interval{5'000};

    bool quiet = false;  // no request log lines

    // Access control (issue 5).
    double rate_per_ip = 20;           // requests/s for requests without a token; 0: unlimited
    double rate_per_ip_burst = 60;
    double rate_per_token = 500;       // requests/s per access token; 0: unlimited
    double rate_per_token_burst = 2000;
    // The audience's writes (asking and voting) per participant (its id, else its address) per
    // minute, in bursts of up to a third of it; 0: unlimited.
    int rate_audience_per_minute = 60;
    std::string metrics_access = "loopback";  // loopback | open | admin
    std::chrono::hours session_lifetime{12};
    bool announce_first_admin = true;  // create and print an admin token when none exists

    // --- the Perspective-compatible API and webhooks (docs/perspective.md, api.md "Webhooks")
    // The Perspective routes are served at the root (/v1alpha1/...) and, when this names a
    // path, also under it: "/perspective" -> /perspective/v1alpha1/comments:analyze (slashes
    // at either end do not matter; "" or "/" is no prefix, and the routes are served once).
    std::string perspective_prefix;
    // The rootUrl of the discovery document; empty: from X-Forwarded-Proto/-Host or Host.
    std::string public_url;
    std::size_t perspective_max_text_bytes = 20480;  // Perspective's own limit
    // Webhook delivery: a CA file (PEM) trusted besides the system's (tests use a
    // self-signed certificate), the time one attempt may take, how often the outbox is read,
    // the first retry delay (doubling up to 10 min), failures before a hook is disabled, and
    // attempts in flight at once (one per hook).
    std::string webhook_ca_file;
    std::chrono::milliseconds webhook_timeout{10'000};
    std::chrono::milliseconds webhook_poll_interval{250};
    std::chrono::milliseconds webhook_retry_base{1'000};
    int webhook_disable_after = 15;
    std::size_t webhook_max_in_flight = 32;

    // --- social bridges (issue 16, docs/api.md "Sources") --------------------------------
    bool bridges = true;             // run the sources' bridges (off: --no-bridges)
    std::string bridge_ca_file;      // PEM certificates trusted besides the system's
    std::chrono::milliseconds bridge_timeout{10'000};        // connect, handshakes, each page
    std::chrono::milliseconds bridge_idle_timeout{90'000};   // a silent stream is dropped
    std::chrono::milliseconds bridge_retry_base{1'000};      // doubling, with jitter, up to max
    std::chrono::milliseconds bridge_retry_max{300'000};
    std::chrono::milliseconds bridge_poll_interval{1'000};   // sources re-read, cursors saved
    std::chrono::milliseconds bridge_rewind{5'000};          // a Jetstream cursor is rewound by
    std::size_t bridge_max_in_flight = 2048;  // posts of one source in the ingest pipeline
};

}  // namespace tribune::server
