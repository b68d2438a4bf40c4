// `tribune replay`: the real binary posts a file of JSON lines to the in-process server
// (cli/replay_command.hpp). Every line arrives exactly once; a second run creates nothing;
// malformed lines and refused lines are reported with their numbers and the run goes on; a
// full ingest queue (503 + Retry-After) is waited out; an interrupted run finishes on the next.

#include <signal.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "tests/server/gated_classifier.hpp"
#include "tests/server/test_server.hpp"
#include "tests/server/tribune_process.hpp"

namespace tribune::test {
namespace {

using namespace std::chrono_literals;

// A file of `n` question lines: every third without external_id and source, every fifth with
// an author, every seventh with created_at; texts are unique and clean.
std::string question_lines(int n, const std::string& prefix = "Replayed question") {
    std::ostringstream out;
    for (int i = 0; i < n; ++i) {
        json line = {{"text", prefix + " number " + std::to_string(i) + " about the fees?"}};
        if (i % 3 != 0) {
            line["source"] = "recording";
            line["external_id"] = "rec-" + std::to_string(i);
        }
        if (i % 5 == 0) line["author"] = "author" + std::to_string(i);
        if (i % 7 == 0) line["created_at"] = "2026-11-28T05:30:00.123Z";
        line["label"] = "genuine";  // members the server does not know are not sent
        out << line.dump() << "\n";
    }
    return out.str();
}

// The summary printed by --json: the last output line that is a JSON object.
json summary_of(const std::string& output) {
    std::istringstream in(output);
    std::string line;
    json last;
    while (std::getline(in, line))
        if (!line.empty() && line.front() == '{') {
            json j = json::parse(line, nullptr, false);
            if (!j.is_discarded()) last = j;
        }
    return last;
}

class replay_test : public server_test {
protected:
    std::string write_file(const std::string& name, const std::string& content) {
        const auto path = (temp_dir() / name).string();
        std::ofstream(path, std::ios::binary) << content;
        return path;
    }

