#pragma once
// `tribune migrate`: creates or migrates the database (serve's --db and --migrations), then
// exits, printing the schema version.
//
// Thread safety: runs on the calling thread.

#include <string>
#include <vector>

namespace tribune::server {

// Returns the process exit code: 0 done, 1 failed.
int run_migrate_command(const std::vector<std::string>& args, const std::string& argv0);

}  // namespace tribune::server
