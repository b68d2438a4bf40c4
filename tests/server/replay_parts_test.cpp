// The parts of `tribune replay` that need no server: the command line, the line format and
// its derived ids, created_at, and the due times the dispatcher gives each line.

#include <chrono>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/replay_console.hpp"
#include "cli/replay_dispatcher.hpp"
#include "cli/replay_options.hpp"
#include "cli/replay_source.hpp"
#include "cli/replay_stats.hpp"

namespace tribune::cli {
namespace {

using json = nlohmann::json;

std::vector<std::string> base_args() {
    return {"f.jsonl", "--url", "http://127.0.0.1:8080", "--event", "demo", "--token", "trb_x"};
}

std::string parse_error(std::vector<std::string> args) {
    auto r = parse_replay_args(args);
    return r ? std::string() : r.error().message();
}

TEST(replay_options_test, reads_the_pacing_and_the_url) {
    auto a = base_args();
    a.insert(a.end(), {"--speed", "60x", "--connections", "4"});
    auto o = parse_replay_args(a);
    ASSERT_TRUE(o) << o.error().message();
    EXPECT_EQ(o->pacing, replay_pacing::speed);
    EXPECT_DOUBLE_EQ(o->speed, 60);
    EXPECT_EQ(o->connections, 4);
    EXPECT_EQ(o->target.host, "127.0.0.1");
    EXPECT_EQ(o->target.port, "8080");
    EXPECT_EQ(o->target.base_path, "");

    a = base_args();
    a[2] = "http://[::1]:9000/tribune/";
    a.insert(a.end(), {"--rate=250"});
    o = parse_replay_args(a);
    ASSERT_TRUE(o) << o.error().message();
    EXPECT_EQ(o->pacing, replay_pacing::rate);
    EXPECT_DOUBLE_EQ(o->rate, 250);
    EXPECT_EQ(o->target.host, "::1");
    EXPECT_EQ(o->target.port, "9000");
    EXPECT_EQ(o->target.base_path, "/tribune");

    o = parse_replay_args(base_args());
    ASSERT_TRUE(o);
    EXPECT_EQ(o->pacing, replay_pacing::max);
    EXPECT_EQ(o->connections, 256);
}

TEST(replay_options_test, refuses_bad_usage_with_a_clear_line) {
    auto with = [](std::vector<std::string> extra) {
        auto a = base_args();
        a.insert(a.end(), extra.begin(), extra.end());
        return parse_error(a);
    };
    EXPECT_NE(with({"--rate", "0"}).find("--rate must be a positive"), std::string::npos);
    EXPECT_NE(with({"--speed", "fast"}).find("--speed must be"), std::string::npos);
    EXPECT_NE(with({"--rate", "5", "--max"}).find("at most one of"), std::string::npos);
    EXPECT_NE(with({"--connections", "0"}).find("--connections must be 1..1024"), std::string::npos);
    EXPECT_NE(with({"--bogus", "1"}).find("unknown option --bogus"), std::string::npos);
    EXPECT_NE(with({"other.jsonl"}).find("more than one FILE"), std::string::npos);
    EXPECT_NE(with({"--event", "Bad Slug"}).find("--event must be a slug"), std::string::npos);
    EXPECT_NE(with({"--url", "https://x:1"}).find("https is not supported"), std::string::npos);
    EXPECT_NE(with({"--url", "http://x:99999"}).find("port must be 1..65535"), std::string::npos);
    EXPECT_NE(with({"--url", "x:80"}).find("--url must look like http://"), std::string::npos);
    EXPECT_NE(parse_error({"--url", "http://x:1", "--event", "e", "--token", "t"}).find("FILE is required"),
              std::string::npos);
}

TEST(replay_source_test, reads_created_at_as_iso_8601_or_epoch_milliseconds) {
    EXPECT_EQ(parse_iso8601_ms("1970-01-01T00:00:00Z"), 0.0);
    EXPECT_EQ(parse_iso8601_ms("2026-11-28T05:30:00.123Z"), 1795843800123.0);
    EXPECT_EQ(parse_iso8601_ms("2026-11-28T06:30:00.123+01:00"), 1795843800123.0);
    EXPECT_EQ(parse_iso8601_ms("2026-11-28 05:30:00"), 1795843800000.0);
    EXPECT_EQ(parse_iso8601_ms("2000-02-29T00:00:00Z"), 951782400000.0);
    EXPECT_FALSE(parse_iso8601_ms("2026-11-28"));
    EXPECT_FALSE(parse_iso8601_ms("2026-13-01T00:00:00Z"));
    EXPECT_FALSE(parse_iso8601_ms("2026-11-28T05:30:00Zjunk"));
    EXPECT_FALSE(parse_iso8601_ms("yesterday"));

    auto line = parse_replay_line(R"({"text": "q", "created_at": 1795843800123})", 1);
    ASSERT_TRUE(line && *line);
    EXPECT_EQ((*line)->at_ms, 1795843800123.0);
}

TEST(replay_source_test, sends_only_the_known_fields_with_a_stable_derived_id) {
    auto a = parse_replay_line(R"({"text": "Why?", "author": "ana", "label": "hostile", "kind": "x"})", 7);
    ASSERT_TRUE(a && *a) << (a ? "" : a.error().message());
    const json body = json::parse((*a)->body);
    EXPECT_EQ(body["text"], "Why?");
    EXPECT_EQ(body["author"], "ana");
    EXPECT_EQ(body["source"], "replay");
    EXPECT_FALSE(body.contains("label"));
    EXPECT_FALSE(body.contains("kind"));
    const std::string id = body["external_id"];
    EXPECT_EQ(id.rfind("replay-7-", 0), 0u) << id;

    // The same line at the same place: the same id; elsewhere or changed: another.
    auto again = parse_replay_line(R"({"text": "Why?", "author": "ana", "label": "hostile", "kind": "x"})", 7);
    auto moved = parse_replay_line(R"({"text": "Why?", "author": "ana", "label": "hostile", "kind": "x"})", 8);
    auto changed = parse_replay_line(R"({"text": "Why!", "author": "ana", "label": "hostile", "kind": "x"})", 7);
    EXPECT_EQ(json::parse((*again)->body)["external_id"], id);
    EXPECT_NE(json::parse((*moved)->body)["external_id"], id);
    EXPECT_NE(json::parse((*changed)->body)["external_id"], id);

    auto own = parse_replay_line(R"({"text": "t", "source": "twitter", "external_id": 1861234567})", 1);
    ASSERT_TRUE(own && *own);
    EXPECT_EQ(json::parse((*own)->body)["external_id"], "1861234567");
    EXPECT_EQ(json::parse((*own)->body)["source"], "twitter");
}

TEST(replay_source_test, blank_lines_are_nothing_and_bad_lines_say_why) {
    auto blank = parse_replay_line("   \r", 3);
    ASSERT_TRUE(blank);
    EXPECT_FALSE(*blank);
    auto msg = [](std::string_view raw) {
        auto r = parse_replay_line(raw, 4);
        return r ? std::string() : r.error().message();
    };
    EXPECT_EQ(msg("[1, 2]"), "line 4: not a JSON object");
    EXPECT_EQ(msg("{\"text\": 5}"), "line 4: \"text\" is missing or not a string");
    EXPECT_EQ(msg(R"({"text": "t", "author": []})"), "line 4: author must be a string");
    EXPECT_EQ(msg("{\"text\": \"t\"") , "line 4: not valid JSON (or not valid UTF-8)");
}

class replay_dispatcher_test : public ::testing::Test {
protected:
    void SetUp() override {
        path_ = std::filesystem::temp_directory_path() /
                ("replay_dispatcher_test_" + std::to_string(::getpid()) + ".jsonl");
    }
    void TearDown() override { std::filesystem::remove(path_); }

