#include "cli/command_support.hpp"

#include <iostream>

#include "core/store/open_store.hpp"

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

result<std::pair<std::string, std::string>> option_at(const std::vector<std::string>& args,
                                                      std::size_t& i) {
    const std::string& a = args[i];
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos)
        return std::pair{a.substr(0, eq), a.substr(eq + 1)};
    if (i + 1 < args.size()) {
        ++i;
        return std::pair{a, args[i]};
    }
    return invalid("usage", "option " + a + " needs a value");
}

result<std::unique_ptr<store_backend>> open_database(const serve_options& o) {
    return open_store(o.cfg.db_path, o.cfg.migrations_dir, 1);
}

}  // namespace tribune::server
