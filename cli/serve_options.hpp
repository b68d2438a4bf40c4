#pragma once
// Command-line and environment parsing for `tribune serve`.

#include <string>
#include <vector>

#include "core/domain/status.hpp"
#include "server/app/config.hpp"

namespace tribune::server {

struct serve_options {
    config cfg;
    std::string classifier_kind = "model";  // model | placeholder
    bool help = false;
};

// Environment first (TRIBUNE_*), then flags. Errors: invalid_argument naming the bad flag.
result<serve_options> parse_serve_args(const std::vector<std::string>& args);
std::string serve_usage();

// The directory holding migrations/, web/ and models/: the current directory when it has
// them (running from the repository), else the install prefix's share/tribune next to
// the binary, else the repository that contains the build directory.
std::string find_resource_root(const std::string& argv0);

// Fills in the paths left empty (web root, migrations, model) from the resource root.
void resolve_paths(serve_options& o, const std::string& argv0);

}  // namespace tribune::server
