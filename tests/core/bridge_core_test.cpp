// The core of the social-network bridges (issue 16): Mastodon's HTML to plain text, hashtag
// matching, the resume cursor, the Bluesky handles learned, and the sources' storage and
// validation.

#include <gtest/gtest.h>

#include "core/bridge/cursor_tracker.hpp"
#include "core/bridge/handle_cache.hpp"
#include "core/service/source_service.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/text/html_text.hpp"
#include "tests/core/temp_dir.hpp"

namespace tribune {
namespace {

TEST(HtmlText, ParagraphsAndLineBreaks) {
    EXPECT_EQ(html_to_text("<p>First line<br>second<br />third</p><p>Next paragraph</p>"),
              "First line\nsecond\nthird\n\nNext paragraph");
}

TEST(HtmlText, MentionReadsAsAtUser) {
    const std::string html =
        "<p><span class=\"h-card\" translate=\"no\"><a href=\"https://mastodon.social/@ana\" "
        "class=\"u-url mention\">@<span>ana</span></a></span> will rates go up?</p>";
    EXPECT_EQ(html_to_text(html), "@ana will rates go up?");
}

TEST(HtmlText, LinkHiddenPartsMakeTheFullUrl) {
    const std::string html =
        "<p>see <a href=\"https://example.com/a/very/long/path\" rel=\"nofollow\"><span "
        "class=\"invisible\">https://</span><span class=\"ellipsis\">example.com/a/very/lo</span>"
        "<span class=\"invisible\">ng/path</span></a> now</p>";
    EXPECT_EQ(html_to_text(html), "see https://example.com/a/very/long/path now");
}

TEST(HtmlText, HashtagAndEntities) {
    EXPECT_EQ(html_to_text("<p>Q&amp;A <a href=\"https://x/tags/Town\" class=\"mention hashtag\">#<span>Town</span></a> "
                           "&lt;3 &quot;yes&quot; &#39;no&#39; caf&#xE9; &#233; &bogus; &nbsp;end</p>"),
              "Q&A #Town <3 \"yes\" 'no' café é &bogus; end");
}

TEST(HtmlText, ScriptDroppedWhitespaceCollapsedCutTagDropped) {
    EXPECT_EQ(html_to_text("  <p>a  \n\t b<script>alert(1)</script></p>  <p>c <b"), "a b\n\nc");
    EXPECT_EQ(html_to_text(""), "");
}

TEST(Hashtag, MatchesWholeTagWithoutCase) {
    EXPECT_TRUE(has_hashtag("Question for #TownHall: fees?", "townhall"));
    EXPECT_TRUE(has_hashtag("#townhall", "TownHall"));
    EXPECT_FALSE(has_hashtag("#townhall2026 is on", "townhall"));
    EXPECT_FALSE(has_hashtag("a#townhall", "townhall"));
    EXPECT_FALSE(has_hashtag("townhall", "townhall"));
    EXPECT_FALSE(has_hashtag("#town", "townhall"));
}

TEST(CursorTracker, NeverPassesAPostInFlight) {
    cursor_tracker t(std::optional<std::int64_t>(10));
    EXPECT_EQ(t.safe(), 10);
    t.submitted(11);
    t.submitted(12);
    t.submitted(13);
    t.finished(12);
    EXPECT_EQ(t.safe(), 10);  // 11 still in flight
    t.finished(11);
    EXPECT_EQ(t.safe(), 12);
    t.finished(13);
    EXPECT_EQ(t.safe(), 13);
    EXPECT_EQ(t.in_flight(), 0u);
}

TEST(CursorTracker, ReplayedPositionCountsUntilEveryCopyFinished) {
    cursor_tracker t;
    EXPECT_FALSE(t.safe());
    t.submitted(5);
    t.submitted(5);
    t.finished(5);
    t.submitted(6);
    t.finished(6);
    EXPECT_FALSE(t.safe());
    t.finished(5);
    EXPECT_EQ(t.safe(), 6);
}

class SourceStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto s = sqlite_store::open(dir_.file("t.db"), TRIBUNE_SOURCE_DIR "/migrations");
        ASSERT_TRUE(s) << s.error().message();
        db_ = std::move(*s);  // the migrations create the event "demo"
    }
    testing::temp_dir dir_;
    std::unique_ptr<sqlite_store> db_;
};

