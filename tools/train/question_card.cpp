#include "tools/train/question_card.hpp"

#include <functional>
#include <sstream>

#include "tools/train/metrics.hpp"
#include "tools/train/train_log.hpp"

namespace tribune::train {
namespace {

bool has_mark(const question_example& e) { return e.text.find('?') != std::string::npos; }

// The text's last non-space character is '?' (after closing quotes and brackets).
bool ends_with_mark(const question_example& e) {
    const std::size_t p = e.text.find_last_not_of(" \"')]»”");
    return p != std::string::npos && e.text[p] == '?';
}

struct slice {
    const char* name;
    std::function<bool(const question_example&)> keep;
};

struct counts {
    std::size_t tp = 0, fp = 0, fn = 0, tn = 0;
    void add(bool said, bool truth) { (said ? (truth ? tp : fp) : (truth ? fn : tn)) += 1; }
    std::size_t n() const { return tp + fp + fn + tn; }
    double precision() const { return tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : -1; }
    double recall() const { return tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : -1; }
    double f1() const {
        const double p = precision(), r = recall();
        return p > 0 && r > 0 ? 2 * p * r / (p + r) : (tp + fp + fn ? 0 : -1);
    }
    double right() const { return n() ? static_cast<double>(tp + tn) / static_cast<double>(n()) : -1; }
};

void write_overall(std::ostream& out, const question_card_inputs& in, std::string& summary) {
    const float t = in.detector.threshold();
    out << "\n### Precision and recall (report half of its validation split)\n\n"
        << "A text counts as a question when its probability is at least " << fmt(t, 2)
        << ". The two rules are what the detector must beat: \"ends with '?'\" and \"contains '?'\".\n\n"
        << "| texts | lang | n | questions | ROC-AUC | P | R | F1 | rule \"ends with '?'\" P / R / F1 | rule \"contains '?'\" P / R / F1 |\n"
        << "|---|---|---|---|---|---|---|---|---|---|\n";
    for (const std::string lang : {"", "en", "fr"}) {
        counts model, ends, has;
        std::vector<scored> v;
        for (const question_row& r : in.rows) {
            if (!lang.empty() && r.ex->lang != lang) continue;
            model.add(r.probability >= t, r.ex->label);
            ends.add(ends_with_mark(*r.ex), r.ex->label);
            has.add(has_mark(*r.ex), r.ex->label);
            v.push_back({r.probability, r.ex->label ? 1 : 0});
        }
        out << "| all | " << (lang.empty() ? "all" : lang) << " | " << model.n() << " | " << model.tp + model.fn
            << " | " << fmt(roc_auc(v)) << " | " << fmt(model.precision()) << " | " << fmt(model.recall()) << " | "
            << fmt(model.f1()) << " | " << fmt(ends.precision()) << " / " << fmt(ends.recall()) << " / "
            << fmt(ends.f1()) << " | " << fmt(has.precision()) << " / " << fmt(has.recall()) << " / " << fmt(has.f1())
            << " |\n";
        if (lang.empty())
            summary += "question P " + fmt(model.precision()) + " R " + fmt(model.recall()) + " F1 " + fmt(model.f1()) +
                       " (ends-with-? F1 " + fmt(ends.f1()) + "); ";
    }
}

void write_slices(std::ostream& out, const question_card_inputs& in, std::string& summary) {
    const std::vector<slice> slices = {
        {"TREC questions, with their '?'", [](const question_example& e) { return e.kind == "trec"; }},
        {"TREC questions with the '?' removed", [](const question_example& e) { return e.kind == "trec_noq"; }},
        {"other sets' questions with a '?'",
         [](const question_example& e) { return e.kind == "social" && e.label && has_mark(e); }},
        {"other sets' questions without '?' (as written, or '?' removed)",
         [](const question_example& e) { return e.label && !has_mark(e) && e.kind.rfind("social", 0) == 0; }},
        {"statements without '?'", [](const question_example& e) { return !e.label && !has_mark(e); }},
        {"statements with a '?' (not in their last sentence)", [](const question_example& e) { return !e.label && has_mark(e); }},
        {"French questions", [](const question_example& e) { return e.lang == "fr" && e.label; }},
        {"French non-questions", [](const question_example& e) { return e.lang == "fr" && !e.label; }},
    };
    const float t = in.detector.threshold();
    out << "\n### By kind of text (report half)\n\n"
        << "Share of texts the detector gets right (for questions: recall; for the others: 1 - false-positive rate), next to the two rules.\n\n"
        << "| texts | n | detector | rule \"ends with '?'\" | rule \"contains '?'\" |\n|---|---|---|---|---|\n";
    for (const slice& s : slices) {
        counts model, ends, has;
        for (const question_row& r : in.rows) {
            if (!s.keep(*r.ex)) continue;
            model.add(r.probability >= t, r.ex->label);
            ends.add(ends_with_mark(*r.ex), r.ex->label);
            has.add(has_mark(*r.ex), r.ex->label);
        }
        out << "| " << s.name << " | " << model.n() << " | " << fmt(model.right()) << " | " << fmt(ends.right())
            << " | " << fmt(has.right()) << " |\n";
        if (std::string(s.name).find("without '?' (as") != std::string::npos)
            summary += "questions without ? " + fmt(model.right()) + "; ";
        if (std::string(s.name).rfind("statements with a", 0) == 0) summary += "statements with ? " + fmt(model.right()) + "; ";
    }
}

void write_cases(std::ostream& out, const question_card_inputs& in, std::string& summary) {
    if (in.cases.empty()) return;
    const auto results = score_question_cases(in.detector, in.cases);
    out << "\n### Hand-written cases (`" << "tests/fixtures/classifier/question_cases.tsv"
        << "`, never trained on; `tests/classifier/question_detector_test.cpp` holds the detector to a minimum per slice)\n\n"
        << "| slice | lang | cases | right |\n|---|---|---|---|\n";
    std::size_t n = 0, right = 0;
    for (const auto& [key, r] : results) {
        out << "| " << key.first << " | " << key.second << " | " << r.n << " | " << fmt(r.accuracy()) << " |\n";
        n += r.n;
        right += r.right;
        progress("question cases " + key.first + " " + key.second + ": " + fmt(r.accuracy()) + " of " + std::to_string(r.n));
    }
    summary += "question cases " + std::to_string(right) + "/" + std::to_string(n) + "; ";
}

}  // namespace

std::string write_question_card(const question_card_inputs& in, std::string& summary) {
    std::ostringstream out;
    out << "\n## What it is (`models/question.tlm`)\n\n"
        << "A separate small model that says whether a text asks something (a question, or a request to the speaker) "
        << "rather than making a statement, a slogan or a rant; hostility plays no part. It lets an executive hide "
        << "approved items that are not questions without calling them hostile. Runtime: "
        << "`core/classify/question_detector.hpp` (`question_probability`); `tribune classify` reports it as `question`.\n\n"
        << "- **Model**: logistic regression over hashed features (`core/classify/question_features.hpp`: words and word "
        << "pairs, the first word and first two words of each sentence and of the last one, the last one and two tokens, "
        << "the number of '?', a '?' before the last sentence, the length), 2^" << in.buckets_log2 << " = "
        << in.detector.buckets() << " buckets of int8 weights; AdaGrad, learning rate " << in.lr << ", " << in.epochs
        << " epochs, seeded; Platt scaling (a " << fmt(in.detector.calibration_a(), 3) << ", b "
        << fmt(in.detector.calibration_b(), 3)
        << ") fitted on the calibration half with the classes weighted equally, so 0.5 weighs a missed question and a "
        << "kept statement the same.\n"
        << "- **Data** (`tools/train/prepare_questions.py`, from `../shared/data`): the TREC questions (all questions), and "
        << "every other set's tweets, comments and forum sentences, English and French, labelled by their last "
        << "substantive sentence: a question when it ends with '?' or opens the way a question does (\"do you\", "
        << "\"what time does\", \"est-ce que\", \"pensez-vous\") and does not end with '!'; a statement otherwise, even "
        << "when an earlier sentence has a '?' (\"Why? Because they are lazy.\"). A fixed 40% of the TREC questions and of "
        << "the other sets' questions that open like one also appear without their final '?'. Template questions, "
        << "requests and statements of a live Q&A (English and French) are train only. "
        << in.train_size << " training texts; the validation split (15%, seeded) is cut like the toxicity model's into "
        << in.calibration_size << " calibration texts and " << in.rows.size() << " report texts.\n"
        << "- **Caveat**: outside TREC the labels come from that rule, not from people; the report half measures agreement "
        << "with it, and the hand-written cases below are the independent check. Rhetorical questions (\"Are you people "
        << "completely incompetent?\") count as questions.\n";
    write_overall(out, in, summary);
    write_slices(out, in, summary);
    write_cases(out, in, summary);
    return out.str();
}

}  // namespace tribune::train
