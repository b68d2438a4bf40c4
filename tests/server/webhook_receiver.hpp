#pragma once
// webhook_receiver: an HTTP or HTTPS server started by a test to receive webhook deliveries on
// 127.0.0.1. It records every request and answers with scripted statuses; it can hold every
// request until released (a slow receiver). One request per connection, on its own thread.
//
// Also: self_signed_certificate() writes a certificate and key for 127.0.0.1/localhost.
//
// Thread safety: all public methods may be called from the test thread while the receiver's
// thread serves (one mutex).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tribune::test {

struct received_request {
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string target;
    std::string body;
};

struct certificate_files {
    std::filesystem::path cert;  // PEM, also the CA file to trust
    std::filesystem::path key;
};

// A fresh EC P-256 key and a self-signed certificate valid for IP 127.0.0.1 and DNS localhost.
// Fails the test (ADD_FAILURE) and returns empty paths on error.
certificate_files self_signed_certificate(const std::filesystem::path& dir);

class webhook_receiver {
public:
    // Plain HTTP, or HTTPS with `tls`. Fails the test and returns nullptr on error.
    static std::unique_ptr<webhook_receiver> start(std::optional<certificate_files> tls = std::nullopt);
    ~webhook_receiver();
    webhook_receiver(const webhook_receiver&) = delete;
    webhook_receiver& operator=(const webhook_receiver&) = delete;

    std::uint16_t port() const { return port_; }
    std::string url(const std::string& path = "/hook") const;

    // The next answers, in order; then `otherwise`.
    void script(std::vector<unsigned> first, unsigned otherwise = 200);
    // Holds every request (after reading it) until release().
    void hold();
    void release();

    std::vector<received_request> requests();
    // Waits until at least `n` requests arrived; false after `timeout`.
    bool wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(20));

private:
    webhook_receiver() = default;
    void serve();
    unsigned next_status();

    struct impl;
    std::unique_ptr<impl> impl_;
    std::uint16_t port_ = 0;
    std::thread thread_;

    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<received_request> requests_;  // GUARDED_BY(mutex_)
    std::deque<unsigned> script_;             // GUARDED_BY(mutex_)
    unsigned otherwise_ = 200;                // GUARDED_BY(mutex_)
    bool holding_ = false;                    // GUARDED_BY(mutex_)
    bool stopping_ = false;                   // GUARDED_BY(mutex_)
};

// A port on 127.0.0.1 where nothing listens (bound, then closed).
std::uint16_t dead_port();

}  // namespace tribune::test
