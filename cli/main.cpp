// tribune: the command-line entry point. Wires objects together; no globals.

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "core/service/access_service.hpp"
#include "core/classify/linear_classifier.hpp"
#include "core/classify/placeholder_classifier.hpp"
#include "core/sqlite/sqlite_feedback_store.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "server/app/app.hpp"
#include "cli/classify_command.hpp"
#include "cli/backup_command.hpp"
#include "cli/serve_options.hpp"

namespace {

using namespace tribune;
using namespace tribune::server;

constexpr const char* usage =
    "usage: tribune <command> [options]\n\n"
    "Tribune moderates a live social Q&A: it scores each question for toxicity locally,\n"
    "triages it, and streams the queue to moderators.\n\n"
    "commands:\n"
    "  serve      run the HTTP + WebSocket server (tribune serve --help)\n"
    "  classify   score JSON or text lines from stdin, one JSON line out per line in\n"
    "             (tribune classify --help)\n"
    "  token      create, list or revoke access tokens (tribune token --help)\n"
    "  migrate    create or migrate the database, then exit (takes serve's --db, --migrations)\n"
    "  backup     copy the database consistently while the server runs (--to FILE [--db PATH])\n"
    "  version    print the version\n"
    "  help       this text\n";

int fail(const std::string& line) {
    std::cerr << "tribune: " << line << "\n";
    return 1;
}

// Fills in the paths left empty from the resource root.
void resolve_paths(serve_options& o, const std::string& argv0) {
    const std::string root = find_resource_root(argv0);
    if (o.cfg.web_root.empty()) o.cfg.web_root = root + "/web";
    if (o.cfg.migrations_dir.empty()) o.cfg.migrations_dir = root + "/migrations";
    if (o.cfg.model_path.empty()) o.cfg.model_path = root + "/models/toxicity.tlm";
}

result<std::unique_ptr<classifier>> make_classifier(const serve_options& o) {
    if (o.classifier_kind == "placeholder") return std::unique_ptr<classifier>(new placeholder_classifier());
    auto model = linear_classifier::load(o.cfg.model_path);
    if (!model)
        return status::error(model.error().kind(), model.error().code(),
                             "cannot load the classifier model " + o.cfg.model_path + ": " +
                                 model.error().message());
    return std::unique_ptr<classifier>(std::move(model.value()));
}

constexpr const char* token_usage =
    "usage: tribune token create --role ROLE --name NAME [--event SLUG] [--quota N[/s|/min]] [--db PATH]\n"
    "       tribune token list [--db PATH]\n"
    "       tribune token revoke ID [--db PATH]\n\n"
    "Roles: admin (everything), moderator (decides), executive (approved questions, answering),\n"
    "api_client (ingest and read), analyst (the Perspective-compatible API only). --event limits\n"
    "a token to one event. --quota holds a key to N requests per second (N, N/s) or per minute\n"
    "(N/min); beyond it the Perspective API answers 429. The token is printed once; only its\n"
    "hash is stored. Works while the server runs (same database file).\n";

// "N", "N/s" (per second) or "N/min" (per minute).
std::optional<token_quota> parse_quota(const std::string& text) {
    token_quota q;
    std::string number = text;
    if (auto slash = text.find('/'); slash != std::string::npos) {
        const std::string unit = text.substr(slash + 1);
        if (unit == "min" || unit == "m") q.period_s = 60;
        else if (unit != "s") return std::nullopt;
        number = text.substr(0, slash);
    }
    try {
        std::size_t used = 0;
        q.requests = std::stoll(number, &used);
        if (used != number.size()) return std::nullopt;
    } catch (...) {
        return std::nullopt;
    }
    return q;
}

// Prints how to sign in; on the very first start, creates an admin token and prints it.
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

int token(const std::vector<std::string>& args, const std::string& argv0) {
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        std::cout << token_usage;
        return args.empty() ? 2 : 0;
    }
    const std::string verb = args[0];
    std::string name, role_name, event, id, quota;
    std::vector<std::string> serve_args;
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> std::string { return i + 1 < args.size() ? args[++i] : std::string(); };
        if (a == "--name") name = value();
        else if (a == "--role") role_name = value();
        else if (a == "--event") event = value();
        else if (a == "--quota") quota = value();
        else if (a == "--db" || a == "--migrations") {
            serve_args.push_back(a);
            serve_args.push_back(value());
        } else if (verb == "revoke" && id.empty() && a.rfind("--", 0) != 0) id = a;
        else return fail("unknown argument '" + a + "'\n" + token_usage);
    }
    auto parsed = parse_serve_args(serve_args);
    if (!parsed) return fail(parsed.error().message());
    serve_options o = std::move(parsed.value());
    resolve_paths(o, argv0);
    auto db = sqlite_store::open(o.cfg.db_path, o.cfg.migrations_dir, 1);
    if (!db) return fail(db.error().message());
    sqlite_feedback_store quotas(**db);
    access_service access(**db, &quotas);
    if (verb == "create") {
        auto r = role_from_string(role_name);
        if (!r) return fail("--role must be admin, moderator, executive, api_client or analyst");
        std::optional<token_quota> q;
        if (!quota.empty() && !(q = parse_quota(quota)))
            return fail("--quota must be N (per second), N/s or N/min, e.g. --quota 60/min");
        auto t = access.create_token(name, *r, event.empty() ? std::nullopt : std::optional(event), q);
        if (!t) return fail(t.error().message());
        std::cout << t->secret << "\n";
        std::cerr << "tribune: token " << t->info.id << " (" << name << ", " << role_name
                  << (event.empty() ? "" : ", event " + event)
                  << ") created; it is shown only this once\n";
        return 0;
    }
    if (verb == "list") {
        auto tokens = access.list_tokens();
        if (!tokens) return fail(tokens.error().message());
        std::cout << "id\tname\trole\tevent\tprefix\tstate\tquota\n";
        for (const auto& t : *tokens)
            std::cout << t.id << "\t" << t.name << "\t" << to_string(t.r) << "\t"
                      << (t.event_slug.empty() ? "*" : t.event_slug) << "\t" << t.prefix << "\t"
                      << (t.revoked_at ? "revoked" : "active") << "\t"
                      << (t.quota ? std::to_string(t.quota->requests) +
                                        (t.quota->period_s == 1 ? "/s" : "/min")
                                  : "-")
                      << "\n";
        return 0;
    }
    if (verb == "revoke") {
        long long n = 0;
        try {
            n = std::stoll(id);
        } catch (...) {
            return fail("revoke needs a token id (see tribune token list)");
        }
        if (status s = access.revoke(n); !s) return fail(s.message());
        std::cout << "tribune: token " << n << " revoked\n";
        return 0;
    }
    return fail("unknown token command '" + verb + "'\n" + token_usage);
}

