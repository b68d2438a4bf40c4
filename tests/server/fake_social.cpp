#include "tests/server/fake_social.hpp"

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <map>
#include <sstream>
#include <nlohmann/json.hpp>

namespace tribune::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using json = nlohmann::json;

namespace {

enum class stream_kind { none, mastodon_ws, mastodon_sse, jetstream };

// The query parameters of a target.
std::map<std::string, std::string> query_of(const std::string& target) {
    std::map<std::string, std::string> out;
    const std::size_t q = target.find('?');
    if (q == std::string::npos) return out;
    std::string rest = target.substr(q + 1);
    std::size_t at = 0;
    while (at <= rest.size()) {
        std::size_t amp = rest.find('&', at);
        if (amp == std::string::npos) amp = rest.size();
        std::string pair = rest.substr(at, amp - at);
        const std::size_t eq = pair.find('=');
        if (!pair.empty()) out[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
        at = amp + 1;
    }
    return out;
}

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

// True once the peer has closed or shut down its side (a stream connection never reads).
bool peer_gone(int fd) {
    pollfd p{fd, POLLRDHUP, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

}  // namespace

struct fake_social::client {
    stream_kind kind = stream_kind::none;
    std::deque<std::string> out;  // GUARDED_BY(fake_social::mutex_)
    bool closed = false;          // GUARDED_BY(fake_social::mutex_)
    tcp::socket socket;
    explicit client(net::io_context& ioc) : socket(ioc) {}
};

struct fake_social::impl {
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::optional<ssl::context> tls;
};

std::unique_ptr<fake_social> fake_social::start(std::optional<certificate_files> tls) {
    std::unique_ptr<fake_social> f(new fake_social());
    f->impl_ = std::make_unique<impl>();
    beast::error_code ec;
    if (tls) {
        f->impl_->tls.emplace(ssl::context::tls_server);
        f->impl_->tls->use_certificate_chain_file(tls->cert.string(), ec);
        if (!ec) f->impl_->tls->use_private_key_file(tls->key.string(), ssl::context::pem, ec);
    }
    tcp::endpoint ep{net::ip::make_address("127.0.0.1"), 0};
    if (!ec) f->impl_->acceptor.open(ep.protocol(), ec);
    if (!ec) f->impl_->acceptor.bind(ep, ec);
    if (!ec) f->impl_->acceptor.listen(64, ec);
    if (ec) {
        ADD_FAILURE() << "fake_social: " << ec.message();
        return nullptr;
    }
    f->port_ = f->impl_->acceptor.local_endpoint().port();
    f->thread_ = std::thread([p = f.get()] { p->serve(); });
    return f;
}

fake_social::~fake_social() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    drop_streams();
    beast::error_code ec;
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), port_}, ec);  // wakes the accept
    if (thread_.joinable()) thread_.join();
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(mutex_);
        threads.swap(threads_);
    }
    for (auto& t : threads) t.join();
}

