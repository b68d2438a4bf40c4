// view_frame_test: the frames the hub encodes once per view (view_spec::encode) are the
// frames a session would encode on its own from the same changes (view_subscription taking
// them one by one), byte for byte, for every lens; and a session takes the shared frame only
// when it stands right before the batch with nothing else pending. No server: records are
// built here the way the hub builds them.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "core/service/moderation_query.hpp"
#include "core/store/memory_store.hpp"
#include "server/live/change_batch.hpp"
#include "server/live/hub.hpp"
#include "server/live/page_window.hpp"
#include "server/live/view_spec.hpp"
#include "server/live/view_subscription.hpp"
#include "server/wire/shortlist_codec.hpp"
#include "server/wire/stream_codec.hpp"

namespace tribune::server {
namespace {

using json = nlohmann::json;

class view_frame_test : public ::testing::Test {
  protected:
    // The next numbered change of question `id`: created in `to`, or moved `from` -> `to`.
    std::shared_ptr<const change_record> change(std::int64_t id, question_status to,
                                                std::optional<question_status> from = {},
                                                std::string author = "ann") {
        auto r = std::make_shared<change_record>();
        r->change.kind = from ? change_kind::updated : change_kind::created;
        r->change.from = from;
        r->change.actor = from ? "mod" : "";
        question& q = r->change.q;
        q.id = id;
        q.event = "demo";
        q.text = "Question " + std::to_string(id) + "?";
        q.author = author;
        q.status = to;
        q.version = from ? 2 : 1;
        q.cluster_id = id;
        r->seq = ++seq_;
        r->message = numbered_change(r->seq, encode_change(r->change));
        if (from) --counts_[static_cast<std::size_t>(*from)];
        ++counts_[static_cast<std::size_t>(to)];
        r->counts = counts_;
        r->counted = true;
        return r;
    }

    std::shared_ptr<const change_record> shortlist(std::int64_t id) {
        auto r = std::make_shared<change_record>();
        shortlist_change s;
        s.event = "demo";
        s.action = "added";
        s.question_id = id;
        r->change.q.event = "demo";
        r->shortlist = std::make_shared<const shortlist_change>(s);
        r->seq = ++seq_;
        r->message = numbered_change(r->seq, encode_shortlist_change(s, question_fields{}));
        r->counts = counts_;
        r->counted = true;
        return r;
    }

    static std::shared_ptr<const change_batch> batch_of(
        std::vector<std::shared_ptr<const change_record>> records) {
        auto b = std::make_shared<change_batch>();
        b->prev = records.front()->seq - 1;
        b->first = records.front()->seq;
        b->last = records.back()->seq;
        b->records = std::move(records);
        return b;
    }

