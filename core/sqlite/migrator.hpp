#pragma once
// migrator: applies the numbered forward-only migrations in a directory.
//
// Files are named NNNN_description.sql, numbered from 1 without gaps. PRAGMA user_version
// holds the number of the last applied file. Each file is applied in its own transaction
// together with the user_version update; a failing file rolls back and leaves the database
// at the previous version. A database whose user_version is higher than the highest file
// known to this build is refused.
//
// Thread safety: none; run once at start-up before the database is shared.

#include <string>
#include <vector>

#include "core/sqlite/sqlite_connection.hpp"
#include "core/domain/status.hpp"

namespace tribune {

struct migration_file {
    int number = 0;
    std::string path;
};

struct migration_report {
    int from_version = 0;
    int to_version = 0;
};

class migrator {
public:
    // Errors: invalid_argument when the directory is missing, a file name is malformed,
    // or the numbering has a gap or a duplicate.
    static result<std::vector<migration_file>> scan(const std::string& dir);

    // Errors: conflict (code "database_too_new") for a database from a newer build;
    // internal (code "migration_failed") naming the file that failed.
    static result<migration_report> apply(sqlite_connection& db,
                                          const std::vector<migration_file>& files);
};

}  // namespace tribune