    std::vector<std::string> replay_args(const std::string& file, std::vector<std::string> extra = {}) {
        std::vector<std::string> args = {"replay", file,
                                         "--url", "http://127.0.0.1:" + std::to_string(port()),
                                         "--event", "demo",
                                         "--token", token_for("api_client", "bridge"),
                                         "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    }

    // Each text of the event and how often it is stored.
    std::map<std::string, int> stored_texts() {
        std::map<std::string, int> texts;
        for (const auto& q : list_all("demo")) ++texts[q.value("text", "")];
        return texts;
    }
};

TEST_F(replay_test, every_line_arrives_once_with_its_fields) {
    const std::string file = write_file("in.jsonl", question_lines(120));
    std::string out;
    ASSERT_EQ(run_tribune(replay_args(file, {"--connections", "8"}), &out), 0) << out;

    const json s = summary_of(out);
    EXPECT_EQ(s.value("created", -1), 120) << out;
    EXPECT_EQ(s.value("errors", -1), 0) << out;
    EXPECT_EQ(s.value("approved", -1), 120) << out;

    auto texts = stored_texts();
    ASSERT_EQ(texts.size(), 120u);
    for (const auto& [text, n] : texts) EXPECT_EQ(n, 1) << text;

    for (const auto& q : list_all("demo")) {
        const std::string text = q.value("text", "");
        const int i = std::stoi(text.substr(text.find("number ") + 7));
        if (i % 3 != 0) {
            EXPECT_EQ(q.value("source", ""), "recording") << text;
            EXPECT_EQ(q.value("external_id", ""), "rec-" + std::to_string(i)) << text;
        } else {
            // line i + 1 of the file: a derived id and the default source
            EXPECT_EQ(q.value("source", ""), "replay") << text;
            EXPECT_EQ(q.value("external_id", "").rfind("replay-" + std::to_string(i + 1) + "-", 0), 0u)
                << q.dump();
        }
        if (i % 5 == 0) EXPECT_EQ(q.value("author", ""), "author" + std::to_string(i)) << text;
        else EXPECT_TRUE(q["author"].is_null()) << q.dump();
    }
}

TEST_F(replay_test, running_the_same_file_again_creates_nothing_new) {
    const std::string file = write_file("in.jsonl", question_lines(60));
    std::string first, second;
    ASSERT_EQ(run_tribune(replay_args(file), &first), 0) << first;
    ASSERT_EQ(run_tribune(replay_args(file, {"--connections", "3"}), &second), 0) << second;

    const json s = summary_of(second);
    EXPECT_EQ(s.value("created", -1), 0) << second;
    EXPECT_EQ(s.value("already_stored", -1), 60) << second;
    auto texts = stored_texts();
    EXPECT_EQ(texts.size(), 60u);
    for (const auto& [text, n] : texts) EXPECT_EQ(n, 1) << text;
}

TEST_F(replay_test, malformed_and_refused_lines_are_reported_with_their_numbers_and_skipped) {
    std::string content;
    content += R"({"text": "First good question?"})" "\n";
    content += R"({"text": "Second good question?", "author": "ana"})" "\n";
    content += "this is not json\n";                                          // line 3
    content += "\n";                                                          // blank: ignored
    content += R"({"author": "no text here"})" "\n";                          // line 5
    content += R"({"text": "Bad time", "created_at": "yesterday"})" "\n";     // line 6
    content += json{{"text", std::string(2100, 'a')}}.dump() + "\n";          // line 7: 400
    content += R"({"text": "Last good question?"})" "\n";                     // line 8
    const std::string file = write_file("mixed.jsonl", content);
    std::string out;
    EXPECT_EQ(run_tribune(replay_args(file), &out), 3) << out;

    EXPECT_NE(out.find("line 3: not valid JSON"), std::string::npos) << out;
    EXPECT_NE(out.find("line 5: \"text\" is missing"), std::string::npos) << out;
    EXPECT_NE(out.find("line 6: created_at must be"), std::string::npos) << out;
    EXPECT_NE(out.find("line 7: 400 text_too_long: text has 2100 characters"), std::string::npos) << out;
    const json s = summary_of(out);
    EXPECT_EQ(s.value("skipped", -1), 3) << out;
    EXPECT_EQ(s.value("errors", -1), 1) << out;
    EXPECT_EQ(s.value("created", -1), 3) << out;
    ASSERT_TRUE(s["error_items"].is_array()) << out;
    std::vector<int> lines;
    for (const auto& e : s["error_items"]) lines.push_back(e.value("line", 0));
    std::sort(lines.begin(), lines.end());
    EXPECT_EQ(lines, (std::vector<int>{3, 5, 6, 7})) << out;

    auto texts = stored_texts();
    EXPECT_EQ(texts, (std::map<std::string, int>{
                         {"First good question?", 1}, {"Second good question?", 1}, {"Last good question?", 1}}));
}

TEST_F(replay_test, bad_usage_exits_2_and_an_unreachable_server_exits_1) {
    const std::string file = write_file("in.jsonl", question_lines(3));
    std::string out;
    EXPECT_EQ(run_tribune({"replay", file, "--url", "http://127.0.0.1:" + std::to_string(port())}, &out), 2);
    EXPECT_NE(out.find("--event is required"), std::string::npos) << out;
    out.clear();
    EXPECT_EQ(run_tribune(replay_args(file, {"--rate", "5", "--speed", "60x"}), &out), 2);
    EXPECT_NE(out.find("at most one of --rate, --speed and --max"), std::string::npos) << out;
    out.clear();
    EXPECT_EQ(run_tribune(replay_args((temp_dir() / "missing.jsonl").string()), &out), 2);
    EXPECT_NE(out.find("cannot read"), std::string::npos) << out;

    // Nothing listens on port 1 of the loopback.
    out.clear();
    EXPECT_EQ(run_tribune({"replay", file, "--url", "http://127.0.0.1:1", "--event", "demo", "--token",
                           "trb_x"},
                          &out),
              1);
    EXPECT_NE(out.find("cannot connect to http://127.0.0.1:1"), std::string::npos) << out;
    out.clear();
    EXPECT_EQ(run_tribune(replay_args(file, {"--event", "no-such-event"}), &out), 1);
    EXPECT_NE(out.find("no event 'no-such-event'"), std::string::npos) << out;
    out.clear();
    auto args = replay_args(file);
    args[7] = "trb_not_a_token";
    EXPECT_EQ(run_tribune(args, &out), 1);
    EXPECT_NE(out.find("refused the token (401"), std::string::npos) << out;
    EXPECT_TRUE(list_all("demo").empty());
}

TEST_F(replay_test, an_interrupted_run_finishes_on_the_next_without_duplicates) {
    const std::string file = write_file("in.jsonl", question_lines(200));
    std::string error;
    auto run = tribune_process::start(replay_args(file, {"--rate", "40", "--connections", "4"}), &error);
    ASSERT_TRUE(run) << error;
    // Interrupt once some, not all, lines are stored (at 40 lines/s the run needs 5 s).
    for (int i = 0; i < 1000 && list_all("demo").size() < 10; ++i) std::this_thread::sleep_for(10ms);
    run->signal(SIGINT);
    auto code = run->wait(30s);
    ASSERT_TRUE(code.has_value()) << "replay did not stop after SIGINT";
    EXPECT_EQ(*code, 130) << run->output();
    const json first = summary_of(run->output());
    EXPECT_TRUE(first.value("interrupted", false)) << run->output();
    const std::size_t stored_first = list_all("demo").size();
    EXPECT_GE(stored_first, 10u);
    EXPECT_LT(stored_first, 200u) << "the interrupt came after the end; nothing was tested";
    EXPECT_EQ(first.value("created", std::size_t{0}), stored_first) << run->output();

    std::string out;
    ASSERT_EQ(run_tribune(replay_args(file), &out), 0) << out;
    const json second = summary_of(out);
    EXPECT_EQ(second.value("already_stored", std::size_t{0}), stored_first) << out;
    EXPECT_EQ(second.value("created", std::size_t{0}), 200 - stored_first) << out;
    auto texts = stored_texts();
    EXPECT_EQ(texts.size(), 200u);
    for (const auto& [text, n] : texts) EXPECT_EQ(n, 1) << text;
}

// The ingest queue holds 2 questions and the classifier is held shut: most of the replay's
// posts are answered 503 with Retry-After until the gate opens. Every line is stored once.
class replay_queue_full_test : public replay_test {
protected:
    bool start_in_setup() const override { return false; }
    void TearDown() override {
        gate_->open();
        replay_test::TearDown();
    }
    std::shared_ptr<classifier_gate> gate_ = std::make_shared<classifier_gate>();
};

TEST_F(replay_queue_full_test, answers_503_are_retried_after_retry_after_and_nothing_is_lost) {
    auto cfg = default_config();
    cfg.ingest_queue_capacity = 2;
    cfg.max_batch = 1;
    cfg.scoring_workers = 1;
    cfg.threads = 4;
    ASSERT_NO_FATAL_FAILURE(start(cfg, std::make_unique<gated_classifier>(gate_)));

    const std::string file = write_file("in.jsonl", question_lines(12));
    std::string error;
    auto run = tribune_process::start(replay_args(file, {"--connections", "8"}), &error);
    ASSERT_TRUE(run) << error;
    ASSERT_TRUE(gate_->wait_entered(1, 30s)) << "no question reached the classifier";
    // Wait until the server has refused at least one post, then let the pipeline run.
    const std::string refused =
        "tribune_http_requests_total{route=\"/api/v1/events/{slug}/questions\",status=\"503\"}";
    bool saw_503 = false;
    for (int i = 0; i < 300 && !saw_503; ++i) {
        saw_503 = get("/metrics").raw.find(refused) != std::string::npos;
        if (!saw_503) std::this_thread::sleep_for(100ms);
    }
    EXPECT_TRUE(saw_503) << "the queue never refused a post";
    gate_->open();

    auto code = run->wait(60s);
    ASSERT_TRUE(code.has_value()) << "replay did not finish";
    EXPECT_EQ(*code, 0) << run->output();
    const json s = summary_of(run->output());
    EXPECT_GE(s.value("retries", 0), 1) << run->output();
    EXPECT_EQ(s.value("errors", -1), 0) << run->output();
    EXPECT_EQ(s.value("created", -1), 12) << run->output();
    auto texts = stored_texts();
    EXPECT_EQ(texts.size(), 12u);
    for (const auto& [text, n] : texts) EXPECT_EQ(n, 1) << text;
}

}  // namespace
}  // namespace tribune::test
