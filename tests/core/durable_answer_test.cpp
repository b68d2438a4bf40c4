// The ingest pipeline answers a question only once its commit is durable: the committer
// commits without waiting for the disk (question_store::insert_batch_unsynced) and the
// completer calls question_store::make_durable() before any answer of the batches it holds.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <vector>

#include "core/classify/placeholder_classifier.hpp"
#include "core/service/question_service.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/memory_store.hpp"

namespace tribune {
namespace {

// Numbers each unsynced commit, and records up to which commit make_durable() made them
// durable. make_durable() fails while told to.
class syncing_store final : public memory_store {
public:
    result<std::vector<insert_outcome>> insert_batch_unsynced(
        const std::vector<question_insert>& b) override {
        auto r = memory_store::insert_batch(b);
        std::lock_guard lock(mutex_);
        ++committed_;
        if (r)
            for (const insert_outcome& o : *r) commit_of_[o.stored.text] = committed_;
        return r;
    }
    status make_durable() override {
        std::lock_guard lock(mutex_);
        ++syncs_;
        if (fail_) return status::error(error_kind::internal, "storage_error", "fsync failed (test)");
        durable_ = committed_;
        return status::ok();
    }
    // True when the commit that stored `text` was made durable.
    bool durable(const std::string& text) {
        std::lock_guard lock(mutex_);
        auto c = commit_of_.find(text);
        return c != commit_of_.end() && c->second <= durable_;
    }
    void fail(bool f) {
        std::lock_guard lock(mutex_);
        fail_ = f;
    }
    int syncs() {
        std::lock_guard lock(mutex_);
        return syncs_;
    }

private:
    std::mutex mutex_;
    int committed_ = 0;
    int durable_ = 0;
    int syncs_ = 0;
    bool fail_ = false;
    std::map<std::string, int> commit_of_;
};

class counting_sink final : public event_sink {
public:
    void question_changed(const question_change&) override {
        std::lock_guard lock(mutex_);
        ++created_;
    }
    int created() {
        std::lock_guard lock(mutex_);
        return created_;
    }

private:
    std::mutex mutex_;
    int created_ = 0;
};

class durable_answer_test : public ::testing::Test {
protected:
    void SetUp() override {
        service_ = std::make_unique<question_service>(db_, model_, sink_, service_options{});
        ASSERT_TRUE(service_->start().is_ok());
    }
    void TearDown() override { service_->stop(); }

    // Submits; the answer, and whether the question's commit was durable when it came.
    std::pair<result<submit_outcome>, bool> submit(const std::string& text,
                                                   std::optional<std::string> external_id = {}) {
        std::promise<std::pair<result<submit_outcome>, bool>> done;
        auto fut = done.get_future();
        status st = service_->submit({"demo", text, {}, std::string("test"), external_id},
                                     [&](result<submit_outcome> r) {
                                         const bool durable = db_.durable(text);
                                         done.set_value({std::move(r), durable});
                                     });
        if (!st) return {st, false};
        return fut.get();
    }

    syncing_store db_;
    placeholder_classifier model_;
    counting_sink sink_;
    std::unique_ptr<question_service> service_;
};

TEST_F(durable_answer_test, every_answer_comes_after_its_commit_was_made_durable) {
    // Many at once, so that batches are committed while earlier ones wait for their sync.
    std::vector<std::promise<bool>> promises(200);
    std::vector<std::future<bool>> answers;
    for (std::size_t i = 0; i < promises.size(); ++i) {
        answers.push_back(promises[i].get_future());
        const std::string text = "Question number " + std::to_string(i) + " about the fees?";
        ASSERT_TRUE(service_->submit({"demo", text, {}, {}, {}},
                                     [this, text, p = &promises[i]](result<submit_outcome> r) {
                                         p->set_value(r.is_ok() && db_.durable(text));
                                     })
                        .is_ok());
    }
    for (auto& a : answers) EXPECT_TRUE(a.get());
    EXPECT_GE(db_.syncs(), 1);
}

TEST_F(durable_answer_test, a_failed_sync_answers_the_error_and_still_announces_the_commit) {
    ASSERT_TRUE(submit("A first question?").first.is_ok());
    db_.fail(true);
    auto [r, durable] = submit("Will this one be acknowledged?");
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.error().code(), "storage_error");
    EXPECT_FALSE(durable);
    service_->stop();  // the completer announced everything committed before it ended
    EXPECT_EQ(sink_.created(), 2);
}

TEST_F(durable_answer_test, a_retry_of_a_stored_question_waits_for_durability_too) {
    ASSERT_TRUE(submit("Asked once?", "x1").first.is_ok());
    db_.fail(true);
    // The retry is answered from the store at once, but only once make_durable() agreed.
    auto [r, durable] = submit("Asked once?", "x1");
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.error().code(), "storage_error");
    db_.fail(false);
    auto again = submit("Asked once?", "x1");
    ASSERT_TRUE(again.first.is_ok());
    EXPECT_FALSE(again.first->created);
}

