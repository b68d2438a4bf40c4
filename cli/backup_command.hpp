#pragma once
// `tribune backup --to FILE [--db PATH]`: a consistent online backup of the database while
// the server runs (core/sqlite_backup.hpp). The database is `--db`, else $TRIBUNE_DB, else
// var/tribune.db, as for `tribune serve`.
//
// Thread safety: runs on the calling thread; opens its own connections.

#include <string>
#include <vector>

namespace tribune::server {

// Prints one line about the result (stdout on success, stderr on failure) and returns the
// process exit code: 0 done, 1 failed, 2 bad usage.
int run_backup_command(const std::vector<std::string>& args);

}  // namespace tribune::server
