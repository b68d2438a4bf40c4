#include "server/bridges/mastodon_bridge.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace tribune::server {

namespace net = boost::asio;

namespace {

constexpr std::size_t max_page_bytes = 8 << 20;

std::string url_encode(const std::string& s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

header_pairs mastodon_bridge::auth() const {
    if (source_.access_token.empty()) return {};
    return {{"Authorization", "Bearer " + source_.access_token}};
}

net::awaitable<void> mastodon_bridge::session() {
    auto base = parse_url(source_.endpoint);
    if (!base) throw std::runtime_error("the instance's URL cannot be used");
    const std::string tag = url_encode(source_.tag);
    bridge_connection& stream = open(*base, 0);
    co_await stream.connect();
    const int upgraded = co_await stream.open_websocket("/api/v1/streaming?stream=hashtag&tag=" + tag, auth());
    bool websocket = upgraded == 101;
    bridge_connection* events = &stream;
    if (!websocket) {
        events = &open(*base, 0);
        co_await events->connect();
        header_pairs headers = auth();
        headers.emplace_back("Accept", "text/event-stream");
        const int answered = co_await events->get("/api/v1/streaming/hashtag?tag=" + tag, headers);
        if (answered != 200)
            throw std::runtime_error("the streaming API refused: WebSocket answered " + std::to_string(upgraded) +
                                     ", server-sent events answered " + std::to_string(answered));
    }
    connected(websocket ? "websocket" : "sse");
    co_await backfill(*base);
    if (websocket)
        co_await read_websocket(*events);
    else
        co_await read_events(*events);
}

net::awaitable<void> mastodon_bridge::backfill(const parsed_url& base) {
    const std::optional<std::int64_t> since = resume_position();
    std::vector<social_post> posts;
    std::string max_id;
    for (int page = 0; page < max_backfill_pages; ++page) {
        std::string target = "/api/v1/timelines/tag/" + url_encode(source_.tag) +
                             "?limit=" + std::to_string(page_size);
        if (since) target += "&since_id=" + std::to_string(*since);
        if (!max_id.empty()) target += "&max_id=" + max_id;
        bridge_connection& c = open(base, 1);
        co_await c.connect();
        const int st = co_await c.get(target, auth());
        if (st != 200) throw std::runtime_error("the tag timeline answered " + std::to_string(st));
        const std::string body = co_await c.read_body(max_page_bytes);
        c.close();
        std::size_t skipped = 0;
        auto items = decode_mastodon_timeline(body, skipped);
        if (!items) throw std::runtime_error("the tag timeline: " + items.error().message());
        for (std::size_t i = 0; i < skipped; ++i) skip("a status of the tag timeline could not be read");
        const bool full = items->size() >= static_cast<std::size_t>(page_size);
        std::optional<std::int64_t> oldest;
        for (social_post& p : *items) {
            if (p.position && (!oldest || *p.position < *oldest)) oldest = p.position;
            posts.push_back(std::move(p));
        }
        if (!since || !full || !oldest) break;
        max_id = std::to_string(*oldest);
    }
    std::stable_sort(posts.begin(), posts.end(), [](const social_post& a, const social_post& b) {
        return a.position.value_or(0) < b.position.value_or(0);
    });
    if (!posts.empty()) log("backfill: " + std::to_string(posts.size()) + " posts");
    for (social_post& p : posts) {
        if (since && p.position && *p.position <= *since) continue;
        co_await ingest(std::move(p));
    }
}

net::awaitable<void> mastodon_bridge::read_websocket(bridge_connection& c) {
    for (;;) {
        const std::string message = co_await c.read_message();
        auto post = decode_mastodon_stream_message(message);
        if (!post) {
            skip(post.error().message());
            continue;
        }
        if (*post) co_await ingest(std::move(**post));
    }
}

net::awaitable<void> mastodon_bridge::read_events(bridge_connection& c) {
    sse_parser parser;
    for (;;) {
        auto bytes = co_await c.read_body_some();
        if (!bytes) throw std::runtime_error("the event stream ended");
        for (sse_event& e : parser.feed(*bytes)) {
            if (e.event != "update") continue;
            auto post = decode_mastodon_status(e.data);
            if (!post) {
                skip(post.error().message());
                continue;
            }
            co_await ingest(std::move(*post));
        }
        if (parser.failed()) throw std::runtime_error("an event stream line over 1 MiB");
    }
}

}  // namespace tribune::server
