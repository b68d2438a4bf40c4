// `tribune classify`: spawns the built binary and talks to it over pipes. Checks that it
// answers a line before end of input (streaming), keeps order, and turns a bad line into
// an error line without stopping.

#include <fcntl.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using json = nlohmann::json;

class classify_process {
public:
    explicit classify_process(std::vector<std::string> args) {
        int in[2], out[2];
        if (pipe(in) != 0 || pipe(out) != 0) return;
        pid_ = fork();
        if (pid_ == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            close(in[1]);
            close(out[0]);
            std::vector<char*> argv;
            std::string bin = TRIBUNE_BINARY;
            argv.push_back(bin.data());
            for (auto& a : args) argv.push_back(a.data());
            argv.push_back(nullptr);
            execv(bin.c_str(), argv.data());
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        to_child_ = in[1];
        from_child_ = out[0];
        signal(SIGPIPE, SIG_IGN);
    }
    ~classify_process() {
        close_input();
        if (from_child_ >= 0) close(from_child_);
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
    }
    bool started() const { return pid_ > 0; }
    void send(const std::string& bytes) {
        ASSERT_EQ(write(to_child_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    }
    void close_input() {
        if (to_child_ >= 0) close(to_child_);
        to_child_ = -1;
    }
    // One line of output, waiting at most `timeout`; empty on timeout or EOF.
    std::string read_line(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            const auto nl = buffer_.find('\n');
            if (nl != std::string::npos) {
                std::string line = buffer_.substr(0, nl);
                buffer_.erase(0, nl + 1);
                return line;
            }
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return {};
            pollfd p{from_child_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left.count())) <= 0) return {};
            char buf[4096];
            const ssize_t n = read(from_child_, buf, sizeof buf);
            if (n <= 0) return {};
            buffer_.append(buf, static_cast<std::size_t>(n));
        }
    }
    int wait_exit() {
        int st = 0;
        waitpid(pid_, &st, 0);
        pid_ = -1;
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    }

private:
    pid_t pid_ = -1;
    int to_child_ = -1;
    int from_child_ = -1;
    std::string buffer_;
};

const std::string model = TRIBUNE_MODEL_PATH;

TEST(ClassifyCli, AnswersEachLineBeforeEndOfInput) {
    classify_process p({"classify", "--model", model});
    ASSERT_TRUE(p.started());
    p.send("{\"text\": \"you are a stupid idiot\"}\n");
    const std::string first = p.read_line();  // stdin still open: the answer must come anyway
    ASSERT_FALSE(first.empty()) << "no answer before end of input";
    const json j = json::parse(first);
    ASSERT_TRUE(j.contains("scores"));
    for (const char* a : {"toxicity", "severe_toxicity", "insult", "profanity", "threat", "identity_attack"}) {
        ASSERT_TRUE(j["scores"].contains(a)) << a;
        EXPECT_GE(j["scores"][a].get<double>(), 0.0);
        EXPECT_LE(j["scores"][a].get<double>(), 1.0);
    }
    EXPECT_GT(j["scores"]["insult"].get<double>(), 0.5);
    EXPECT_EQ(j["lang"], "en");
    ASSERT_TRUE(j["spans"].is_array());
    ASSERT_FALSE(j["spans"].empty());
    EXPECT_TRUE(j["spans"][0].contains("start") && j["spans"][0].contains("end") &&
                j["spans"][0].contains("attribute") && j["spans"][0].contains("weight"));

    p.send("quelle heure est-il ?\n");
    const json second = json::parse(p.read_line());
    EXPECT_EQ(second["lang"], "fr");
    p.close_input();
    EXPECT_TRUE(p.read_line(std::chrono::milliseconds(5000)).empty());
    EXPECT_EQ(p.wait_exit(), 0);
}

TEST(ClassifyCli, ALineSentInPiecesIsAnsweredOnceAndALastLineNeedsNoNewline) {
    classify_process p({"classify", "--model", model});
    ASSERT_TRUE(p.started());
    p.send("you are a stu");
    EXPECT_TRUE(p.read_line(std::chrono::milliseconds(300)).empty()) << "answered half a line";
    p.send("pid idiot\nquelle heure est-il ?");  // the second line ends with the input
    const json first = json::parse(p.read_line());
    EXPECT_GT(first["scores"]["insult"].get<double>(), 0.5);
    p.close_input();
    const json second = json::parse(p.read_line());
    EXPECT_EQ(second["lang"], "fr");
    EXPECT_TRUE(p.read_line(std::chrono::milliseconds(5000)).empty());
    EXPECT_EQ(p.wait_exit(), 0);
}

