#pragma once
// static_files: serves the dashboard from the web root. Paths are confined to the root
// (no "..", no absolute paths, no NUL); unknown files answer not found.
//
// Thread safety: const after construction; serve() is safe from any thread.

#include <optional>
#include <string>
#include <string_view>

namespace tribune::server {

struct static_file {
    std::string body;
    std::string content_type;
};

class static_files {
public:
    explicit static_files(std::string root) : root_(std::move(root)) {}
    // `path` is the request path without query, starting with '/'. "/" serves index.html.
    std::optional<static_file> serve(std::string_view path) const;

private:
    std::string root_;
};

}  // namespace tribune::server
