// The bounded ingest queue: back-pressure with 503 + Retry-After when full, and no loss of
// accepted questions on a graceful stop (docs/api.md "Errors"; server/app.hpp stop()).

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/server/gated_classifier.hpp"
#include "tests/server/test_server.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

class ingest_queue_test : public server_test {
protected:
    bool start_in_setup() const override { return false; }

    void TearDown() override {
        gate_->open();  // stop() drains through the classifier
        server_test::TearDown();
    }

    void start_gated(std::size_t capacity, std::size_t max_batch) {
        auto cfg = default_config();
        cfg.ingest_queue_capacity = capacity;
        cfg.max_batch = max_batch;
        cfg.scoring_workers = 1;
        cfg.threads = 4;  // requests blocked on scoring must not starve /healthz
        ASSERT_NO_FATAL_FAILURE(start(cfg, std::make_unique<gated_classifier>(gate_)));
    }

    // The queue depth /healthz reports, or -1.
    long queue_depth() const {
        auto h = http_call(port(), http::verb::get, "/healthz", {}, {}, 3s);
        if (h.status != 200 || !h.body.is_object() || !h.body.contains("queue_depth")) return -1;
        return h.body["queue_depth"].get<long>();
    }

    std::shared_ptr<classifier_gate> gate_ = std::make_shared<classifier_gate>();
};

struct attempt {
    std::string text;
    http_response response;
};

bool retry_after_is_seconds(const std::string& v) {
    if (v.empty()) return false;
    for (char c : v)
        if (c < '0' || c > '9') return false;
    return true;
}

TEST_F(ingest_queue_test, a_full_queue_answers_503_with_retry_after_and_loses_nothing_accepted) {
    ASSERT_NO_FATAL_FAILURE(start_gated(2, 1));

    constexpr int n = 10;
    std::vector<attempt> attempts(n);
    std::atomic<int> finished{0};
    std::vector<std::jthread> threads;
    for (int i = 0; i < n; ++i) {
        attempts[static_cast<std::size_t>(i)].text = "Queued question " + std::to_string(i) + "?";
        threads.emplace_back([&, i] {
            auto& a = attempts[static_cast<std::size_t>(i)];
            a.response = call(http::verb::post, "/api/v1/events/demo/questions",
                              json{{"text", a.text}}.dump());
            ++finished;
        });
    }

    // One question is in the classifier, two wait in the queue: the other seven must be
    // refused while the gate is closed.
    EXPECT_TRUE(gate_->wait_entered(1, 10s)) << "no question reached the classifier";
    for (int i = 0; i < 200 && finished.load() < n - 3; ++i) std::this_thread::sleep_for(50ms);
    const int refused_while_blocked = finished.load();
    EXPECT_GE(refused_while_blocked, n - 3)
        << "with capacity 2, one worker and max_batch 1, at most 3 posts can be pending";

    // The server stays responsive while the pipeline is blocked.
    auto h = http_call(port(), http::verb::get, "/healthz", {}, {}, 3s);
    EXPECT_EQ(h.status, 200u) << h;
    EXPECT_LE(h.body.value("queue_depth", 1000), 2) << h;
    EXPECT_EQ(http_call(port(), http::verb::get, "/api/v1/events/demo", {}, bearer(admin_token()), 3s).status, 200u);

    gate_->open();
    for (auto& t : threads) t.join();

    int created = 0;
    int full = 0;
    for (const auto& a : attempts) {
        const auto& r = a.response;
        if (r.status == 201) {
            ++created;
            json stored = get_question(id_of(r.body));
            EXPECT_EQ(stored.value("text", ""), a.text);
        } else {
            ++full;
            expect_error(r, 503, "queue_full");
            EXPECT_TRUE(retry_after_is_seconds(r.header("retry-after")))
                << "Retry-After must be seconds, got '" << r.header("retry-after") << "'";
        }
    }
    EXPECT_GE(full, 1);
    EXPECT_GE(created, 1);
    EXPECT_EQ(list_all("demo").size(), static_cast<std::size_t>(created))
        << "exactly the 201 answers are stored";

    // Back to normal once the pipeline drains.
    json q = post_text("demo", "After the rush?");
    EXPECT_GT(id_of(q), 0);
}

