#include "server/bridges/jetstream_bridge.hpp"

#include <stdexcept>
#include <algorithm>

namespace tribune::server {

namespace net = boost::asio;

net::awaitable<void> jetstream_bridge::session() {
    std::string endpoint = source_.endpoint;
    if (endpoint.starts_with("wss://")) endpoint = "https://" + endpoint.substr(6);
    else if (endpoint.starts_with("ws://")) endpoint = "http://" + endpoint.substr(5);
    auto url = parse_url(endpoint);
    if (!url) throw std::runtime_error("the Jetstream URL cannot be used");
    std::string target = url->target + (url->target.find('?') == std::string::npos ? "?" : "&") +
                         "wantedCollections=app.bsky.feed.post";
    if (auto cursor = resume_position()) {
        const std::int64_t rewind_us = static_cast<std::int64_t>(ctx_.cfg.bridge_rewind.count()) * 1000;
        target += "&cursor=" + std::to_string(std::max<std::int64_t>(0, *cursor - rewind_us));
    }
    bridge_connection& c = open(*url, 0);
    co_await c.connect();
    const int upgraded = co_await c.open_websocket(target, {});
    if (upgraded != 101) throw std::runtime_error("Jetstream answered " + std::to_string(upgraded));
    connected("jetstream");
    for (;;) {
        const std::string message = co_await c.read_message();
        auto event = decode_jetstream_event(message, source_.tag);
        if (!event) {
            skip(event.error().message());
            continue;
        }
        if (event->identity) handles_.learn(event->identity->did, event->identity->handle);
        if (event->post) {
            if (auto handle = handles_.find(event->post->author)) event->post->author = std::move(*handle);
            co_await ingest(std::move(*event->post));
        } else {
            pass(event->time_us);
        }
    }
}

}  // namespace tribune::server
