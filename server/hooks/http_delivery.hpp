#pragma once
// http_delivery: one webhook attempt — a POST to an http:// or https:// URL with a deadline,
// on the caller's io_context. HTTPS verifies the receiver's certificate chain (the system's
// trust store plus config::webhook_ca_file) and its host name, and sends SNI.
//
// Thread safety: start() and the completion run on the io_context's thread(s); the
// dispatcher runs one thread, so no two handlers of a delivery overlap.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tribune::server {

struct parsed_url {
    bool https = false;
    std::string host;  // without brackets for IPv6
    std::string port;
    std::string target;  // path and query, "/" when empty
};

// Nullopt for anything but http(s)://host[:port][/path][?query].
std::optional<parsed_url> parse_url(const std::string& url);

// The Host header for `url`: the host (IPv6 in brackets), with the port unless the default.
std::string host_header(const parsed_url& url);

struct delivery_result {
    std::optional<int> http_status;  // empty: no HTTP answer
    std::string error;               // why there was none (or "" )
};

using header_pairs = std::vector<std::pair<std::string, std::string>>;

// Starts the POST; `done` is called exactly once, on the io_context.
void start_http_delivery(boost::asio::io_context& ioc, boost::asio::ssl::context& tls,
                         const parsed_url& url, const header_pairs& headers, std::string body,
                         std::chrono::milliseconds timeout,
                         std::function<void(delivery_result)> done);

}  // namespace tribune::server
