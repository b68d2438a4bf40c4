#include "cli/token_command.hpp"

#include <charconv>
#include <iostream>
#include <optional>

#include "cli/command_support.hpp"
#include "core/service/access_service.hpp"

namespace tribune::server {
namespace {

constexpr const char* token_usage =
    "usage: tribune token create --role ROLE --name NAME [--event SLUG] [--quota N[/s|/min]]\n"
    "                            [--db PATH]\n"
    "       tribune token list [--db PATH]\n"
    "       tribune token revoke ID [--db PATH]\n\n"
    "Roles: admin (everything), moderator (decides), executive (approved questions, answering),\n"
    "api_client (ingest and read), analyst (the Perspective-compatible API only), display (the\n"
    "room's display of its event only). --event limits\n"
    "a token to one event. --quota holds a token to N requests per second (N, N/s) or per\n"
    "minute (N/min) instead of the server's per-token rate; beyond it the server answers 429.\n"
    "The token is printed once; only its hash is stored. Works while the server runs (same\n"
    "database file).\n";

struct token_args {
    std::string verb;
    std::string name, role_name, event, id, quota;
    std::vector<std::string> serve_args;  // --db, --migrations
};

// Errors: invalid_argument naming the unknown argument.
result<token_args> parse_token_args(const std::vector<std::string>& args) {
    token_args t;
    t.verb = args[0];
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string {
            return i + 1 < args.size() ? args[++i] : std::string();
        };
        if (a == "--name")
            t.name = value();
        else if (a == "--role")
            t.role_name = value();
        else if (a == "--event")
            t.event = value();
        else if (a == "--quota")
            t.quota = value();
        else if (a == "--db" || a == "--migrations") {
            t.serve_args.push_back(a);
            t.serve_args.push_back(value());
        } else if (t.verb == "revoke" && t.id.empty() && a.rfind("--", 0) != 0)
            t.id = a;
        else
            return status::error(error_kind::invalid_argument, "bad_argument",
                                 "unknown argument '" + a + "'\n" + token_usage);
    }
    return t;
}

// "N", "N/s" (per second) or "N/min" (per minute); empty for anything else.
std::optional<token_quota> parse_quota(const std::string& text) {
    token_quota q;
    std::string number = text;
    if (auto slash = text.find('/'); slash != std::string::npos) {
        const std::string unit = text.substr(slash + 1);
        if (unit == "min") q.period_s = 60;
        else if (unit != "s") return std::nullopt;
        number = text.substr(0, slash);
    }
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), q.requests);
    if (ec != std::errc{} || end != number.data() + number.size()) return std::nullopt;
    return q;
}

std::string quota_text(const std::optional<token_quota>& q) {
    if (!q) return "-";
    return std::to_string(q->requests) + (q->period_s == 60 ? "/min" : "/s");
}

int create(access_service& access, const token_args& t) {
    auto r = role_from_string(t.role_name);
    if (!r) return fail("--role must be " + token_role_list());
    std::optional<token_quota> quota;
    if (!t.quota.empty() && !(quota = parse_quota(t.quota)))
        return fail("--quota must be N (per second), N/s or N/min, e.g. --quota 60/min");
    auto issued = access.create_token(
        t.name, *r, t.event.empty() ? std::nullopt : std::optional(t.event), quota);
    if (!issued) return fail(issued.error().message());
    std::cout << issued->secret << "\n";
    std::cerr << "tribune: token " << issued->info.id << " (" << t.name << ", " << t.role_name
              << (t.event.empty() ? "" : ", event " + t.event)
              << ") created; it is shown only this once\n";
    return 0;
}

int list(access_service& access) {
    auto tokens = access.list_tokens();
    if (!tokens) return fail(tokens.error().message());
    std::cout << "id\tname\trole\tevent\tprefix\tstate\tquota\n";
    for (const auto& t : *tokens)
        std::cout << t.id << "\t" << t.name << "\t" << to_string(t.r) << "\t"
                  << (t.event_slug.empty() ? "*" : t.event_slug) << "\t" << t.prefix << "\t"
                  << (t.revoked_at ? "revoked" : "active") << "\t" << quota_text(t.quota) << "\n";
    return 0;
}

int revoke(access_service& access, const token_args& t) {
    long long n = 0;
    try {
        n = std::stoll(t.id);
    } catch (...) {
        return fail("revoke needs a token id (see tribune token list)");
    }
    if (status s = access.revoke(n); !s) return fail(s.message());
    std::cout << "tribune: token " << n << " revoked\n";
    return 0;
}

}  // namespace

int run_token_command(const std::vector<std::string>& args, const std::string& argv0) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << token_usage;
        return args.empty() ? 2 : 0;
    }
    auto t = parse_token_args(args);
    if (!t) return fail(t.error().message());
    auto o = resolved_options(t->serve_args, argv0);
    if (!o) return fail(o.error().message());
    auto db = open_database(*o);
    if (!db) return fail(db.error().message());
    access_service access(**db);
    if (t->verb == "create") return create(access, *t);
    if (t->verb == "list") return list(access);
    if (t->verb == "revoke") return revoke(access, *t);
    return fail("unknown token command '" + t->verb + "'\n" + token_usage);
}

void announce_access(store& db, const std::string& base) {
    access_service access(db);
    auto has_admin = access.has_active_admin();
    if (has_admin && !*has_admin) {
        auto t = access.create_token("first-admin", role::admin, std::nullopt);
        if (t) {
            std::cout << "tribune: first start: created an admin token (shown only now, keep it):\n"
                      << "tribune:   " << t->secret << "\n"
                      << "tribune: sign in at " << base << "login with it\n";
            return;
        }
    }
    std::cout << "tribune: sign in at " << base
              << "login with a token; make one with: tribune token create --role admin --name "
                 "you --db <this database>\n";
}

}  // namespace tribune::server
