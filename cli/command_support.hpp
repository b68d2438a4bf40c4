#pragma once
// command_support: what the subcommands of `tribune` share — the one-line failure, serve's
// options read for another command (its --db and --migrations, after TRIBUNE_DB and
// TRIBUNE_MIGRATIONS), and opening the database they name.
//
// Thread safety: runs on the calling thread.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/serve_options.hpp"
#include "core/classify/classifier.hpp"
#include "core/domain/status.hpp"
#include "core/service/question_signal.hpp"
#include "core/store/store_backend.hpp"

namespace tribune::server {

// Prints "tribune: <line>" to stderr; returns the exit code 1.
int fail(const std::string& line);

// serve's options from the environment and `args`, with the paths left empty resolved.
// Errors: invalid_argument naming the bad flag.
result<serve_options> resolved_options(const std::vector<std::string>& args,
                                       const std::string& argv0);

// The option at args[i] as {name, value}: "--name=value", or "--name value" (then i moves to
// the value). Errors: invalid_argument (code "usage") when the value is missing.
result<std::pair<std::string, std::string>> option_at(const std::vector<std::string>& args,
                                                      std::size_t& i);

// Opens (creating and migrating) the database the options name, with one connection.
// Errors: a one-line explanation.
result<std::unique_ptr<store_backend>> open_database(const serve_options& o);

// The classifier the options name (--classifier placeholder, else the model file).
// Errors: a one-line explanation naming the model file.
result<std::unique_ptr<classifier>> make_classifier(const serve_options& o);
// The "is it a question?" model, question.tlm beside the classifier model: null (and
// `*name` empty) when there is no such file, an error when it is there but cannot be loaded.
result<std::unique_ptr<question_signal>> make_question_signal(const serve_options& o,
                                                              std::string* name);

}  // namespace tribune::server
