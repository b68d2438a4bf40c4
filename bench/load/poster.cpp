#include "bench/load/poster.hpp"

#include <boost/asio/strand.hpp>

#include <charconv>

namespace tribune::bench {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {

// The question's id in a 200/201 body: the top-level "id", which follows "external_id" in
// the server's sorted keys ("cluster" has an "id" of its own, before it).
std::optional<std::int64_t> id_in(const std::string& body) {
    auto e = body.find("\"external_id\":");
    if (e == std::string::npos) return std::nullopt;
    auto at = body.find(",\"id\":", e);
    if (at == std::string::npos) return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(body.data() + at + 6, body.data() + body.size(), v);
    if (ec != std::errc()) return std::nullopt;
    return v;
}

}  // namespace

poster::poster(net::io_context& ioc, const target& t, load_run& run)
    : target_(t), run_(run), stream_(net::make_strand(ioc)), timer_(stream_.get_executor()) {}

void poster::start(std::function<void()> on_done) {
    on_done_ = std::move(on_done);
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->next(); });
}

void poster::next() {
    auto t = run_.take();
    if (!t) {
        beast::error_code ignored;
        stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
        if (on_done_) on_done_();
        return;
    }
    ticket_ = *t;
    request_ = {http::verb::post, target_.post_path, 11};
    request_.set(http::field::host, target_.host);
    request_.set(http::field::authorization, target_.authorization);
    request_.set(http::field::content_type, "application/json");
    request_.keep_alive(true);
    request_.body() = run_.body_of(ticket_.index);
    request_.prepare_payload();
    if (ticket_.due <= steady::now()) return connected_ ? send() : connect();
    timer_.expires_at(ticket_.due);
    timer_.async_wait([self = shared_from_this()](beast::error_code) {
        self->connected_ ? self->send() : self->connect();
    });
}

void poster::connect() {
    stream_.async_connect(target_.endpoint, [self = shared_from_this()](beast::error_code ec) {
        if (ec) return self->fail();
        self->connected_ = true;
        self->stream_.socket().set_option(net::ip::tcp::no_delay(true));
        self->send();
    });
}

void poster::send() {
    sent_ = steady::now();
    http::async_write(stream_, request_,
                      beast::bind_front_handler(&poster::on_written, shared_from_this()));
}

void poster::on_written(beast::error_code ec, std::size_t) {
    if (ec) return fail();
    response_ = {};
    http::async_read(stream_, buffer_, response_,
                     beast::bind_front_handler(&poster::on_read, shared_from_this()));
}

void poster::on_read(beast::error_code ec, std::size_t) {
    if (ec) return fail();
    const int status = static_cast<int>(response_.result_int());
    std::optional<std::int64_t> id;
    if (status == 200 || status == 201) id = id_in(response_.body());
    run_.answered(ticket_, sent_, steady::now(), status, id);
    if (!response_.keep_alive()) {
        beast::error_code ignored;
        stream_.socket().close(ignored);
        connected_ = false;
    }
    next();
}

void poster::fail() {
    run_.failed(ticket_);
    beast::error_code ignored;
    stream_.socket().close(ignored);
    connected_ = false;
    buffer_.clear();
    next();
}

}  // namespace tribune::bench
