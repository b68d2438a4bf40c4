#pragma once
// `tribune replay FILE --url URL --event SLUG --token T [--rate N | --speed 60x | --max]
// [--connections N]`: posts a recorded stream of questions (JSON lines) to a running server
// with many requests in flight, shows progress on stderr and prints a summary (as JSON on
// stdout with --json). The options and the exit codes are in replay_usage()
// (cli/replay_options.cpp); the line format and the idempotent ids in cli/replay_source.hpp;
// how each answer is handled in cli/replay_connection.hpp.
//
// Before the first POST it reads GET /api/v1/events/SLUG with the token, so an unreachable
// server, a refused token or an unknown event is one clear line and exit 1, not a run of
// errors.
//
// Thread safety: runs on the calling thread, which it blocks until the run ends; the
// connections run on a small io_context pool (one strand each). Handles SIGINT and SIGTERM
// while it runs: the first stops sending and waits for the answers in flight, the second
// leaves at once.

#include <string>
#include <vector>

namespace tribune::cli {

// args: everything after the word `replay`. Returns the process exit code.
int run_replay_command(const std::vector<std::string>& args);

}  // namespace tribune::cli
