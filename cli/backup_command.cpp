#include "cli/backup_command.hpp"

#include <cstdlib>
#include <iostream>

#include "cli/command_support.hpp"
#include "core/sqlite/sqlite_backup.hpp"
#include "core/store/database_location.hpp"

namespace tribune::server {
namespace {

constexpr const char* usage =
    "usage: tribune backup --to FILE [--db PATH]\n\n"
    "Copies the database consistently while the server runs (SQLite's backup API) to FILE,\n"
    "which must not exist. The database is --db, else $TRIBUNE_DB, else var/tribune.db.\n";

}  // namespace

int run_backup_command(const std::vector<std::string>& args) {
    std::string db = "var/tribune.db";
    if (const char* env = std::getenv("TRIBUNE_DB"); env != nullptr && *env != '\0') db = env;
    std::string to;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string a = args[i];
        if (a == "-h" || a == "--help") {
            std::cout << usage;
            return 0;
        }
        auto option = option_at(args, i);
        if (!option) {
            std::cerr << "tribune backup: " << option.error().message() << "\n\n" << usage;
            return 2;
        }
        const auto& [name, value] = *option;
        if (name == "--to") to = value;
        else if (name == "--db") db = value;
        else {
            std::cerr << "tribune backup: unknown option " << name << "\n\n" << usage;
            return 2;
        }
    }
    if (to.empty()) {
        std::cerr << "tribune backup: --to FILE is required\n\n" << usage;
        return 2;
    }
    auto where = parse_database_location(db);
    if (!where) {
        std::cerr << "tribune backup: --db: " << where.error().message() << "\n";
        return 2;
    }
    if (where->kind == database_kind::postgresql) {
        std::cerr << "tribune backup: copies SQLite files; back up a PostgreSQL database with "
                     "pg_dump\n";
        return 2;
    }
    auto done = backup_database(db, to);
    if (!done) {
        std::cerr << "tribune backup: " << done.error().message() << "\n";
        return 1;
    }
    std::cout << "tribune: backed up " << db << " to " << to << " (" << done->pages
              << " pages, " << done->bytes << " bytes, integrity ok)" << std::endl;
    return 0;
}

}  // namespace tribune::server