TEST(ClassifyCli, AnOverlongLineGetsOneErrorLineAndTheNextLineIsAnswered) {
    classify_process p({"classify", "--model", model});
    ASSERT_TRUE(p.started());
    const std::string piece(1u << 20, 'a');
    for (int i = 0; i < 17; ++i) p.send(piece);  // 17 MiB, over the 16 MiB limit
    p.send(piece + "\nyou are a stupid idiot\n");
    const json error = json::parse(p.read_line(std::chrono::milliseconds(20000)));
    EXPECT_EQ(error["error"]["code"], "line_too_long");
    const json next = json::parse(p.read_line(std::chrono::milliseconds(20000)));
    EXPECT_GT(next["scores"]["insult"].get<double>(), 0.5);
    p.close_input();
    EXPECT_TRUE(p.read_line(std::chrono::milliseconds(5000)).empty());
    EXPECT_EQ(p.wait_exit(), 0);
}

TEST(ClassifyCli, BadLinesYieldErrorLinesAndTheRunGoesOnInOrder) {
    classify_process p({"classify", "--model", model});
    ASSERT_TRUE(p.started());
    p.send("{\"text\": \"first question, thank you\"}\n"
           "{not json\n"
           "{\"text\": 5}\n"
           "{\"author\": \"x\"}\n"
           "caf\xC3\n"
           "\n"
           "plain text line: shut up you moron\n"
           "{\"text\": \"I will kill you\"}\n");
    p.close_input();
    std::vector<json> out;
    for (std::string line = p.read_line(); !line.empty(); line = p.read_line())
        out.push_back(json::parse(line));
    ASSERT_EQ(out.size(), 8u);
    EXPECT_TRUE(out[0].contains("scores"));
    EXPECT_EQ(out[1]["error"]["code"], "invalid_json");
    EXPECT_EQ(out[2]["error"]["code"], "invalid_field");
    EXPECT_EQ(out[3]["error"]["code"], "text_required");
    EXPECT_EQ(out[4]["error"]["code"], "invalid_utf8");
    EXPECT_EQ(out[5]["error"]["code"], "text_required");
    EXPECT_TRUE(out[6].contains("scores"));
    EXPECT_GT(out[6]["scores"]["insult"].get<double>(), out[0]["scores"]["insult"].get<double>());
    EXPECT_GT(out[7]["scores"]["threat"].get<double>(), 0.5);
    for (std::size_t i = 1; i <= 5; ++i) EXPECT_TRUE(out[i]["error"].contains("message"));
    EXPECT_EQ(p.wait_exit(), 0);
}

TEST(ClassifyCli, MissingModelFailsWithOneLine) {
    classify_process p({"classify", "--model", "/nonexistent/model.tlm"});
    ASSERT_TRUE(p.started());
    p.close_input();
    EXPECT_TRUE(p.read_line(std::chrono::milliseconds(5000)).empty());
    EXPECT_EQ(p.wait_exit(), 1);
}

TEST(ClassifyCli, WithQuestionEachAnswerCarriesTheQuestionProbability) {
    classify_process p({"classify", "--model", model, "--question"});
    ASSERT_TRUE(p.started());
    p.send("What time does the keynote start tomorrow?\n"
           "{\"text\": \"Great talk, thank you so much!\"}\n"
           "caf\xC3\n");
    p.close_input();
    std::vector<json> out;
    for (std::string line = p.read_line(); !line.empty(); line = p.read_line())
        out.push_back(json::parse(line));
    ASSERT_EQ(out.size(), 3u);
    ASSERT_TRUE(out[0].contains("question"));
    ASSERT_TRUE(out[1].contains("question"));
    EXPECT_GE(out[0]["question"].get<double>(), 0.5);
    EXPECT_LT(out[1]["question"].get<double>(), 0.5);
    EXPECT_TRUE(out[0].contains("scores"));
    EXPECT_TRUE(out[0].contains("spans"));
    EXPECT_EQ(out[2]["error"]["code"], "invalid_utf8");
    EXPECT_EQ(p.wait_exit(), 0);
}

TEST(ClassifyCli, WithoutQuestionTheAnswerHasNoQuestionField) {
    classify_process p({"classify", "--model", model});
    ASSERT_TRUE(p.started());
    p.send("What time does the keynote start tomorrow?\n");
    p.close_input();
    const json j = json::parse(p.read_line());
    EXPECT_TRUE(j.contains("scores"));
    EXPECT_FALSE(j.contains("question"));
    EXPECT_EQ(p.wait_exit(), 0);
}

TEST(ClassifyCli, MissingQuestionModelFailsWithExitOne) {
    classify_process p({"classify", "--model", model, "--question-model", "/nonexistent/question.tlm"});
    ASSERT_TRUE(p.started());
    p.close_input();
    EXPECT_TRUE(p.read_line(std::chrono::milliseconds(5000)).empty());
    EXPECT_EQ(p.wait_exit(), 1);
}

TEST(ClassifyCli, HelpExitsZero) {
    classify_process p({"classify", "--help"});
    ASSERT_TRUE(p.started());
    const std::string line = p.read_line();
    EXPECT_NE(line.find("classify"), std::string::npos);
    EXPECT_EQ(p.wait_exit(), 0);
}

}  // namespace
