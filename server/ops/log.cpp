#include "server/ops/log.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/websocket/error.hpp>

#include <cstdio>
#include <string>

namespace tribune::server {

void log_line(std::string_view line) {
    std::string s(line);
    s += '\n';
    std::fwrite(s.data(), 1, s.size(), stderr);
}

void log_failure(boost::beast::error_code ec, std::string_view what) {
    namespace net = boost::asio;
    if (ec == net::error::operation_aborted || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == boost::beast::error::timeout ||
        ec == boost::beast::websocket::error::closed || ec == boost::beast::http::error::end_of_stream)
        return;
    log_line(std::string(what) + ": " + ec.message());
}

}  // namespace tribune::server
