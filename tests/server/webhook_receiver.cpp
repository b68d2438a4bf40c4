#include "tests/server/webhook_receiver.hpp"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast.hpp>

#include <cstdio>

namespace tribune::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

struct webhook_receiver::impl {
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    std::optional<ssl::context> tls;
};

certificate_files self_signed_certificate(const std::filesystem::path& dir) {
    certificate_files out{dir / "receiver-cert.pem", dir / "receiver-key.pem"};
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    bool ok = key != nullptr && cert != nullptr;
    if (ok) {
        X509_set_version(cert, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
        X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
        X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
        X509_set_pubkey(cert, key);
        X509_NAME* name = X509_get_subject_name(cert);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
        X509_set_issuer_name(cert, name);
        X509V3_CTX ctx;
        X509V3_set_ctx_nodb(&ctx);
        X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
        X509_EXTENSION* san =
            X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
        X509_EXTENSION* ca = X509V3_EXT_conf_nid(nullptr, &ctx, NID_basic_constraints, "critical,CA:TRUE");
        ok = san != nullptr && ca != nullptr && X509_add_ext(cert, san, -1) == 1 &&
             X509_add_ext(cert, ca, -1) == 1 && X509_sign(cert, key, EVP_sha256()) > 0;
        X509_EXTENSION_free(san);
        X509_EXTENSION_free(ca);
    }
    if (ok) {
        std::FILE* c = std::fopen(out.cert.c_str(), "w");
        std::FILE* k = std::fopen(out.key.c_str(), "w");
        ok = c != nullptr && k != nullptr && PEM_write_X509(c, cert) == 1 &&
             PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
        if (c != nullptr) std::fclose(c);
        if (k != nullptr) std::fclose(k);
    }
    X509_free(cert);
    EVP_PKEY_free(key);
    if (!ok) {
        ADD_FAILURE() << "cannot make a self-signed certificate";
        return {};
    }
    return out;
}

std::unique_ptr<webhook_receiver> webhook_receiver::start(std::optional<certificate_files> tls) {
    std::unique_ptr<webhook_receiver> r(new webhook_receiver());
    r->impl_ = std::make_unique<impl>();
    beast::error_code ec;
    if (tls) {
        r->impl_->tls.emplace(ssl::context::tls_server);
        r->impl_->tls->use_certificate_chain_file(tls->cert.string(), ec);
        if (!ec) r->impl_->tls->use_private_key_file(tls->key.string(), ssl::context::pem, ec);
    }
    tcp::endpoint ep{net::ip::make_address("127.0.0.1"), 0};
    if (!ec) r->impl_->acceptor.open(ep.protocol(), ec);
    if (!ec) r->impl_->acceptor.bind(ep, ec);
    if (!ec) r->impl_->acceptor.listen(64, ec);
    if (ec) {
        ADD_FAILURE() << "webhook receiver: " << ec.message();
        return nullptr;
    }
    r->port_ = r->impl_->acceptor.local_endpoint().port();
    r->thread_ = std::thread([p = r.get()] { p->serve(); });
    return r;
}

webhook_receiver::~webhook_receiver() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        holding_ = false;
    }
    cv_.notify_all();
    // Wake the accept with a connection of our own.
    beast::error_code ec;
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), port_}, ec);
    if (thread_.joinable()) thread_.join();
}

std::string webhook_receiver::url(const std::string& path) const {
    return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
}

void webhook_receiver::script(std::vector<unsigned> first, unsigned otherwise) {
    std::lock_guard lock(mutex_);
    script_.assign(first.begin(), first.end());
    otherwise_ = otherwise;
}

void webhook_receiver::hold() {
    std::lock_guard lock(mutex_);
    holding_ = true;
}

void webhook_receiver::release() {
    {
        std::lock_guard lock(mutex_);
        holding_ = false;
    }
    cv_.notify_all();
}

std::vector<received_request> webhook_receiver::requests() {
    std::lock_guard lock(mutex_);
    return requests_;
}

bool webhook_receiver::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

unsigned webhook_receiver::next_status() {
    std::lock_guard lock(mutex_);
    if (script_.empty()) return otherwise_;
    unsigned s = script_.front();
    script_.pop_front();
    return s;
}

namespace {

template <typename Stream>
bool read_request(Stream& stream, received_request& out) {
    beast::flat_buffer buffer;
    http::request<http::string_body> req;
    beast::error_code ec;
    http::read(stream, buffer, req, ec);
    if (ec) return false;
    for (const auto& f : req) {
        std::string name(f.name_string());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(f.value());
    }
    out.target = std::string(req.target());
    out.body = req.body();
    return true;
}

template <typename Stream>
void answer(Stream& stream, unsigned status) {
    http::response<http::string_body> res{static_cast<http::status>(status), 11};
    res.set(http::field::content_type, "text/plain");
    res.body() = "ok";
    res.keep_alive(false);
    res.prepare_payload();
    beast::error_code ec;
    http::write(stream, res, ec);
}

}  // namespace

void webhook_receiver::serve() {
    for (;;) {
        tcp::socket socket(impl_->ioc);
        beast::error_code ec;
        impl_->acceptor.accept(socket, ec);
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        if (ec) continue;
        received_request got;
        std::optional<ssl::stream<tcp::socket>> tls;
        bool ok = false;
        if (impl_->tls) {
            tls.emplace(std::move(socket), *impl_->tls);
            tls->handshake(ssl::stream_base::server, ec);
            ok = !ec && read_request(*tls, got);
        } else {
            ok = read_request(socket, got);
        }
        if (!ok) continue;
        {
            std::unique_lock lock(mutex_);
            requests_.push_back(got);
            cv_.notify_all();
            cv_.wait(lock, [&] { return !holding_ || stopping_; });
        }
        const unsigned status = next_status();
        if (tls) {
            answer(*tls, status);
            tls->shutdown(ec);
        } else {
            answer(socket, status);
            socket.shutdown(tcp::socket::shutdown_both, ec);
        }
    }
}

std::uint16_t dead_port() {
    net::io_context ioc;
    tcp::acceptor a(ioc, {net::ip::make_address("127.0.0.1"), 0});
    const std::uint16_t p = a.local_endpoint().port();
    a.close();
    return p;
}

}  // namespace tribune::test