// Each stored question reports where its time went (service_options::on_stages), once, before
// its answer: every stage is a part of the time from submit() to the answer.
TEST(ingest_stages_test, each_stored_question_reports_its_stages_before_its_answer) {
    syncing_store db;
    placeholder_classifier model;
    counting_sink sink;
    std::mutex mutex;
    std::vector<ingest_stages> seen;
    service_options opts;
    opts.on_stages = [&](const ingest_stages& t) {
        std::lock_guard lock(mutex);
        seen.push_back(t);
    };
    question_service service(db, model, sink, opts);
    ASSERT_TRUE(service.start().is_ok());
    for (int i = 0; i < 3; ++i) {
        std::promise<std::size_t> reported;  // stages seen when the answer came
        const auto t0 = std::chrono::steady_clock::now();
        ASSERT_TRUE(service.submit({"demo", "Stage question " + std::to_string(i) + "?", {}, {}, {}},
                                   [&](result<submit_outcome> r) {
                                       EXPECT_TRUE(r.is_ok());
                                       std::lock_guard lock(mutex);
                                       reported.set_value(seen.size());
                                   })
                        .is_ok());
        EXPECT_EQ(reported.get_future().get(), static_cast<std::size_t>(i + 1));
        const double elapsed =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::lock_guard lock(mutex);
        const ingest_stages& t = seen.back();
        for (double v : {t.queued, t.scoring, t.to_commit, t.commit, t.to_sync, t.sync}) EXPECT_GE(v, 0.0);
        EXPECT_GT(t.commit, 0.0);
        EXPECT_LE(t.queued + t.scoring + t.to_commit + t.commit + t.to_sync + t.sync, elapsed);
    }
    service.stop();
    EXPECT_EQ(seen.size(), 3u);
}

TEST(sqlite_unsynced_commit, is_stored_and_survives_reopening_after_make_durable) {
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("tribune-unsynced-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    const std::string path = (dir / "t.db").string();
    const std::string migrations = std::string(TRIBUNE_SOURCE_DIR) + "/migrations";
    std::int64_t id = 0;
    {
        auto db = sqlite_store::open(path, migrations);
        ASSERT_TRUE(db.is_ok()) << db.error().message();
        auto ev = (*db)->create_event({"unsynced", "Unsynced commits"});
        ASSERT_TRUE(ev.is_ok());
        EXPECT_TRUE((*db)->make_durable().is_ok());  // nothing pending
        question_insert in;
        in.q.event = "unsynced";
        in.q.event_id = ev->id;
        in.q.text = "Stored before the sync?";
        in.search_text = in.q.text;
        auto r = (*db)->insert_batch_unsynced({in});
        ASSERT_TRUE(r.is_ok()) << r.error().message();
        ASSERT_TRUE((*r)[0].inserted);
        id = (*r)[0].stored.id;
        // Committed: readers see it before the sync.
        EXPECT_TRUE((*db)->get_question(id).is_ok());
        EXPECT_TRUE((*db)->make_durable().is_ok());
    }
    auto db = sqlite_store::open(path, migrations);
    ASSERT_TRUE(db.is_ok());
    auto q = (*db)->get_question(id);
    ASSERT_TRUE(q.is_ok());
    EXPECT_EQ(q->text, "Stored before the sync?");
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tribune
