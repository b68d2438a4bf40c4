#pragma once
// `tribune serve`: loads the classifier, starts the server (server/app), prints where it
// listens and how to sign in, and runs until SIGINT/SIGTERM (docs/api.md; `tribune serve
// --help` lists the options).
//
// Thread safety: runs on the calling thread, which blocks until the server stops.

#include <string>
#include <vector>

namespace tribune::server {

// Returns the process exit code: 0 after a graceful stop, 1 when the server cannot start.
int run_serve_command(const std::vector<std::string>& args, const std::string& argv0);

}  // namespace tribune::server
