#include "core/service/access_service.hpp"

#include <sys/random.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>

#include "core/util/sha256.hpp"
#include "core/util/wall_clock.hpp"

namespace tribune {
namespace {

constexpr std::string_view token_prefix = "trb_";

status unauthenticated(std::string code, std::string message) {
    return status::error(error_kind::unauthenticated, std::move(code), std::move(message));
}

std::string base64url(const std::uint8_t* p, std::size_t n) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (std::size_t i = 0; i < n; ++i) {
        acc = (acc << 8) | p[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out.push_back(alphabet[(acc >> bits) & 63]);
        }
    }
    if (bits > 0) out.push_back(alphabet[(acc << (6 - bits)) & 63]);
    return out;
}

bool plausible_secret(std::string_view s) {
    if (s.size() < 20 || s.size() > 200) return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return false;
    return true;
}

}  // namespace

std::string access_service::random_secret() {
    std::uint8_t buf[32];
    std::size_t got = 0;
    while (got < sizeof buf) {
        ssize_t n = getrandom(buf + got, sizeof buf - got, 0);
        if (n < 0) continue;  // EINTR; the kernel pool never runs dry once initialised
        got += static_cast<std::size_t>(n);
    }
    return base64url(buf, sizeof buf);
}

principal access_service::to_principal(const token_info& t, bool via_session) {
    principal p;
    p.token_id = t.id;
    p.name = t.name;
    p.r = t.r;
    p.event_id = t.event_id;
    p.event_slug = t.event_slug;
    p.via_session = via_session;
    p.quota = t.quota;
    return p;
}

result<issued_token> access_service::create_token(const std::string& name, role r,
                                                  const std::optional<std::string>& event_slug,
                                                  const std::optional<token_quota>& quota) {
    if (name.empty() || name.size() > 100)
        return invalid("invalid_field", "a token needs a name of 1 to 100 bytes");
    if (r == role::audience)
        return invalid("invalid_field", "the audience needs no token");
    if (quota && !quota->valid())
        return invalid("invalid_field", "a quota is 1 to " +
                                            std::to_string(token_quota::max_requests) +
                                            " requests per second or per minute");
    std::optional<std::int64_t> event_id;
    if (event_slug) {
        auto ev = events_.find_event(*event_slug);
        if (!ev) return ev.error();
        event_id = ev->id;
    }
    std::string secret = std::string(token_prefix) + random_secret();
    auto info =
        db_.create_token(name, r, event_id, sha256_hex(secret), secret.substr(0, 10), quota);
    if (!info) return info.error();
    return issued_token{std::move(secret), std::move(info.value())};
}

status access_service::revoke(std::int64_t token_id) {
    if (status s = db_.revoke_token(token_id); !s) return s;
    recent_.forget_all();
    if (on_revoked_) on_revoked_(token_id);
    return status::ok();
}

result<principal> access_service::authenticate_token(std::string_view secret) {
    if (secret.substr(0, token_prefix.size()) != token_prefix ||
        !plausible_secret(secret.substr(token_prefix.size())))
        return unauthenticated("invalid_token", "the access token is malformed");
    const auto now = token_cache::clock::now();
    if (auto known = recent_.find(secret, now)) return std::move(*known);
    auto t = db_.find_token(sha256_hex(secret));
    if (!t) return t.error();
    if (!t->has_value()) return unauthenticated("invalid_token", "unknown access token");
    if ((*t)->revoked_at) return unauthenticated("invalid_token", "the access token was revoked");
    principal who = to_principal(**t, false);
    recent_.remember(secret, who, now);
    return who;
}

result<issued_session> access_service::open_session(std::string_view token_secret,
                                                    std::chrono::seconds lifetime) {
    auto who = authenticate_token(token_secret);
    if (!who) return who.error();
    std::string secret = random_secret();
    const std::int64_t expires =
        wall_clock_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(lifetime).count();
    if (status s = db_.create_session(sha256_hex(secret), who->token_id, expires); !s) return s;
    who->via_session = true;
    return issued_session{std::move(secret), std::move(who.value())};
}

result<principal> access_service::authenticate_session(std::string_view secret) {
    if (!plausible_secret(secret)) return unauthenticated("invalid_session", "no valid session");
    auto t = db_.find_session(sha256_hex(secret), wall_clock_ms());
    if (!t) return t.error();
    if (!t->has_value())
        return unauthenticated("invalid_session", "the session expired or was signed out");
    return to_principal(**t, true);
}

status access_service::close_session(std::string_view secret) {
    if (!plausible_secret(secret)) return status::ok();
    return db_.delete_session(sha256_hex(secret));
}

}  // namespace tribune
