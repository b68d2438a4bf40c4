#include "tests/server/test_clients.hpp"

#include <algorithm>
#include <cctype>
#include <future>

#include <gtest/gtest.h>

namespace tribune::test {
namespace {

using tcp = net::ip::tcp;

tcp::endpoint local_endpoint(std::uint16_t port) {
    return {net::ip::make_address("127.0.0.1"), port};
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

constexpr std::chrono::seconds close_timeout{3};

http_response to_response(http::response<http::string_body>& res) {
    http_response out;
    out.status = res.result_int();
    for (const auto& field : res)
        out.headers[lower(field.name_string())] = std::string(field.value());
    out.raw = res.body();
    if (!out.raw.empty()) {
        out.body = json::parse(out.raw, nullptr, false);
        if (out.body.is_discarded()) out.body = nullptr;
    }
    return out;
}

}  // namespace

std::string http_response::header(std::string_view name) const {
    auto it = headers.find(lower(name));
    return it == headers.end() ? std::string() : it->second;
}

std::string http_response::error_code() const {
    if (!body.is_object()) return {};
    auto e = body.find("error");
    if (e == body.end() || !e->is_object()) return {};
    auto c = e->find("code");
    if (c == e->end() || !c->is_string()) return {};
    return c->get<std::string>();
}

std::ostream& operator<<(std::ostream& os, const http_response& r) {
    if (r.error) return os << "[transport error: " << r.error.message() << "]";
    constexpr std::size_t shown = 600;
    os << "[HTTP " << r.status << " " << r.raw.substr(0, shown);
    if (r.raw.size() > shown) os << "...(" << r.raw.size() << " bytes)";
    return os << "]";
}

http_response http_call(std::uint16_t port, http::verb method, std::string_view target,
                        std::string body, const header_list& headers,
                        std::chrono::milliseconds timeout) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);

    http::request<http::string_body> req{method, std::string(target), 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    req.set(http::field::user_agent, "tribune-itest");
    bool has_type = false;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        const std::string& name = headers[i].first;  // not a structured binding: clang 14's
        const std::string& value = headers[i].second;  // lambdas cannot capture one
        if (beast::iequals(name, "content-type")) has_type = true;
        // A name given twice in `headers` is sent twice; once, it replaces a default above.
        const bool repeated = std::any_of(headers.begin(), headers.begin() + static_cast<std::ptrdiff_t>(i),
                                          [&](const auto& h) { return beast::iequals(h.first, name); });
        if (repeated) req.insert(name, value);
        else req.set(name, value);
    }
    if (!body.empty() && !has_type) req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();

    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    beast::flat_buffer buffer;
    beast::error_code result;

    // One deadline for connect, write and read together; the io_context runs until all
    // three finished or the deadline closed the socket.
    stream.expires_after(timeout);
    stream.async_connect(local_endpoint(port), [&](beast::error_code ec) {
        if (ec) {
            result = ec;
            return;
        }
        http::async_write(stream, req, [&](beast::error_code wec, std::size_t) {
            // A server may answer before reading the whole body (413) and stop reading;
            // its answer is what matters, so read it even when the write failed.
            http::async_read(stream, buffer, parser,
                             [&, wec](beast::error_code rec, std::size_t) {
                                 result = rec;
                                 if (rec && wec) result = wec;
                             });
        });
    });
    ioc.run();

    if (result) {
        http_response out;
        out.error = result;
        return out;
    }
    return to_response(parser.get());
}

http_connection::http_connection(std::uint16_t port, std::chrono::milliseconds timeout)
    : port_(port), timeout_(timeout), stream_(ioc_) {
    beast::error_code result;
    stream_.expires_after(timeout_);
    stream_.async_connect(local_endpoint(port_), [&](beast::error_code ec) { result = ec; });
    ioc_.run();
    connected_ = !result;
}

beast::error_code http_connection::send(http::verb method, std::string_view target,
                                        std::string body, const header_list& headers) {
    http::request<http::string_body> req{method, std::string(target), 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    for (const auto& [name, value] : headers) req.set(name, value);
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();
    beast::error_code result;
    ioc_.restart();
    stream_.expires_after(timeout_);
    http::async_write(stream_, req, [&](beast::error_code ec, std::size_t) { result = ec; });
    ioc_.run();
    return result;
}

http_response http_connection::receive() {
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    beast::error_code result;
    ioc_.restart();
    stream_.expires_after(timeout_);
    http::async_read(stream_, buffer_, parser,
                     [&](beast::error_code ec, std::size_t) { result = ec; });
    ioc_.run();
    if (result) {
        http_response out;
        out.error = result;
        return out;
    }
    return to_response(parser.get());
}

http_response http_connection::request(http::verb method, std::string_view target,
                                       std::string body, const header_list& headers) {
    if (auto ec = send(method, target, std::move(body), headers)) {
        http_response out;
        out.error = ec;
        return out;
    }
    return receive();
}

bool http_connection::closed_by_server() {
    auto r = receive();
    return r.error == http::error::end_of_stream || r.error == net::error::eof ||
           r.error == net::error::connection_reset;
}

std::string url_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0x0F]);
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------
// ws_client

ws_client::ws_client() : ws_(ioc_) {}

