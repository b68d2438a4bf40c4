#pragma once
// jetstream_bridge: a Bluesky hashtag through a Jetstream endpoint (issue 16). Each session
// opens a WebSocket to the source's subscribe URL with wantedCollections=app.bsky.feed.post
// and, once a cursor is known, cursor=<time_us> rewound by bridge_rewind (ingest is
// idempotent, so the overlap costs nothing and a post committed just before a crash is not
// missed), then keeps the created posts whose hashtag facets or text carry the tag. The cursor
// moves with every event (a post ingested, or another one passed), committed posts first.
// Questions: source "bluesky", external_id the post's at:// URI, author the DID.
//
// Thread safety: as bridge_runner.

#include "server/bridges/bridge_runner.hpp"

namespace tribune::server {

class jetstream_bridge final : public bridge_runner {
public:
    jetstream_bridge(bridge_context& ctx, bridge_source source) : bridge_runner(ctx, std::move(source)) {}

private:
    boost::asio::awaitable<void> session() override;
};

}  // namespace tribune::server
