#include "server/http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tribune::server {
namespace {

std::string_view mime_type(std::string_view path) {
    auto ends = [&](std::string_view ext) {
        return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
    };
    if (ends(".html")) return "text/html; charset=utf-8";
    if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
    if (ends(".css")) return "text/css; charset=utf-8";
    if (ends(".json")) return "application/json";
    if (ends(".svg")) return "image/svg+xml";
    if (ends(".png")) return "image/png";
    if (ends(".ico")) return "image/x-icon";
    if (ends(".woff2")) return "font/woff2";
    return "application/octet-stream";
}

}  // namespace

std::optional<static_file> static_files::serve(std::string_view path) const {
    if (path.empty() || path.front() != '/') return std::nullopt;
    std::string rel(path.substr(1));
    if (rel.empty() || rel.back() == '/') rel += "index.html";
    if (rel.find("..") != std::string::npos || rel.find('\0') != std::string::npos ||
        rel.find('\\') != std::string::npos || rel.front() == '/')
        return std::nullopt;
    for (char c : rel)
        if (static_cast<unsigned char>(c) < 0x20) return std::nullopt;
    std::string full = root_ + "/" + rel;
    std::error_code ec;
    // "/login" serves login.html: pages have clean paths.
    if (!std::filesystem::is_regular_file(full, ec) && rel.find('.') == std::string::npos) {
        rel += ".html";
        full += ".html";
    }
    if (!std::filesystem::is_regular_file(full, ec)) return std::nullopt;
    std::ifstream in(full, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) return std::nullopt;
    return static_file{ss.str(), std::string(mime_type(rel))};
}

}  // namespace tribune::server