std::string fake_social::base_url() const {
    return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::string fake_social::jetstream_url() const {
    return std::string(impl_->tls ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(port_) + "/subscribe";
}

std::string fake_social::status_json(std::int64_t id, const std::string& acct, const std::string& html) {
    const std::string sid = std::to_string(id);
    json s = {{"id", sid},
              {"created_at", "2024-05-01T10:00:00.000Z"},
              {"uri", "https://social.example/users/" + acct + "/statuses/" + sid},
              {"url", "https://social.example/@" + acct + "/" + sid},
              {"content", html},
              {"visibility", "public"},
              {"account", {{"id", "1"}, {"username", acct.substr(0, acct.find('@'))}, {"acct", acct}}},
              {"tags", json::array({{{"name", "townhall"}}})}};
    return s.dump();
}

std::string fake_social::jetstream_identity(std::int64_t time_us, const std::string& did,
                                            const std::string& handle) {
    json e = {{"did", did},
              {"time_us", time_us},
              {"kind", "identity"},
              {"identity", {{"did", did}, {"handle", handle}, {"seq", 1409752997}, {"time", "2024-05-01T09:00:00.000Z"}}}};
    return e.dump();
}

std::string fake_social::jetstream_post(std::int64_t time_us, const std::string& did, const std::string& rkey,
                                        const std::string& text, const std::vector<std::string>& facet_tags) {
    json facets = json::array();
    for (const std::string& t : facet_tags)
        facets.push_back({{"index", {{"byteStart", 0}, {"byteEnd", 1}}},
                          {"features", json::array({{{"$type", "app.bsky.richtext.facet#tag"}, {"tag", t}}})}});
    json record = {{"$type", "app.bsky.feed.post"}, {"createdAt", "2024-05-01T11:00:00.000Z"}, {"text", text},
                   {"langs", json::array({"en"})}};
    if (!facets.empty()) record["facets"] = facets;
    json e = {{"did", did},
              {"time_us", time_us},
              {"kind", "commit"},
              {"commit",
               {{"rev", "3l3qo2vuowo2b"}, {"operation", "create"}, {"collection", "app.bsky.feed.post"},
                {"rkey", rkey}, {"record", record}, {"cid", "bafyreidwaivazkwu67xztlmuobx35hs2lnfh3kolmgfmucldvhd3sgzcqi"}}}};
    return e.dump();
}

void fake_social::add_status(std::int64_t id, const std::string& acct, const std::string& html) {
    std::lock_guard lock(mutex_);
    statuses_.emplace_back(id, status_json(id, acct, html));
    std::sort(statuses_.begin(), statuses_.end());
}

void fake_social::publish_status(std::int64_t id, const std::string& acct, const std::string& html) {
    add_status(id, acct, html);
    push(false, false, status_json(id, acct, html));
}

void fake_social::push_raw(const std::string& message) { push(false, true, message); }

void fake_social::publish_event(std::int64_t time_us, const std::string& event) {
    {
        std::lock_guard lock(mutex_);
        events_.emplace_back(time_us, event);
    }
    push(true, true, event);
}

void fake_social::push_jetstream_raw(const std::string& message) { push(true, true, message); }

void fake_social::push(bool jetstream, bool raw, const std::string& message) {
    std::lock_guard lock(mutex_);
    for (auto& c : clients_) {
        if (c->closed) continue;
        if (jetstream && c->kind == stream_kind::jetstream) c->out.push_back(message);
        if (!jetstream && c->kind == stream_kind::mastodon_ws)
            c->out.push_back(raw ? message
                                 : json({{"stream", json::array({"hashtag", "townhall"})},
                                         {"event", "update"},
                                         {"payload", message}})
                                       .dump());
        if (!jetstream && !raw && c->kind == stream_kind::mastodon_sse)
            c->out.push_back("event: update\ndata: " + message + "\n\n");
    }
    cv_.notify_all();
}

std::size_t fake_social::backlog() {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& c : clients_)
        if (!c->closed) n += c->out.size();
    return n;
}

void fake_social::set_websocket(bool on) {
    std::lock_guard lock(mutex_);
    websocket_ = on;
}

void fake_social::drop_streams() {
    std::lock_guard lock(mutex_);
    for (auto& c : clients_) {
        if (c->kind == stream_kind::none || c->closed) continue;
        c->closed = true;
        ::shutdown(c->socket.native_handle(), SHUT_RDWR);
    }
    cv_.notify_all();
}

std::size_t fake_social::mastodon_streams() {
    std::lock_guard lock(mutex_);
    return std::count_if(clients_.begin(), clients_.end(), [](const auto& c) {
        return !c->closed && (c->kind == stream_kind::mastodon_ws || c->kind == stream_kind::mastodon_sse);
    });
}

std::size_t fake_social::jetstream_streams() {
    std::lock_guard lock(mutex_);
    return std::count_if(clients_.begin(), clients_.end(),
                         [](const auto& c) { return !c->closed && c->kind == stream_kind::jetstream; });
}

std::vector<std::string> fake_social::targets() {
    std::lock_guard lock(mutex_);
    return targets_;
}

std::vector<std::string> fake_social::authorizations() {
    std::lock_guard lock(mutex_);
    return authorizations_;
}

bool fake_social::wait_until(const std::function<bool()>& pred) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return pred();
}

void fake_social::serve() {
    for (;;) {
        auto c = std::make_shared<client>(impl_->ioc);
        beast::error_code ec;
        impl_->acceptor.accept(c->socket, ec);
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        if (ec) continue;
        clients_.push_back(c);
        threads_.emplace_back([this, c] { handle(c); });
    }
}

