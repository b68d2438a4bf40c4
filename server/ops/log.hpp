#pragma once
// Logging helpers: one line per event to stderr. Thread safety: safe from any thread
// (each line is written with a single call).

#include <boost/beast/core/error.hpp>

#include <string_view>

namespace tribune::server {

void log_line(std::string_view line);
// Logs a failed operation unless it is an ordinary disconnect.
void log_failure(boost::beast::error_code ec, std::string_view what);

}  // namespace tribune::server
