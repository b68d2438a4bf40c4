#pragma once
// `tribune classify`: the stable command-line interface to the classifier, for
// evaluating the model outside the server. Reads stdin line by line (a JSON object with
// a "text" string, or a plain text line) and writes exactly one JSON line per input
// line, in order. It streams: an answer is flushed before the command waits for more
// input (lines already buffered are answered in one write):
//
//   {"scores": {"toxicity": 0.97, ...}, "lang": "en",
//    "spans": [{"start": 10, "end": 15, "attribute": "insult", "weight": 0.8}]}
//
// With --question (or --question-model PATH) each answer also carries "question": the
// "is it a question?" probability (core/classify/question_detector.hpp; >= 0.5 counts).
//
// A line that cannot be scored yields {"error": {"code": "...", "message": "..."}} and
// the run goes on. Codes: invalid_json, text_required, invalid_field, invalid_utf8.
//
// Thread safety: runs on the calling thread; uses std::cin and std::cout.

#include <string>

namespace tribune::server {

// argv holds the arguments after the subcommand word ("--model PATH", "--question",
// "--question-model PATH", "--help").
// Returns the process exit code: 0 at end of input, 1 when a model cannot be loaded,
// 2 on a usage error.
int run_classify_command(int argc, char** argv,
                         const std::string& default_model_path = "models/toxicity.tlm");

std::string classify_usage();

}  // namespace tribune::server
