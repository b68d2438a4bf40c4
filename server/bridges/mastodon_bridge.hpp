#pragma once
// mastodon_bridge: a Mastodon hashtag on one instance (issue 16). Each session:
//   1. opens the streaming API for the hashtag: a WebSocket to
//      /api/v1/streaming?stream=hashtag&tag=TAG; when the instance answers the upgrade with
//      anything but 101, server-sent events from /api/v1/streaming/hashtag?tag=TAG instead;
//   2. catches up (the stream is open, so nothing falls between): GET
//      /api/v1/timelines/tag/TAG?limit=40&since_id=CURSOR, page after page (max_id) while
//      pages are full, up to max_backfill_pages; the first start (no cursor) takes one page;
//      the posts are ingested oldest first;
//   3. ingests every "update" of the stream until it fails.
// The access token, when set, goes in an Authorization: Bearer header (never in a URL or a
// log). Questions: source "mastodon:HOST", external_id the status id, author the acct, text
// the content's HTML as plain text (core/text/html_text.hpp).
//
// Thread safety: as bridge_runner.

#include "server/bridges/bridge_runner.hpp"

namespace tribune::server {

class mastodon_bridge final : public bridge_runner {
public:
    static constexpr int page_size = 40;  // Mastodon's maximum for the tag timeline
    static constexpr int max_backfill_pages = 25;

    mastodon_bridge(bridge_context& ctx, bridge_source source) : bridge_runner(ctx, std::move(source)) {}

private:
    boost::asio::awaitable<void> session() override;
    boost::asio::awaitable<void> backfill(const parsed_url& base);
    boost::asio::awaitable<void> read_websocket(bridge_connection& c);
    boost::asio::awaitable<void> read_events(bridge_connection& c);
    header_pairs auth() const;
};

}  // namespace tribune::server
