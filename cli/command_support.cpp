#include "cli/command_support.hpp"

#include <iostream>

namespace tribune::server {

int fail(const std::string& line) {
    std::cerr << "tribune: " << line << "\n";
    return 1;
}

result<serve_options> resolved_options(const std::vector<std::string>& args,
                                       const std::string& argv0) {
    auto parsed = parse_serve_args(args);
    if (!parsed) return parsed.error();
    resolve_paths(*parsed, argv0);
    return parsed;
}

result<std::unique_ptr<sqlite_store>> open_database(const serve_options& o) {
    return sqlite_store::open(o.cfg.db_path, o.cfg.migrations_dir, 1);
}

}  // namespace tribune::server
