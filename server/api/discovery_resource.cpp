#include "server/api/discovery_resource.hpp"

#include <cctype>
#include <string_view>

#include "server/wire/perspective_codec.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

namespace {

// The first value of a comma-separated forwarding header, trimmed; "" when absent.
std::string first_value(const http_request& req, std::string_view name) {
    auto it = req.find(name);
    if (it == req.end()) return {};
    std::string v(it->value());
    v = v.substr(0, v.find(','));
    while (!v.empty() && v.back() == ' ') v.pop_back();
    while (!v.empty() && v.front() == ' ') v.erase(0, 1);
    return v;
}

// A host as a header may give it: letters, digits, '.', '-', ':', '[' and ']' only.
bool plausible_host(std::string_view h) {
    if (h.empty() || h.size() > 255) return false;
    for (char c : h)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' &&
            c != '[' && c != ']')
            return false;
    return true;
}

}  // namespace

std::string discovery_resource::root_url(const http_request& req) const {
    const std::string& configured = s_.cfg.public_url;
    if (!configured.empty()) return configured.back() == '/' ? configured : configured + "/";
    std::string scheme = first_value(req, "X-Forwarded-Proto");
    if (scheme != "https" && scheme != "http") scheme = "http";
    std::string host = first_value(req, "X-Forwarded-Host");
    if (!plausible_host(host)) host = first_value(req, "Host");
    if (!plausible_host(host)) host = "localhost";
    return scheme + "://" + host + "/";
}

void discovery_resource::document(request_context& ctx, const std::string& service_path) {
    if (const std::string* v = ctx.target().param("version"); v != nullptr && *v != "v1alpha1")
        return ctx.fail(not_found("not_found", "No discovery document for version " + *v +
                                                   "; this server has v1alpha1."));
    ctx.send(http::status::ok, discovery_document(root_url(ctx.request()), service_path));
}

}  // namespace tribune::server
