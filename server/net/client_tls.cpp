#include "server/net/client_tls.hpp"

namespace tribune::server {

namespace ssl = boost::asio::ssl;

status load_client_trust(ssl::context& tls, const std::string& ca_file, std::string_view flag) {
    boost::system::error_code ec;
    tls.set_default_verify_paths(ec);  // the system's trust store; missing is not fatal
    tls.set_verify_mode(ssl::verify_peer);
    tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (!ca_file.empty()) {
        tls.load_verify_file(ca_file, ec);
        if (ec)
            return status::error(error_kind::invalid_argument, "bad_ca_file",
                                 "cannot load " + std::string(flag) + " " + ca_file + ": " + ec.message());
    }
    return status::ok();
}

}  // namespace tribune::server