    replay_source source_of(const std::string& content) {
        std::ofstream(path_) << content;
        auto s = replay_source::open(path_.string());
        EXPECT_TRUE(s);
        return std::move(s.value());
    }

    std::filesystem::path path_;
    replay_console console_{true};
};

TEST_F(replay_dispatcher_test, speed_spaces_lines_by_their_created_at_divided_by_the_factor) {
    auto src = source_of(
        R"({"text": "a", "created_at": "2026-11-28T05:00:00Z"})" "\n"
        R"({"text": "b", "created_at": "2026-11-28T05:01:00Z"})" "\n"
        "oops\n"
        R"({"text": "c"})" "\n"
        R"({"text": "d", "created_at": "2026-11-28T05:03:00Z"})" "\n");
    replay_stats stats(src.total_lines());
    replay_dispatcher d(std::move(src), replay_pacing::speed, 0, 60, stats, console_);
    auto a = d.take(), b = d.take(), c = d.take(), e = d.take();
    ASSERT_TRUE(a && b && c && e);
    EXPECT_FALSE(d.take());
    EXPECT_EQ(a->line.number, 1u);
    EXPECT_EQ(c->line.number, 4u);
    EXPECT_EQ(e->line.number, 5u);
    using std::chrono::seconds;
    EXPECT_EQ(b->due - a->due, seconds(1));   // 60 s at 60x
    EXPECT_EQ(c->due, b->due);                // no created_at: right after the line before
    EXPECT_EQ(e->due - a->due, seconds(3));
    EXPECT_EQ(stats.skipped(), 1u);           // "oops"
}

TEST_F(replay_dispatcher_test, rate_spaces_lines_evenly_and_stop_ends_the_tickets) {
    auto src = source_of("{\"text\": \"a\"}\n{\"text\": \"b\"}\n{\"text\": \"c\"}\n{\"text\": \"d\"}\n");
    replay_stats stats(src.total_lines());
    replay_dispatcher d(std::move(src), replay_pacing::rate, 4, 0, stats, console_);
    auto a = d.take(), b = d.take(), c = d.take();
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(b->due - a->due, std::chrono::milliseconds(250));
    EXPECT_EQ(c->due - a->due, std::chrono::milliseconds(500));
    d.stop();
    EXPECT_FALSE(d.take());
    EXPECT_TRUE(d.stopped());
    EXPECT_FALSE(d.aborted());
    d.abort("first");
    d.abort("second");
    EXPECT_EQ(d.aborted(), "first");
}

}  // namespace
}  // namespace tribune::cli
