#include "cli/classify_command.hpp"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/classify/linear_classifier.hpp"
#include "core/classify/question_detector.hpp"
#include "core/text/prepared_text.hpp"
#include "core/text/text_normalizer.hpp"

namespace tribune::server {
namespace {

using json = nlohmann::json;

// The answer line is written by hand: its shape is fixed and every string in it is one
// of ours (attribute names, language codes), so no escaping is needed; nlohmann's DOM
// cost a fifth of the run time for bulk input. Error lines still go through nlohmann.
void append_number(std::string& out, float v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, std::round(static_cast<double>(v) * 1e4) / 1e4,
                                 std::chars_format::general, 6);
    out.append(buf, r.ptr);
}

// `question` is the "is it a question?" probability, or negative when not asked for.
std::string answer(const classification& c, float question) {
    std::string out;
    out.reserve(256 + 64 * c.spans.size());
    out += "{\"scores\": {";
    for (std::size_t i = 0; i < attribute_count; ++i) {
        if (i) out += ", ";
        out += '"';
        out += to_string(static_cast<attribute>(i));
        out += "\": ";
        append_number(out, c.values.values[i]);
    }
    out += "}, \"lang\": ";
    out += json(c.lang).dump();
    out += ", \"spans\": [";
    for (std::size_t i = 0; i < c.spans.size(); ++i) {
        const span& s = c.spans[i];
        if (i) out += ", ";
        out += "{\"start\": " + std::to_string(s.start) + ", \"end\": " + std::to_string(s.end) +
               ", \"attribute\": \"";
        out += to_string(s.attr);
        out += "\", \"weight\": ";
        append_number(out, s.weight);
        out += '}';
    }
    out += ']';
    if (question >= 0.0f) {
        out += ", \"question\": ";
        append_number(out, question);
    }
    out += '}';
    return out;
}

std::string error_line(std::string_view code, std::string_view message) {
    return json{{"error", {{"code", code}, {"message", message}}}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
}

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
}

// One input line to one output line (without the newline).
// `questions` may be null (no "question" field).
std::string handle_line(const classifier& clf, const question_detector* questions, std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!is_valid_utf8(line)) return error_line("invalid_utf8", "the line is not valid UTF-8");
    std::string text;
    const std::size_t first = line.find_first_not_of(" \t");
    if (first != std::string_view::npos && line[first] == '{') {
        json doc = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
        if (doc.is_discarded() || !doc.is_object())
            return error_line("invalid_json", "the line starts with '{' but is not a JSON object");
        const auto it = doc.find("text");
        if (it == doc.end()) return error_line("text_required", "the JSON object has no \"text\" field");
        if (!it->is_string()) return error_line("invalid_field", "\"text\" must be a string");
        text = it->get<std::string>();
    } else {
        text.assign(line);
    }
    if (blank(text)) return error_line("text_required", "the text is blank");
    if (questions == nullptr) {
        auto c = clf.classify(text);
        if (!c) return error_line(c.error().code(), c.error().message());
        return answer(c.value(), -1.0f);
    }
    auto prepared = prepare_text(std::move(text));  // normalised once for both models
    if (!prepared) return error_line(prepared.error().code(), prepared.error().message());
    auto c = clf.classify(prepared.value());
    if (!c) return error_line(c.error().code(), c.error().message());
    return answer(c.value(), questions->question_probability(prepared.value()));
}


