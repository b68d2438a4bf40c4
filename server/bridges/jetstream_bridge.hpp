#pragma once
// jetstream_bridge: a Bluesky hashtag through a Jetstream endpoint (issue 16). Each session
// opens a WebSocket to the source's subscribe URL with wantedCollections=app.bsky.feed.post
// and, once a cursor is known, cursor=<time_us> rewound by bridge_rewind (ingest is
// idempotent, so the overlap costs nothing and a post committed just before a crash is not
// missed), then keeps the created posts whose hashtag facets or text carry the tag. The cursor
// moves with every event (a post ingested, or another one passed), committed posts first.
// Questions: source "bluesky", external_id the post's at:// URI, origin_url its bsky.app page,
// created_at the record's createdAt, author the handle when an `identity` event of this stream
// named it since the bridge started (handle_cache, bounded), else the DID. Jetstream sends an
// identity event when an account's handle or DID document changes, so most authors are shown
// by DID until they change something; nothing is looked up elsewhere.
//
// Thread safety: as bridge_runner.

#include "core/bridge/handle_cache.hpp"
#include "server/bridges/bridge_runner.hpp"

namespace tribune::server {

class jetstream_bridge final : public bridge_runner {
public:
    static constexpr std::size_t max_handles = 10'000;

    jetstream_bridge(bridge_context& ctx, bridge_source source) : bridge_runner(ctx, std::move(source)) {}

private:
    boost::asio::awaitable<void> session() override;

    handle_cache handles_{max_handles};  // the io thread only
};

}  // namespace tribune::server