void fake_social::handle(std::shared_ptr<client> c) {
    if (impl_->tls) {
        ssl::stream<tcp::socket&> tls(c->socket, *impl_->tls);
        beast::error_code ec;
        tls.handshake(ssl::stream_base::server, ec);
        if (!ec) converse(tls, c);
    } else {
        converse(c->socket, c);
    }
    std::lock_guard lock(mutex_);
    c->closed = true;
    beast::error_code ignored;
    c->socket.shutdown(tcp::socket::shutdown_both, ignored);
}

std::optional<std::string> fake_social::next_message(client& c) {
    for (;;) {
        std::unique_lock wait(mutex_);
        cv_.wait_for(wait, std::chrono::milliseconds(20), [&] { return c.closed || !c.out.empty(); });
        if (c.closed || peer_gone(c.socket.native_handle())) return std::nullopt;
        if (c.out.empty()) continue;
        std::string m = std::move(c.out.front());
        c.out.pop_front();
        return m;
    }
}

std::string fake_social::timeline_page(const std::string& target) {
    auto q = query_of(target);
    const std::int64_t since = q.count("since_id") ? std::stoll(q["since_id"]) : 0;
    const std::int64_t max = q.count("max_id") ? std::stoll(q["max_id"]) : INT64_MAX;
    const std::size_t limit = q.count("limit") ? std::stoul(q["limit"]) : 20;
    json page = json::array();
    std::lock_guard lock(mutex_);
    for (auto it = statuses_.rbegin(); it != statuses_.rend() && page.size() < limit; ++it)
        if (it->first > since && it->first < max) page.push_back(json::parse(it->second));
    return page.dump();
}

template <typename Stream>
void fake_social::converse(Stream& stream, const std::shared_ptr<client>& c) {
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    beast::error_code ec;
    http::read(stream, buffer, req, ec);
    if (ec) return;
    const std::string target(req.target());
    const std::string path = path_of(target);
    std::unique_lock lock(mutex_);
    targets_.push_back(target);
    if (auto a = req.find(http::field::authorization); a != req.end())
        authorizations_.push_back(std::string(a->value()));
    const auto respond = [&](http::status st, const std::string& type, std::string body) {
        lock.unlock();
        http::response<http::string_body> res{st, 11};
        res.set(http::field::content_type, type);
        res.body() = std::move(body);
        res.keep_alive(false);
        res.prepare_payload();
        http::write(stream, res, ec);
    };
    if (websocket::is_upgrade(req) && (path == "/subscribe" || (path == "/api/v1/streaming" && websocket_))) {
        c->kind = path == "/subscribe" ? stream_kind::jetstream : stream_kind::mastodon_ws;
        if (c->kind == stream_kind::jetstream) {
            auto q = query_of(target);
            if (q.count("cursor")) {
                const std::int64_t from = std::stoll(q["cursor"]);
                for (const auto& [t, e] : events_)
                    if (t >= from) c->out.push_back(e);
            }
        }
        lock.unlock();
        websocket::stream<Stream&> ws(stream);
        ws.accept(req, ec);
        if (ec) return;
        for (;;) {
            auto next = next_message(*c);
            if (!next) return;
            std::string m = std::move(*next);
            ws.write(net::buffer(m), ec);
            if (ec) return;
        }
    }
    if (path == "/api/v1/streaming/hashtag") {
        c->kind = stream_kind::mastodon_sse;
        lock.unlock();
        const std::string head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        net::write(stream, net::buffer(head), ec);
        auto chunk = [&](const std::string& data) {
            std::ostringstream size;
            size << std::hex << data.size();
            net::write(stream, net::buffer(size.str() + "\r\n" + data + "\r\n"), ec);
        };
        chunk(":)\n\n");
        for (;;) {
            auto next = next_message(*c);
            if (!next) return;
            std::string m = std::move(*next);
            // Split in two writes: the client must join an event cut anywhere.
            const std::size_t half = m.size() / 2;
            chunk(m.substr(0, half));
            chunk(m.substr(half));
            if (ec) return;
        }
    }
    if (path.starts_with("/api/v1/timelines/tag/")) {
        lock.unlock();
        const std::string page = timeline_page(target);
        lock.lock();
        return respond(http::status::ok, "application/json", page);
    }
    respond(http::status::not_found, "application/json", R"({"error":"Record not found"})");
}

}  // namespace tribune::test