int serve(const std::vector<std::string>& args, const std::string& argv0) {
    auto parsed = parse_serve_args(args);
    if (!parsed) return fail(parsed.error().message());
    serve_options o = std::move(parsed.value());
    if (o.help) {
        std::cout << serve_usage();
        return 0;
    }
    resolve_paths(o, argv0);
    auto model = make_classifier(o);
    if (!model) return fail(model.error().message());
    const std::string model_name = (*model)->name();
    auto a = app::create(o.cfg, std::move(model.value()));
    if (!a) return fail(a.error().message());
    (*a)->start();
    const std::string base =
        "http://" + o.cfg.address + ":" + std::to_string((*a)->port()) + "/";
    std::cout << "tribune: listening on " << base << "\n"
              << "tribune: database " << std::filesystem::absolute(o.cfg.db_path).string()
              << ", classifier " << model_name << "\n";
    if (o.cfg.announce_first_admin) {
        auto db = sqlite_store::open(o.cfg.db_path, o.cfg.migrations_dir, 1);
        if (db) announce_access(**db, base);
    }
    std::cout << "tribune: dashboard " << base << "?event=demo" << std::endl;
    (*a)->run_until_signal();
    std::cout << "tribune: stopped" << std::endl;
    return 0;
}

int migrate(const std::vector<std::string>& args, const std::string& argv0) {
    auto parsed = parse_serve_args(args);
    if (!parsed) return fail(parsed.error().message());
    serve_options o = std::move(parsed.value());
    resolve_paths(o, argv0);
    auto db = sqlite_store::open(o.cfg.db_path, o.cfg.migrations_dir, 1);
    if (!db) return fail(db.error().message());
    std::cout << "tribune: " << o.cfg.db_path << " is at schema version " << (*db)->schema_version()
              << "\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    const std::string argv0 = argc > 0 ? argv[0] : "tribune";
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        std::cout << usage;
        return args.empty() ? 2 : 0;
    }
    const std::string command = args[0];
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "serve") return serve(rest, argv0);
    if (command == "migrate") return migrate(rest, argv0);
    if (command == "token") return token(rest, argv0);
    if (command == "classify") {
        std::vector<char*> cargv;
        for (int i = 2; i < argc; ++i) cargv.push_back(argv[i]);
        cargv.push_back(nullptr);
        serve_options defaults;
        resolve_paths(defaults, argv0);
        return run_classify_command(argc - 2, cargv.data(), defaults.cfg.model_path);
    }
    if (command == "backup") return run_backup_command(rest);
    if (command == "version" || command == "--version") {
        std::cout << "tribune 0.1.0\n";
        return 0;
    }
    std::cerr << "tribune: unknown command '" << command << "'\n\n" << usage;
    return 2;
}
