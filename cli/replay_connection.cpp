#include "cli/replay_connection.hpp"

#include <algorithm>
#include <charconv>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <nlohmann/json.hpp>

namespace tribune::cli {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using json = nlohmann::json;

namespace {

// Retry-After in seconds (the server sends integers); 1 s when absent or not a number.
std::chrono::seconds retry_after_of(const http::response<http::string_body>& res) {
    const auto v = res[http::field::retry_after];
    int s = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
    if (v.empty() || ec != std::errc() || p != v.data() + v.size() || s < 0) s = 1;
    return std::min(std::chrono::seconds(s), replay_connection::max_retry_after);
}

// The pause before the n-th transport retry in a row: 100 ms doubling, at most 5 s.
std::chrono::milliseconds backoff(int n) {
    const int shift = std::clamp(n - 1, 0, 6);
    return std::min(std::chrono::milliseconds(100 << shift), std::chrono::milliseconds(5000));
}

}  // namespace

replay_connection::replay_connection(net::io_context& ioc, const replay_request_target& target,
                                     replay_dispatcher& dispatcher, replay_stats& stats,
                                     replay_console& console)
    : target_(target),
      dispatcher_(dispatcher),
      stats_(stats),
      console_(console),
      stream_(net::make_strand(ioc)),
      timer_(stream_.get_executor()) {}

void replay_connection::start(std::function<void()> on_done) {
    on_done_ = std::move(on_done);
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->take_next(); });
}

void replay_connection::stop() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

void replay_connection::take_next() {
    ticket_ = dispatcher_.take();
    if (!ticket_) return finish();
    first_attempt_ = true;
    retries_ = 0;
    request_ = {http::verb::post, target_.path, 11};
    request_.set(http::field::host, target_.host_header);
    request_.set(http::field::user_agent, "tribune-replay");
    request_.set(http::field::authorization, target_.authorization);
    request_.set(http::field::content_type, "application/json");
    // Only the status is read: the id, status, version and group instead of the whole
    // question (docs/api.md, "Prefer: return=minimal").
    request_.set(http::field::prefer, "return=minimal");
    request_.keep_alive(true);
    request_.body() = std::move(ticket_->line.body);
    request_.prepare_payload();
    wait_until(ticket_->due);
}

void replay_connection::wait_until(std::chrono::steady_clock::time_point due) {
    if (dispatcher_.stopped()) return finish();
    if (due <= std::chrono::steady_clock::now()) return send();
    timer_.expires_at(due);
    timer_.async_wait([self = shared_from_this()](beast::error_code) {
        // Cancelled (stop) or expired: either way, send only when the run goes on.
        if (self->dispatcher_.stopped()) return self->finish();
        self->send();
    });
}

void replay_connection::send() {
    if (connected_) return write();
    stream_.expires_after(target_.timeout);
    stream_.async_connect(target_.endpoints,
                          [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
                              self->on_connect(ec);
                          });
}

void replay_connection::on_connect(beast::error_code ec) {
    if (ec) return transport_failure(ec, "connect");
    connected_ = true;
    write();
}

void replay_connection::write() {
    stats_.on_send(first_attempt_);
    first_attempt_ = false;
    stream_.expires_after(target_.timeout);
    http::async_write(stream_, request_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                          self->on_write(ec);
                      });
}

void replay_connection::on_write(beast::error_code ec) {
    if (ec) return transport_failure(ec, "write");
    response_ = {};
    http::async_read(stream_, buffer_, response_,
                     [self = shared_from_this()](beast::error_code ec2, std::size_t) {
                         self->on_read(ec2);
                     });
}

void replay_connection::on_read(beast::error_code ec) {
    if (ec) return transport_failure(ec, "read");
    transport_failures_ = 0;
    if (!response_.keep_alive()) close();
    handle_answer();
}

void replay_connection::handle_answer() {
    const unsigned code = response_.result_int();
    const json body = json::parse(response_.body(), nullptr, /*allow_exceptions=*/false);
    if (code == 200 || code == 201) {
        std::string state;
        if (body.is_object() && body.contains("status") && body["status"].is_string())
            state = body["status"].get<std::string>();
        stats_.on_stored(code == 201, state);
        return take_next();
    }
    std::string err_code, message;
    if (body.is_object() && body.contains("error") && body["error"].is_object()) {
        err_code = body["error"].value("code", "");
        message = body["error"].value("message", "");
    }
    if (message.empty()) message = response_.body().substr(0, 200);
    if (code == 503 || code == 429) {
        if (++retries_ > max_retries_per_line)
            return fail_line(code, err_code, "still refused after " +
                                                 std::to_string(max_retries_per_line) +
                                                 " retries: " + message);
        stats_.on_retry();
        return retry(retry_after_of(response_));
    }
    if (code == 401 || code == 403 || (code == 404 && err_code == "event_not_found")) {
        dispatcher_.abort("the server answered " + std::to_string(code) + " " + err_code + ": " +
                          message);
        return finish();
    }
    fail_line(code, err_code, message);
}

void replay_connection::retry(std::chrono::steady_clock::duration delay) {
    wait_until(std::chrono::steady_clock::now() + delay);
}

void replay_connection::transport_failure(beast::error_code ec, const char* what) {
    close();
    if (dispatcher_.stopped()) return finish();
    ++transport_failures_;
    stats_.on_reconnect();
    if (transport_failures_ >= max_transport_failures) {
        dispatcher_.abort("lost the server: " + std::to_string(transport_failures_) +
                          " failures in a row, the last on " + what + ": " + ec.message() +
                          " (line " + std::to_string(ticket_->line.number) + " was not answered)");
        return finish();
    }
    retry(backoff(transport_failures_));
}

void replay_connection::fail_line(unsigned http_status, std::string code, std::string message) {
    replay_error e{ticket_->line.number, http_status, std::move(code), std::move(message)};
    console_.error(e);
    stats_.on_error(std::move(e));
    take_next();
}

void replay_connection::close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    buffer_.clear();
    connected_ = false;
}

void replay_connection::finish() {
    if (finished_) return;
    finished_ = true;
    close();
    timer_.cancel();
    if (on_done_) on_done_();
}

}  // namespace tribune::cli
