#pragma once
// client_tls: the trust of Tribune's outbound TLS clients (webhook delivery, the social
// bridges): the system's trust store plus an optional CA file (PEM; tests use a self-signed
// certificate), peer verification on, TLS 1.2 or later.
//
// Thread safety: call before the context is used by any connection.

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/verify_mode.hpp>

#include <string>
#include <string_view>

#include "core/domain/status.hpp"

namespace tribune::server {

// Errors: invalid_argument (code "bad_ca_file") when `ca_file` is set and cannot be read;
// `flag` names the setting in the message (e.g. "--webhook-ca-file").
status load_client_trust(boost::asio::ssl::context& tls, const std::string& ca_file,
                         std::string_view flag);

// Before the handshake of a client stream (an asio/beast ssl stream) to `host`: sends SNI
// (not for an IP address), then verifies the chain and that it names this host.
template <typename SslStream>
void expect_server_name(SslStream& s, const std::string& host) {
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    // (SSL_set_tlsext_host_name is a macro with a C cast.)
    if (ec)
        SSL_ctrl(s.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(host.c_str()));
    s.set_verify_mode(boost::asio::ssl::verify_peer);
    s.set_verify_callback(boost::asio::ssl::host_name_verification(host));
}

}  // namespace tribune::server
