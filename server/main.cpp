// tribune: the command-line entry point. Wires objects together; no globals.

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "core/fasttext_classifier.hpp"
#include "core/placeholder_classifier.hpp"
#include "core/sqlite_store.hpp"
#include "server/app.hpp"
#include "server/cli.hpp"

namespace {

using namespace tribune;
using namespace tribune::server;

constexpr const char* usage =
    "usage: tribune <command> [options]\n\n"
    "Tribune moderates a live social Q&A: it scores each question for toxicity locally,\n"
    "triages it, and streams the queue to moderators.\n\n"
    "commands:\n"
    "  serve      run the HTTP + WebSocket server (tribune serve --help)\n"
    "  migrate    create or migrate the database, then exit (takes serve's --db, --migrations)\n"
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
    if (o.cfg.model_path.empty()) o.cfg.model_path = root + "/models/toxicity.ftz";
}

result<std::unique_ptr<classifier>> make_classifier(const serve_options& o) {
    if (o.classifier_kind == "placeholder") return std::unique_ptr<classifier>(new placeholder_classifier());
    auto model = fasttext_classifier::load(o.cfg.model_path);
    if (!model)
        return status::error(model.error().kind(), model.error().code(),
                             "cannot load the classifier model " + o.cfg.model_path + ": " +
                                 model.error().message());
    return std::unique_ptr<classifier>(std::move(model.value()));
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
              << ", classifier " << model_name << "\n"
              << "tribune: dashboard " << base << "?event=demo" << std::endl;
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
    if (command == "version" || command == "--version") {
        std::cout << "tribune 0.1.0\n";
        return 0;
    }
    std::cerr << "tribune: unknown command '" << command << "'\n\n" << usage;
    return 2;
}
