#pragma once
// `tribune token create|list|revoke`: access tokens from the command line, on the same
// database file as a running server (docs/api.md "Access"); and the first start's admin
// token, which `tribune serve` announces.
//
// Thread safety: runs on the calling thread; opens its own connection.

#include <string>
#include <vector>

#include "core/store/store.hpp"

namespace tribune::server {

// `args` are the arguments after "token". Returns the process exit code: 0 done, 1 failed,
// 2 no subcommand.
int run_token_command(const std::vector<std::string>& args, const std::string& argv0);

// Prints how to sign in at `base`; on the very first start (no active admin token), creates
// an admin token and prints it once.
void announce_access(store& db, const std::string& base);

}  // namespace tribune::server