    std::uint64_t seq_ = 0;
    state_counts counts_{};
};

std::shared_ptr<const view_spec> spec_of(std::vector<question_status> states, stream_lens lens = {},
                                         bool with_shortlist = false) {
    stream_view v;
    v.filter.statuses = std::move(states);
    return std::make_shared<const view_spec>(v, 3, with_shortlist, lens);
}

TEST_F(view_frame_test, the_shared_frame_equals_what_each_session_would_encode_for_every_lens) {
    std::vector<std::shared_ptr<const change_record>> before = {change(1, question_status::pending)};
    const std::uint64_t start = seq_;
    const state_counts at_start = counts_;
    auto b = batch_of({change(2, question_status::pending), change(3, question_status::approved),
                       change(1, question_status::approved, question_status::pending),
                       shortlist(3), change(4, question_status::held), shortlist(4),
                       change(3, question_status::answered, question_status::approved)});
    stream_lens executive;
    executive.public_only = true;
    executive.fields.scores = false;
    const std::vector<std::shared_ptr<const view_spec>> specs = {
        spec_of({question_status::pending, question_status::held}),
        spec_of({question_status::approved, question_status::answered}, executive, true),
        spec_of({}, {}, true),
        spec_of({question_status::rejected})};
    for (const auto& spec : specs) {
        SCOPED_TRACE(spec->key());
        view_subscription one_by_one(spec);
        one_by_one.reset(start, at_start);
        for (const auto& r : b->records) one_by_one.add(r);
        const std::string expected = *one_by_one.take_frame();

        auto shared = spec->encode(b);
        EXPECT_EQ(shared->frame, expected);
        view_subscription session(spec);
        session.reset(start, at_start);
        ASSERT_EQ(session.fit_of(*b), view_subscription::fit::next);
        session.add(shared);
        auto sent = session.take_frame();
        EXPECT_EQ(*sent, expected);
        EXPECT_EQ(sent.get(), &shared->frame) << "the hub's bytes, not a copy";
    }
    // What the frames say, once: the review view got its three questions, the removal of 1,
    // and the counts after the batch.
    const json f = json::parse(specs[0]->encode(b)->frame);
    EXPECT_EQ(f["prev"], start);
    EXPECT_EQ(f["seq"], seq_);
    EXPECT_EQ(f["counts"]["approved"], 1);
    EXPECT_EQ(f["counts"]["answered"], 1);
    std::vector<std::string> ops;
    for (const json& c : f["changes"]) ops.push_back(c["op"].get<std::string>() + std::to_string(c["question"]["id"].get<int>()));
    EXPECT_EQ(ops, (std::vector<std::string>{"upsert2", "remove1", "upsert4"}));
    // Only the newest shortlist of the batch is in a frame that asked for it.
    const json all = json::parse(specs[2]->encode(b)->frame);
    int shortlists = 0;
    for (const json& c : all["changes"]) shortlists += c["op"] == "shortlist";
    EXPECT_EQ(shortlists, 1);
}

TEST_F(view_frame_test, a_session_behind_or_with_changes_pending_encodes_its_own_frame) {
    auto spec = spec_of({question_status::pending});
    view_subscription s(spec);
    s.reset(0, counts_);
    auto b1 = batch_of({change(1, question_status::pending), change(2, question_status::pending)});
    auto b2 = batch_of({change(3, question_status::pending)});
    auto b3 = batch_of({change(4, question_status::pending)});
    s.add(spec->encode(b1));
    auto v2 = spec->encode(b2);
    ASSERT_EQ(s.fit_of(*b2), view_subscription::fit::next);
    s.add(v2);  // two batches in one frame: not the hub's frame of either
    auto frame = s.take_frame();
    EXPECT_NE(frame.get(), &v2->frame);
    const json f = json::parse(*frame);
    EXPECT_EQ(f["prev"], 0);
    EXPECT_EQ(f["seq"], 3);
    EXPECT_EQ(f["changes"].size(), 3u);

    EXPECT_EQ(s.fit_of(*b2), view_subscription::fit::old);
    EXPECT_EQ(s.fit_of(*batch_of({change(5, question_status::pending)})), view_subscription::fit::gap)
        << "batch 4 never came";
    view_subscription late(spec);
    late.reset(3, counts_);
    EXPECT_EQ(late.fit_of(*b3), view_subscription::fit::next);
    view_subscription mid(spec);
    mid.reset(1, counts_);
    EXPECT_EQ(mid.fit_of(*b1), view_subscription::fit::overlap);
}

// A page view's batch as page_window::advance leaves it: the page after `b` is `page`
// (ids and versions, in order); the shared frame takes the hub's previous page to it.
std::shared_ptr<const view_batch> page_batch(const view_spec& spec, std::shared_ptr<const change_batch> b,
                                             const std::vector<page_item>& page) {
    auto v = std::make_shared<view_batch>();
    v->counts = b->records.back()->counts;
    v->counted = true;
    v->page = true;
    v->diff_valid = true;
    std::vector<std::int64_t> ids;
    for (const page_item& p : page) {
        question q;
        q.id = p.id;
        q.version = p.version;
        q.event = "demo";
        v->whole.push_back({std::make_shared<const std::string>(page_entry(q, b->last, spec.lens())), false});
        v->versions.push_back(p);
        ids.push_back(p.id);
    }
    v->tail = page_tail(ids, std::nullopt);
    v->entries = v->whole;
    v->frame = frame_message(spec.id(), b->prev, b->last, v->counts, v->entries, v->tail);
    v->key = spec.key();
    v->batch = std::move(b);
    return v;
}

std::vector<std::int64_t> upserted_ids(const std::string& frame) {
    std::vector<std::int64_t> out;
    const json f = json::parse(frame);
    for (const json& c : f["changes"])
        if (c["op"] == "upsert") out.push_back(c["question"]["id"].get<std::int64_t>());
    return out;
}

TEST_F(view_frame_test, a_page_session_that_skipped_batches_gets_only_what_its_page_lacks) {
    stream_view view;
    view.sort = question_sort::newest;
    view.limit = 3;
    auto spec = std::make_shared<const view_spec>(view, 3, false, stream_lens{}, true);
    ASSERT_TRUE(spec->pages());
    // Questions 1 and 2 exist before the snapshot.
    change(1, question_status::pending);
    change(2, question_status::pending);
    view_subscription s(spec);
    s.reset(seq_, counts_);
    question one, two;
    one.id = 1;
    two.id = 2;
    one.version = two.version = 1;
    s.took_snapshot({two, one});

    // The first frame after the snapshot: only the question the snapshot did not show.
    auto b3 = batch_of({change(3, question_status::pending)});
    s.add_page(page_batch(*spec, b3, {{3, 1}, {2, 1}, {1, 1}}));
    const json first = json::parse(*s.take_frame());
    EXPECT_EQ(upserted_ids(first.dump()), (std::vector<std::int64_t>{3}));
    EXPECT_EQ(first["page"], json::parse("[3,2,1]"));

    // Two batches before the next frame (the client was slow to ack, or its socket to drain):
    // the newest page, less what the client's page shows at the same version.
    auto b4 = batch_of({change(4, question_status::pending)});
    auto b5 = batch_of({change(5, question_status::pending)});
    s.add_page(page_batch(*spec, b4, {{4, 1}, {3, 1}, {2, 1}}));
    s.add_page(page_batch(*spec, b5, {{5, 1}, {4, 1}, {3, 1}}));
    const json second = json::parse(*s.take_frame());
    EXPECT_EQ(second["prev"], b3->last);
    EXPECT_EQ(second["seq"], b5->last);
    EXPECT_EQ(upserted_ids(second.dump()), (std::vector<std::int64_t>{5, 4})) << "3 is on the client's page";
    EXPECT_EQ(second["page"], json::parse("[5,4,3]"));

    // A question of the client's page changed meanwhile: it goes again, at its new version.
    auto b6 = batch_of({change(4, question_status::held, question_status::pending)});
    auto b7 = batch_of({change(6, question_status::pending)});
    s.add_page(page_batch(*spec, b6, {{5, 1}, {4, 2}, {3, 1}}));
    s.add_page(page_batch(*spec, b7, {{6, 1}, {5, 1}, {4, 2}}));
    EXPECT_EQ(upserted_ids(*s.take_frame()), (std::vector<std::int64_t>{6, 4}));
}

TEST_F(view_frame_test, page_sessions_that_skipped_the_same_batches_share_one_catch_up_frame) {
    memory_store db;  // the window's first read: an empty event
    moderation_query query(db);
    stream_view view;
    view.sort = question_sort::newest;
    view.limit = 3;
    auto spec = std::make_shared<const view_spec>(view, 3, true, stream_lens{}, true);
    ASSERT_TRUE(spec->pages());
    page_window window(spec, "demo", query);
    view_subscription a(spec), b(spec);
    for (view_subscription* s : {&a, &b}) {
        s->reset(seq_, counts_);
        s->took_snapshot({});
    }
    // Both take the first batch's frame: their page is then the hub's page after it.
    auto b1 = batch_of({change(1, question_status::pending), change(2, question_status::pending)});
    auto v1 = spec->encode(b1, &window);
    ASSERT_TRUE(v1->page);
    for (view_subscription* s : {&a, &b}) {
        s->add_page(v1);
        s->take_frame();
    }
    // Both skip a frame (acked late): two batches, a shortlist change in the first.
    auto b2 = batch_of({change(3, question_status::pending), shortlist(1)});
    auto b3 = batch_of({change(4, question_status::pending), change(2, question_status::held, question_status::pending)});
    auto v2 = spec->encode(b2, &window);
    auto v3 = spec->encode(b3, &window);
    ASSERT_EQ(v3->catch_ups.size(), 1u) << "the page after b1 (b2's is b3's prev: v3->frame)";
    EXPECT_EQ(v3->catch_ups[0].prev, b1->last);
    for (view_subscription* s : {&a, &b}) {
        s->add_page(v2);
        s->add_page(v3);
    }
    auto fa = a.take_frame();
    auto fb = b.take_frame();
    EXPECT_EQ(fa.get(), fb.get()) << "one encoding for both";
    EXPECT_EQ(fa.get(), v3->catch_ups[0].frame.get());
    // What it says: from b1's page (2, 1) to b3's (4, 3, 2 at version 2), the shortlist
    // changed in b2, and question 1 left the page.
    const json f = json::parse(*fa);
    EXPECT_EQ(f["prev"], b1->last);
    EXPECT_EQ(f["seq"], b3->last);
    EXPECT_EQ(upserted_ids(*fa), (std::vector<std::int64_t>{4, 3, 2}));
    EXPECT_EQ(f["page"], json::parse("[4,3,2]"));
    int shortlists = 0;
    for (const json& c : f["changes"]) shortlists += c["op"] == "shortlist";
    EXPECT_EQ(shortlists, 1) << "the shortlist change of the skipped batch";
    EXPECT_EQ(f["counts"]["held"], 1);

    // A session whose page is not the hub's (it just subscribed) gets its own frame.
    view_subscription c(spec);
    c.reset(b2->last, counts_);
    question two;
    two.id = 2;
    two.version = 2;
    c.took_snapshot({two});
    c.add_page(v3);
    auto fc = c.take_frame();
    EXPECT_NE(fc.get(), fa.get());
    EXPECT_EQ(upserted_ids(*fc), (std::vector<std::int64_t>{4, 3})) << "2 at version 2 is on its page";
}

TEST_F(view_frame_test, views_that_differ_in_anything_a_frame_shows_have_different_keys) {
    stream_lens executive;
    executive.public_only = true;
    EXPECT_EQ(spec_of({question_status::pending})->key(), spec_of({question_status::pending})->key());
    EXPECT_NE(spec_of({question_status::pending})->key(), spec_of({question_status::held})->key());
    EXPECT_NE(spec_of({question_status::approved})->key(),
              spec_of({question_status::approved}, executive)->key());
    EXPECT_NE(spec_of({question_status::approved})->key(),
              spec_of({question_status::approved}, {}, true)->key());
    stream_view a, b;
    a.filter.score_attr = b.filter.score_attr = attribute::toxicity;
    a.filter.min_score = 0.5f;
    b.filter.min_score = 0.5001f;  // the same when echoed to thousandths, not the same filter
    EXPECT_NE(view_spec(a, 1, false, {}).key(), view_spec(b, 1, false, {}).key());
    EXPECT_NE(view_spec(a, 1, false, {}).key(), view_spec(a, 2, false, {}).key());
}

// The hub seeded at an instance's start on a database that numbers changes (PostgreSQL): the
// counts it reads include the changes numbered up to `through`, which the change source
// delivers afterwards (their numbers are after its position); they must not count twice.
class numbered_counts_store final : public memory_store {
public:
    std::uint64_t through = 0;
    result<numbered_counts> count_by_status_numbered(std::int64_t event_id) override {
        auto c = count_by_status(event_id);
        if (!c) return c.error();
        return numbered_counts{*c, through};
    }
};

class silent_subscriber final : public stream_subscriber {
public:
    const stream_identity& identity() const override { return id_; }
    bool receives_activity() const override { return false; }
    void deliver(delivery) override {}
    void deliver_activity(std::shared_ptr<const activity_record>) override {}
    void close_going_away() override {}
    void close_revoked() override {}

private:
    stream_identity id_;
};

// Counts the deliveries without a view: those publish() hands over at once.
class counting_subscriber final : public stream_subscriber {
public:
    const stream_identity& identity() const override { return id_; }
    bool receives_activity() const override { return false; }
    void deliver(delivery d) override {
        if (!d.view) ++at_once;
    }
    void deliver_activity(std::shared_ptr<const activity_record>) override {}
    void close_going_away() override {}
    void close_revoked() override {}
    std::atomic<int> at_once{0};

private:
    stream_identity id_;
};

TEST(hub_views, a_stream_gets_each_change_at_once_exactly_while_it_has_no_view) {
    memory_store db;
    moderation_query query(db);
    hub h(64, query);
    auto a = std::make_shared<counting_subscriber>();
    auto b = std::make_shared<counting_subscriber>();
    auto view = spec_of({question_status::pending});
    h.join("demo", a, std::nullopt, "");        // per-change: no view
    h.join("demo", b, std::nullopt, "", view);  // a dashboard
    question_change c;
    c.q.event = "demo";
    c.q.id = 1;
    c.q.status = question_status::pending;
    h.publish(c);
    EXPECT_EQ(a->at_once, 1);
    EXPECT_EQ(b->at_once, 0);
    h.join("demo", a, std::nullopt, "", view);  // subscribes to a view instead
    h.join("demo", b, std::nullopt, "");        // and the other drops its view
    c.q.id = 2;
    h.publish(c);
    EXPECT_EQ(a->at_once, 1) << "a stream with a view gets batches from the fan-out thread";
    EXPECT_EQ(b->at_once, 1);
    h.leave("demo", b.get());
    c.q.id = 3;
    h.publish(c);
    EXPECT_EQ(b->at_once, 1) << "gone";
    h.stop();
}

TEST(hub_counts, changes_the_seeded_counts_include_are_not_counted_again) {
    numbered_counts_store db;
    const std::int64_t demo = db.find_event("demo")->id;
    question_insert in;
    in.q.event_id = demo;
    in.q.text = "Committed between the position and the counts?";
    in.q.status = question_status::pending;
    auto stored = db.insert_batch({in});
    ASSERT_TRUE(stored.is_ok());
    moderation_query query(db);
    hub h(64, query, "shared-epoch");
    h.start_at("demo", 5);  // the listener's position at open()
    db.through = 6;         // the counts were read after change 6 (the insert) committed
    h.seed_counts();
    auto sub = std::make_shared<silent_subscriber>();
    const std::size_t pending = static_cast<std::size_t>(question_status::pending);
    EXPECT_EQ(h.join("demo", sub, std::nullopt, "").counts[pending], 1);

    question_change created;
    created.q = (*stored)[0].stored;
    created.q.event = "demo";
    h.publish(created, 6);  // the insert, delivered after the seeding: already counted
    auto p = h.join("demo", sub, std::nullopt, "");
    EXPECT_EQ(p.seq, 6u);
    EXPECT_EQ(p.counts[pending], 1) << "a change the seeded counts include was counted again";
    created.q.id += 1;
    h.publish(created, 7);  // a later one moves them
    EXPECT_EQ(h.join("demo", sub, std::nullopt, "").counts[pending], 2);
    h.leave("demo", sub.get());
    h.stop();
}

}  // namespace
}  // namespace tribune::server
