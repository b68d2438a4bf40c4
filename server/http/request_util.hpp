#pragma once
// request_util: what a request's headers say — whether its body is JSON, a cookie's value.
//
// Thread safety: pure functions.

#include <boost/beast/http.hpp>

#include <string_view>

namespace tribune::server {

// A body is JSON when it says so, or says nothing (it must still parse).
template <typename Request>
bool is_json_content(const Request& req) {
    auto it = req.find(boost::beast::http::field::content_type);
    if (it == req.end()) return true;
    std::string_view ct = it->value();
    ct = ct.substr(0, ct.find(';'));
    while (!ct.empty() && ct.back() == ' ') ct.remove_suffix(1);
    return ct == "application/json";
}

// The value of one cookie, or empty.
template <typename Request>
std::string_view cookie_value(const Request& req, std::string_view name) {
    namespace http = boost::beast::http;
    for (auto it = req.find(http::field::cookie); it != req.end() && it->name() == http::field::cookie;
         ++it) {
        std::string_view all = it->value();
        while (!all.empty()) {
            auto semi = all.find(';');
            std::string_view pair = all.substr(0, semi);
            all = semi == std::string_view::npos ? std::string_view{} : all.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
            auto eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
        }
    }
    return {};
}

}  // namespace tribune::server