TEST_F(SourceStoreTest, CreateListPauseCursorDelete) {
    source_service svc(*db_, *db_);
    auto m = svc.create({"demo", source_kind::mastodon, "https://mastodon.example/", "#TownHall", "tok", "root"});
    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(m->endpoint, "https://mastodon.example");
    EXPECT_EQ(m->tag, "TownHall");
    EXPECT_EQ(m->access_token, "tok");
    EXPECT_FALSE(m->paused);
    auto b = svc.create({"demo", source_kind::bluesky, "", "townhall", "", "root"});
    ASSERT_TRUE(b) << b.error().message();
    EXPECT_EQ(b->endpoint, bluesky_default_jetstream);

    auto all = svc.list(std::string("demo"));
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[1].kind, source_kind::bluesky);

    auto paused = svc.set_paused(m->id, true);
    ASSERT_TRUE(paused);
    EXPECT_TRUE(paused->paused);
    ASSERT_TRUE(svc.save_cursor(b->id, "1725911162329308"));
    EXPECT_EQ(svc.get(b->id)->cursor, "1725911162329308");

    ASSERT_TRUE(svc.remove(m->id));
    EXPECT_EQ(svc.get(m->id).error().code(), "source_not_found");
    EXPECT_EQ(svc.remove(m->id).code(), "source_not_found");
    EXPECT_EQ(svc.list(std::nullopt)->size(), 1u);
}

TEST_F(SourceStoreTest, BadInputIsRefusedWithItsCode) {
    source_service svc(*db_, *db_);
    EXPECT_EQ(svc.create({"demo", source_kind::mastodon, "ftp://x", "t", "", "r"}).error().code(), "invalid_url");
    EXPECT_EQ(svc.create({"demo", source_kind::mastodon, "https://x/api", "t", "", "r"}).error().code(),
              "invalid_url");
    EXPECT_EQ(svc.create({"demo", source_kind::bluesky, "https://x", "t", "", "r"}).error().code(), "invalid_url");
    EXPECT_EQ(svc.create({"demo", source_kind::mastodon, "https://x", "a b", "", "r"}).error().code(), "invalid_tag");
    EXPECT_EQ(svc.create({"demo", source_kind::mastodon, "https://x", "#", "", "r"}).error().code(), "invalid_tag");
    EXPECT_EQ(svc.create({"demo", source_kind::bluesky, "", "t", "tok", "r"}).error().code(), "invalid_field");
    EXPECT_EQ(svc.create({"nope", source_kind::mastodon, "https://x", "t", "", "r"}).error().code(),
              "event_not_found");
    for (std::size_t i = 0; i < source_service::max_sources_per_event; ++i)
        ASSERT_TRUE(svc.create({"demo", source_kind::mastodon, "https://x", "t", "", "r"}));
    EXPECT_EQ(svc.create({"demo", source_kind::mastodon, "https://x", "t", "", "r"}).error().code(), "too_many");
}

TEST(HandleCache, KeepsTheLatestHandleAndForgetsTheLeastRecentlyUsedBeyondCapacity) {
    handle_cache c(2);
    c.learn("did:plc:a", "ana.bsky.social");
    c.learn("did:plc:b", "ben.bsky.social");
    EXPECT_EQ(c.find("did:plc:a"), "ana.bsky.social");  // a is now the most recently used
    c.learn("did:plc:c", "cy.example.com");
    EXPECT_EQ(c.size(), 2u);
    EXPECT_FALSE(c.find("did:plc:b")) << "the least recently used went";
    EXPECT_EQ(c.find("did:plc:a"), "ana.bsky.social");
    c.learn("did:plc:a", "ana.example.org");  // a handle change
    EXPECT_EQ(c.find("did:plc:a"), "ana.example.org");
    EXPECT_EQ(c.size(), 2u);
    c.learn("did:plc:c", "");  // an identity event without a handle forgets it
    EXPECT_FALSE(c.find("did:plc:c"));
    EXPECT_EQ(c.size(), 1u);
}

}  // namespace
}  // namespace tribune
