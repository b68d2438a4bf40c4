#include "cli/migrate_command.hpp"

#include <iostream>

#include "cli/command_support.hpp"

namespace tribune::server {

int run_migrate_command(const std::vector<std::string>& args, const std::string& argv0) {
    auto o = resolved_options(args, argv0);
    if (!o) return fail(o.error().message());
    auto db = open_database(*o);
    if (!db) return fail(db.error().message());
    std::cout << "tribune: " << o->cfg.db_path << " is at schema version "
              << (*db)->schema_version() << "\n";
    return 0;
}

}  // namespace tribune::server