TEST_F(ingest_queue_test, stop_drains_the_queue_and_no_201_is_lost) {
    ASSERT_NO_FATAL_FAILURE(start_gated(64, 1));
    const std::uint16_t p = port();

    constexpr int queued = 12;
    std::vector<attempt> attempts(queued);
    std::vector<std::jthread> threads;
    for (int i = 0; i < queued; ++i) {
        attempts[static_cast<std::size_t>(i)].text = "In flight " + std::to_string(i) + "?";
        threads.emplace_back([&, i, p] {
            auto& a = attempts[static_cast<std::size_t>(i)];
            a.response = http_call(p, http::verb::post, "/api/v1/events/demo/questions",
                                   json{{"text", a.text}}.dump(), bearer(admin_token()));
        });
    }
    ASSERT_TRUE(gate_->wait_entered(1, 10s)) << "no question reached the classifier";
    long depth = -1;
    for (int i = 0; i < 200 && depth < queued - 1; ++i) {
        depth = queue_depth();
        if (depth < queued - 1) std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(depth, queued - 1) << "all but the one in the classifier should be queued";

    // Posters that keep going while the server stops.
    std::mutex late_mutex;
    std::vector<attempt> late;
    std::atomic<bool> stopping{false};
    std::vector<std::jthread> late_threads;
    for (int t = 0; t < 2; ++t) {
        late_threads.emplace_back([&, t, p] {
            for (int i = 0; i < 500; ++i) {
                attempt a;
                a.text = "Late " + std::to_string(t) + "-" + std::to_string(i) + "?";
                a.response = http_call(p, http::verb::post, "/api/v1/events/demo/questions",
                                       json{{"text", a.text}}.dump(), bearer(admin_token()), 10s);
                const bool transport_error = static_cast<bool>(a.response.error);
                {
                    std::lock_guard lock(late_mutex);
                    late.push_back(std::move(a));
                }
                if (transport_error && stopping.load()) return;
            }
        });
    }
    std::this_thread::sleep_for(100ms);

    stopping = true;
    gate_->open();
    stop();
    for (auto& t : threads) t.join();
    for (auto& t : late_threads) t.join();

    ASSERT_NO_FATAL_FAILURE(start_default());
    std::map<std::string, std::int64_t> stored;
    for (const auto& q : list_all("demo", "limit=500")) stored[q.value("text", "")] = id_of(q);

    int answered = 0;
    for (const auto& a : attempts) {
        EXPECT_TRUE(stored.count(a.text) == 1)
            << "'" << a.text << "' was queued before stop() and is not in the database";
        if (a.response.status == 201) {
            ++answered;
            EXPECT_EQ(stored[a.text], id_of(a.response.body)) << a.text;
        } else if (!a.response.error) {
            EXPECT_GE(a.response.status, 500u) << a.text << ": " << a.response;
        }
    }
    int late_created = 0;
    for (const auto& a : late) {
        if (a.response.status != 201) continue;
        ++late_created;
        ASSERT_TRUE(stored.count(a.text) == 1) << "'" << a.text << "' got 201 but is lost";
        EXPECT_EQ(stored[a.text], id_of(a.response.body));
    }
    RecordProperty("queued_answered_201", answered);
    RecordProperty("late_created", late_created);
}

TEST_F(ingest_queue_test, a_client_that_hangs_up_while_scoring_does_not_lose_its_question) {
    ASSERT_NO_FATAL_FAILURE(start_gated(16, 1));
    auto r = http_call(port(), http::verb::post, "/api/v1/events/demo/questions",
                       json{{"text", "Impatient question?"}}.dump(), bearer(admin_token()), 500ms);
    EXPECT_TRUE(r.error) << "the classifier is blocked, yet the post was answered: " << r;
    ASSERT_TRUE(gate_->wait_entered(1, 5s)) << "the question never reached the classifier";
    gate_->open();

    std::vector<json> stored;
    for (int i = 0; i < 100 && stored.empty(); ++i) {
        stored = list_all("demo");
        if (stored.empty()) std::this_thread::sleep_for(50ms);
    }
    ASSERT_EQ(stored.size(), 1u) << "an accepted question was lost when its client left";
    EXPECT_EQ(stored[0]["text"], "Impatient question?");
    EXPECT_EQ(get("/healthz").status, 200u);
    EXPECT_GT(id_of(post_text("demo", "Patient question?")), 0);
}

}  // namespace
}  // namespace tribune::test
