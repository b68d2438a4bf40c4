#include "server/bridges/bridge_runner.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <random>
#include <stdexcept>

#include "core/util/wall_clock.hpp"
#include "server/bridges/jetstream_bridge.hpp"
#include "server/bridges/mastodon_bridge.hpp"
#include "server/ops/log.hpp"

namespace tribune::server {

namespace net = boost::asio;

namespace {

std::optional<std::int64_t> stored_position(const std::string& cursor) {
    if (cursor.empty()) return std::nullopt;
    try {
        std::size_t used = 0;
        const long long v = std::stoll(cursor, &used);
        if (used == cursor.size()) return static_cast<std::int64_t>(v);
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

}  // namespace

bridge_runner::bridge_runner(bridge_context& ctx, bridge_source source)
    : ctx_(ctx), source_(std::move(source)), timer_(ctx.ioc),
      tracker_(stored_position(source_.cursor)) {
    source_name_ = "bluesky";
    if (source_.kind == source_kind::mastodon) {
        auto url = parse_url(source_.endpoint);
        source_name_ = "mastodon:" + (url ? host_header(*url) : source_.endpoint);
    }
}

std::shared_ptr<bridge_runner> bridge_runner::make(bridge_context& ctx, bridge_source source) {
    if (source.kind == source_kind::bluesky) return std::make_shared<jetstream_bridge>(ctx, std::move(source));
    return std::make_shared<mastodon_bridge>(ctx, std::move(source));
}

void bridge_runner::start() {
    auto self = shared_from_this();
    net::co_spawn(ctx_.ioc, [self]() { return self->loop(); }, net::detached);
}

void bridge_runner::stop() {
    net::post(ctx_.ioc, [self = shared_from_this()] {
        self->stopping_ = true;
        self->timer_.cancel();
        for (auto& c : self->conns_)
            if (c) c->close();
    });
}

void bridge_runner::check_running() const {
    if (stopping_) throw std::runtime_error("stopped");
}

void bridge_runner::log(const std::string& what) const {
    log_line("bridge " + std::to_string(source_.id) + " (" + source_name_ + " #" + source_.tag + "): " + what);
}

std::chrono::milliseconds bridge_runner::retry_delay(int failures) {
    std::chrono::milliseconds d = ctx_.cfg.bridge_retry_base;
    for (int i = 1; i < failures && d < ctx_.cfg.bridge_retry_max; ++i) d *= 2;
    d = std::min(d, ctx_.cfg.bridge_retry_max);
    static thread_local std::mt19937 rng{std::random_device{}()};
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(d.count()) * jitter(rng)));
}

net::awaitable<void> bridge_runner::loop() {
    auto self = shared_from_this();  // alive while the loop runs
    int failures = 0;
    log("started");
    while (!stopping_) {
        ctx_.health.connecting(source_.id);
        connected_once_ = false;
        std::string error;
        try {
            co_await session();
            error = "the stream ended";
        } catch (const boost::system::system_error& e) {
            error = e.code() == boost::beast::error::timeout ? "timed out" : e.code().message();
        } catch (const std::exception& e) {
            error = e.what();
        }
        for (auto& c : conns_)
            if (c) c->close();
        if (stopping_) break;
        failures = connected_once_ ? 1 : failures + 1;
        const auto wait = retry_delay(failures);
        const timestamp_ms now = wall_clock_ms();
        ctx_.health.failed(source_.id, error, now, now + wait.count());
        log(error + "; retrying in " + std::to_string(wait.count()) + " ms");
        try {
            co_await sleep(wait);
        } catch (const std::exception&) {
        }
    }
    ctx_.health.idle(source_.id);
    log("stopped");
}

net::awaitable<void> bridge_runner::sleep(std::chrono::milliseconds d) {
    check_running();
    timer_.expires_after(d);
    auto [ec] = co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
    (void)ec;
    check_running();
}

bridge_connection& bridge_runner::open(const parsed_url& url, int slot) {
    check_running();
    if (conns_[slot]) conns_[slot]->close();
    conns_[slot] = std::make_unique<bridge_connection>(ctx_.ioc.get_executor(), ctx_.tls, url,
                                                       ctx_.cfg.bridge_timeout, ctx_.cfg.bridge_idle_timeout);
    return *conns_[slot];
}

void bridge_runner::connected(const std::string& transport) {
    connected_once_ = true;
    ctx_.health.connected(source_.id, transport, wall_clock_ms());
    log("connected (" + transport + ")");
}

std::optional<std::int64_t> bridge_runner::resume_position() {
    std::lock_guard lock(mutex_);
    return tracker_.safe();
}

void bridge_runner::pass(std::int64_t position) {
    std::lock_guard lock(mutex_);
    tracker_.submitted(position);
    tracker_.finished(position);
}

void bridge_runner::skip(const std::string& why) {
    ctx_.health.skipped(source_.id, why, wall_clock_ms());
    log("skipped a message: " + why);
}

std::optional<std::string> bridge_runner::cursor_to_save() {
    std::lock_guard lock(mutex_);
    const auto safe = tracker_.safe();
    if (!safe || safe == saved_) return std::nullopt;
    saved_ = safe;
    return std::to_string(*safe);
}

net::awaitable<void> bridge_runner::ingest(social_post post) {
    while (in_flight_.load() >= ctx_.cfg.bridge_max_in_flight) co_await sleep(std::chrono::milliseconds(5));
    submission s;
    s.event_slug = source_.event_slug;
    s.text = std::move(post.text);
    s.author = std::move(post.author);
    s.source = source_name_;
    s.external_id = std::move(post.external_id);
    if (!post.url.empty()) s.origin_url = std::move(post.url);
    if (post.posted_at > 0) s.posted_at = post.posted_at;
    const std::optional<std::int64_t> position = post.position;
    if (position) {
        std::lock_guard lock(mutex_);
        tracker_.submitted(*position);
    }
    ++in_flight_;
    auto self = shared_from_this();
    for (;;) {
        status st = ctx_.submit(s, [self, position](result<submit_outcome> r) { self->done(position, r); });
        if (st) co_return;
        if (st.kind() == error_kind::unavailable && !stopping_) {  // queue full: wait, same post
            try {
                co_await sleep(std::chrono::milliseconds(20));
                continue;
            } catch (...) {
                --in_flight_;  // stopping: the post stays in flight for the cursor, never passed
                throw;
            }
        }
        done(position, st);
        co_return;
    }
}

void bridge_runner::done(std::optional<std::int64_t> position, const result<submit_outcome>& r) {
    --in_flight_;
    if (r) {
        if (r->created) ctx_.health.posted(source_.id, wall_clock_ms());
    } else {
        skip("refused by the ingest: " + r.error().code() + ": " + r.error().message());
    }
    if (position) {
        std::lock_guard lock(mutex_);
        tracker_.finished(*position);
    }
}

}  // namespace tribune::server