std::unique_ptr<ws_client> ws_client::connect(std::uint16_t port, std::string_view target,
                                              std::string* error,
                                              std::chrono::milliseconds timeout,
                                              const header_list& headers) {
    std::unique_ptr<ws_client> c(new ws_client());
    c->ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& req) {
        for (const auto& [name, value] : headers) req.set(name, value);
    }));
    const std::string host = "127.0.0.1:" + std::to_string(port);
    const std::string path(target);
    websocket::response_type res;
    beast::error_code result;

    auto& tcp_layer = beast::get_lowest_layer(c->ws_);
    tcp_layer.expires_after(timeout);
    tcp_layer.async_connect(local_endpoint(port), [&](beast::error_code ec) {
        if (ec) {
            result = ec;
            return;
        }
        c->ws_.async_handshake(res, host, path, [&](beast::error_code hec) { result = hec; });
    });
    c->ioc_.run();  // bounded by the tcp_stream deadline

    if (result) {
        if (error != nullptr) {
            *error = "websocket connect to " + path + " failed: " + result.message();
            if (res.result_int() != 0)
                *error += " (HTTP " + std::to_string(res.result_int()) + " " + res.body() + ")";
        }
        return nullptr;
    }

    // From here the websocket stream manages its own timeouts (Beast's advice: no
    // tcp_stream deadline under a websocket). The closing handshake is bounded.
    tcp_layer.expires_never();
    websocket::stream_base::timeout opt{};
    opt.handshake_timeout = close_timeout;
    opt.idle_timeout = websocket::stream_base::none();
    opt.keep_alive_pings = false;
    c->ws_.set_option(opt);

    c->ioc_.restart();
    c->start_read();
    ws_client* raw = c.get();
    c->thread_ = std::thread([raw] { raw->ioc_.run(); });
    return c;
}

ws_client::~ws_client() { close(); }

void ws_client::start_read() {
    ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
        {
            std::lock_guard lock(mutex_);
            if (ec) {
                ended_ = true;
            } else {
                inbox_.push_back(beast::buffers_to_string(buffer_.data()));
            }
        }
        cv_.notify_all();
        if (ec) return;
        buffer_.consume(buffer_.size());
        start_read();
    });
}

std::optional<json> ws_client::read_json(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [this] { return !inbox_.empty() || ended_; });
    if (inbox_.empty()) return std::nullopt;
    std::string text = std::move(inbox_.front());
    inbox_.pop_front();
    lock.unlock();

    json j = json::parse(text, nullptr, false);
    if (j.is_discarded()) {
        ADD_FAILURE() << "the stream sent a message that is not JSON: " << text;
        return std::nullopt;
    }
    return j;
}

bool ws_client::ended() {
    std::lock_guard lock(mutex_);
    return ended_ && inbox_.empty();
}

bool ws_client::send_text(std::string text) {
    if (!thread_.joinable()) return false;
    auto done = std::make_shared<std::promise<beast::error_code>>();
    auto fut = done->get_future();
    auto payload = std::make_shared<std::string>(std::move(text));
    net::post(ioc_, [this, done, payload] {
        ws_.text(true);
        ws_.async_write(net::buffer(*payload), [done, payload](beast::error_code ec,
                                                               std::size_t) {
            done->set_value(ec);
        });
    });
    if (fut.wait_for(std::chrono::seconds(5)) != std::future_status::ready) return false;
    return !fut.get();
}

void ws_client::close() {
    if (!thread_.joinable()) return;
    net::post(ioc_, [this] {
        if (ws_.is_open()) ws_.async_close(websocket::close_code::normal, [](beast::error_code) {});
    });
    {
        // The pending read completes once the server answers the close (or the close
        // handshake times out).
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, close_timeout + std::chrono::seconds(1), [this] { return ended_; });
    }
    ioc_.stop();
    thread_.join();
}

stalled_ws_client::stalled_ws_client(std::uint16_t port, const std::string& target,
                                     const std::string& first_message, const std::string& token)
    : ws_(ioc_) {
    auto& sock = ws_.next_layer();
    sock.open(net::ip::tcp::v4());
    sock.set_option(net::socket_base::receive_buffer_size(4096));
    beast::error_code ec;
    sock.connect({net::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) return;
    ws_.set_option(websocket::stream_base::decorator([token](websocket::request_type& req) {
        req.set(http::field::authorization, "Bearer " + token);
    }));
    ws_.handshake("127.0.0.1:" + std::to_string(port), target, ec);
    if (ec) return;
    ws_.text(true);
    ws_.write(net::buffer(first_message), ec);
    ok_ = !ec;
}

bool stalled_ws_client::read_until(const std::function<bool(const json&)>& take,
                                   std::chrono::milliseconds timeout) {
    bool satisfied = false;
    std::function<void()> read_one = [&] {
        ws_.async_read(buffer_, [&](beast::error_code ec, std::size_t) {
            if (ec) {
                ended_ = true;
                return;
            }
            json m = json::parse(beast::buffers_to_string(buffer_.data()), nullptr, false);
            buffer_.consume(buffer_.size());
            if (take(m)) {
                satisfied = true;
                return;
            }
            read_one();
        });
    };
    if (ended_) return false;
    read_one();
    ioc_.restart();
    ioc_.run_for(timeout);
    if (!satisfied && !ended_) {
        beast::error_code ignored;
        ws_.next_layer().close(ignored);  // the read completes with an error
        ioc_.restart();
        ioc_.run_for(std::chrono::seconds(1));
    }
    return satisfied;
}

std::vector<json> stalled_ws_client::read_for(std::chrono::milliseconds window) {
    std::vector<json> out;
    read_until(
        [&](const json& m) {
            out.push_back(m);
            return false;
        },
        window);
    return out;
}

}  // namespace tribune::test
