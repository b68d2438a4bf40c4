#include "server/hooks/http_delivery.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <memory>

#include "server/net/client_tls.hpp"

namespace tribune::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

constexpr std::size_t max_answer_bytes = 64 * 1024;  // a receiver's answer is read and dropped

// One attempt over `Stream` (beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>).
// Lives as long as an async operation holds shared_from_this().
template <typename Stream>
class attempt : public std::enable_shared_from_this<attempt<Stream>> {
public:
    template <typename... Args>
    attempt(net::io_context& ioc, parsed_url url, std::chrono::milliseconds timeout,
            std::function<void(delivery_result)> done, Args&&... stream_args)
        : resolver_(ioc), stream_(std::forward<Args>(stream_args)...), url_(std::move(url)),
          timeout_(timeout), done_(std::move(done)) {}

    void run(http::request<http::string_body> req) {
        req_ = std::move(req);
        lowest().expires_after(timeout_);
        // The resolver has no deadline of its own; numeric hosts resolve at once.
        resolver_.async_resolve(url_.host, url_.port,
                                beast::bind_front_handler(&attempt::on_resolve, this->shared_from_this()));
    }

    Stream& stream() { return stream_; }

private:
    beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

    void finish(std::optional<int> st, std::string error) {
        if (!done_) return;
        auto d = std::move(done_);
        done_ = nullptr;
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        lowest().close();
        d(delivery_result{st, std::move(error)});
    }

    void fail(beast::error_code ec, const char* what) {
        finish(std::nullopt, std::string(what) + ": " +
                                 (ec == beast::error::timeout ? std::string("timed out") : ec.message()));
    }

    void on_resolve(beast::error_code ec, tcp::resolver::results_type results) {
        if (ec) return fail(ec, "resolve");
        lowest().async_connect(results,
                               beast::bind_front_handler(&attempt::on_connect, this->shared_from_this()));
    }

    void on_connect(beast::error_code ec, const tcp::endpoint&) {
        if (ec) return fail(ec, "connect");
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            send();
        } else {
            stream_.async_handshake(ssl::stream_base::client,
                                    beast::bind_front_handler(&attempt::on_handshake, this->shared_from_this()));
        }
    }

    void on_handshake(beast::error_code ec) {
        if (ec) return fail(ec, "tls");
        send();
    }

    void send() {
        http::async_write(stream_, req_, beast::bind_front_handler(&attempt::on_write, this->shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t) {
        if (ec) return fail(ec, "write");
        parser_.body_limit(max_answer_bytes);
        http::async_read(stream_, buffer_, parser_,
                         beast::bind_front_handler(&attempt::on_read, this->shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        // A status line arrived even if the body was cut short: the status is what counts.
        if (ec && !parser_.is_header_done()) return fail(ec, "read");
        finish(static_cast<int>(parser_.get().result_int()), "");
    }

    tcp::resolver resolver_;
    Stream stream_;
    parsed_url url_;
    std::chrono::milliseconds timeout_;
    std::function<void(delivery_result)> done_;
    http::request<http::string_body> req_;
    beast::flat_buffer buffer_;
    http::response_parser<http::string_body> parser_;
};

}  // namespace

std::optional<parsed_url> parse_url(const std::string& url) {
    parsed_url out;
    std::string rest;
    if (url.rfind("https://", 0) == 0) {
        out.https = true;
        rest = url.substr(8);
    } else if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else {
        return std::nullopt;
    }
    const std::size_t path_at = rest.find_first_of("/?");
    std::string authority = rest.substr(0, path_at);
    out.target = path_at == std::string::npos ? "/" : rest.substr(path_at);
    if (out.target.front() == '?') out.target = "/" + out.target;
    if (const auto hash = out.target.find('#'); hash != std::string::npos) out.target.resize(hash);
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        out.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return std::nullopt;
            out.port = authority.substr(close + 2);
        }
    } else {
        const std::size_t colon = authority.rfind(':');
        out.host = authority.substr(0, colon);
        if (colon != std::string::npos) out.port = authority.substr(colon + 1);
    }
    if (out.port.empty()) out.port = out.https ? "443" : "80";
    if (out.host.empty() || out.port.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return out;
}

std::string host_header(const parsed_url& url) {
    const bool default_port = url.port == (url.https ? "443" : "80");
    const std::string host = url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host;
    return default_port ? host : host + ":" + url.port;
}

void start_http_delivery(net::io_context& ioc, ssl::context& tls, const parsed_url& url,
                         const header_pairs& headers, std::string body,
                         std::chrono::milliseconds timeout, std::function<void(delivery_result)> done) {
    http::request<http::string_body> req{http::verb::post, url.target, 11};
    req.set(http::field::host, host_header(url));
    req.set(http::field::content_type, "application/json");
    req.set(http::field::user_agent, "tribune-webhooks/1");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.keep_alive(false);
    req.body() = std::move(body);
    req.prepare_payload();
    if (!url.https) {
        auto a = std::make_shared<attempt<beast::tcp_stream>>(ioc, url, timeout, std::move(done), ioc);
        return a->run(std::move(req));
    }
    auto a = std::make_shared<attempt<beast::ssl_stream<beast::tcp_stream>>>(ioc, url, timeout,
                                                                              std::move(done), ioc, tls);
    expect_server_name(a->stream(), url.host);
    a->run(std::move(req));
}

}  // namespace tribune::server