// Writes all of `out` to stdout. False on a write error (a closed pipe and the like).
bool write_all(std::string_view out) {
    while (!out.empty()) {
        const ssize_t n = ::write(STDOUT_FILENO, out.data(), out.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        out.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

// Longer input lines are answered with an error line and skipped (memory stays bounded).
constexpr std::size_t max_line_bytes = 16u << 20;

// Reads stdin in large chunks and answers every complete line in them; the answers are
// written before the next read, which may block, so an interactive caller gets each answer
// at once and a bulk pipe pays one write(2) per chunk, not per line (std::getline with an
// `in_avail()` test wrote once per line: libstdc++'s unsynchronised cin reports nothing
// buffered). A last line without a newline is answered at end of input. False on a read or
// write error.
bool serve_lines(const classifier& clf, const question_detector* questions) {
    constexpr std::size_t chunk = 1u << 16;
    std::string in;   // unanswered input: at most one partial line, then a chunk
    std::string out;  // answers not yet written
    bool skipping = false;  // inside an over-long line, up to its newline
    auto answer_line = [&](std::string_view line) {
        out += handle_line(clf, questions, line);
        out += '\n';
    };
    for (;;) {
        const std::size_t old_size = in.size();
        in.resize(old_size + chunk);
        const ssize_t n = ::read(STDIN_FILENO, in.data() + old_size, chunk);
        if (n < 0 && errno == EINTR) {
            in.resize(old_size);
            continue;
        }
        if (n < 0) {
            std::cerr << "tribune classify: cannot read stdin: " << std::strerror(errno) << "\n";
            return false;
        }
        in.resize(old_size + static_cast<std::size_t>(n));
        if (n == 0) break;
        // `in` held no newline before this read: the search starts at what it brought.
        std::size_t start = 0;
        for (std::size_t nl, from = old_size; (nl = in.find('\n', from)) != std::string::npos; start = from = nl + 1) {
            if (skipping) {
                skipping = false;
                continue;
            }
            answer_line(std::string_view(in).substr(start, nl - start));
        }
        in.erase(0, start);
        if (!skipping && in.size() > max_line_bytes) {
            out += error_line("line_too_long", "the line is longer than " + std::to_string(max_line_bytes) + " bytes");
            out += '\n';
            skipping = true;
        }
        if (skipping) in.clear();
        if (!write_all(out)) return false;
        out.clear();
    }
    if (!in.empty() && !skipping) answer_line(in);
    return write_all(out);
}

}  // namespace

std::string classify_usage() {
    return "usage: tribune classify [--model PATH] [--question | --question-model PATH]\n"
           "Reads one JSON object with a \"text\" field, or one plain text, per line on stdin and\n"
           "writes one JSON line per input line on stdout, in order, as soon as it is scored:\n"
           "  {\"scores\": {...}, \"lang\": \"en\", \"spans\": [{\"start\", \"end\", \"attribute\", \"weight\"}]}\n"
           "or {\"error\": {\"code\", \"message\"}} for a line that cannot be scored.\n"
           "  --model PATH   the model file (default models/toxicity.tlm)\n"
           "  --question     also answer \"question\": the probability that the text asks something\n"
           "                 (the \"is it a question?\" detector; >= 0.5 counts as a question), from\n"
           "                 question.tlm beside the model file\n"
           "  --question-model PATH   the same with that question model file\n";
}

int run_classify_command(int argc, char** argv, const std::string& default_model_path) {
    std::string model_path = default_model_path;
    std::string question_path;  // empty: no question detector
    bool question = false;
    for (int i = 0; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << classify_usage();
            return 0;
        }
        if (a == "--model" && i + 1 < argc) {
            model_path = argv[++i];
        } else if (a.rfind("--model=", 0) == 0) {
            model_path = std::string(a.substr(8));
        } else if (a == "--question") {
            question = true;
        } else if (a == "--question-model" && i + 1 < argc) {
            question_path = argv[++i];
        } else if (a.rfind("--question-model=", 0) == 0) {
            question_path = std::string(a.substr(17));
        } else {
            std::cerr << "tribune classify: unknown argument '" << a << "'\n" << classify_usage();
            return 2;
        }
    }
    auto loaded = linear_classifier::load(model_path);
    if (!loaded) {
        std::cerr << "tribune classify: " << loaded.error().message() << "\n";
        return 1;
    }
    const classifier& clf = *loaded.value();
    if (question && question_path.empty())
        question_path = std::filesystem::path(model_path).replace_filename("question.tlm").string();
    std::unique_ptr<question_detector> questions;
    if (!question_path.empty()) {
        auto q = question_detector::load(question_path);
        if (!q) {
            std::cerr << "tribune classify: " << q.error().message() << "\n";
            return 1;
        }
        questions = std::move(q.value());
    }

    return serve_lines(clf, questions.get()) ? 0 : 1;
    return 0;
}

}  // namespace tribune::server
