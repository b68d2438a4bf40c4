#include "cli/serve_command.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command_support.hpp"
#include "cli/serve_options.hpp"
#include "cli/token_command.hpp"
#include "core/store/database_location.hpp"
#include "server/app/app.hpp"

namespace tribune::server {
namespace {

// The database as the start-up lines name it: a file's absolute path, a URL without password.
std::string database_description(const std::string& db) {
    auto where = parse_database_location(db);
    if (!where) return db;
    if (where->kind == database_kind::sqlite_file) return std::filesystem::absolute(db).string();
    return describe_database(*where);
}

}  // namespace

int run_serve_command(const std::vector<std::string>& args, const std::string& argv0) {
    auto parsed = resolved_options(args, argv0);
    if (!parsed) return fail(parsed.error().message());
    const serve_options& o = *parsed;
    if (o.help) {
        std::cout << serve_usage();
        return 0;
    }
    auto model = make_classifier(o);
    if (!model) return fail(model.error().message());
    const std::string model_name = (*model)->name();
    std::string question_model;
    auto signal = make_question_signal(o, &question_model);
    if (!signal) return fail(signal.error().message());
    auto a = app::create(o.cfg, std::move(model.value()), std::move(signal.value()));
    if (!a) return fail(a.error().message());
    (*a)->start();
    const std::string base = "http://" + o.cfg.address + ":" + std::to_string((*a)->port()) + "/";
    std::cout << "tribune: listening on " << base << "\n"
              << "tribune: database " << database_description(o.cfg.db_path)
              << ", classifier " << model_name << "\n"
              << "tribune: \"is it a question?\" "
              << (question_model.empty() ? std::string("model not found: questions get none")
                                         : "model " + question_model)
              << "\n";
    if (o.cfg.announce_first_admin) {
        if (auto db = open_database(o)) announce_access(**db, base);
    }
    // The other pages of the demo event, for a first look; the dashboard's line comes last
    // (scripts and tests wait for it).
    std::cout << "tribune: executives' page " << base << "executive?event=demo\n"
              << "tribune: the room's display " << base
              << "display/demo (a display token, or none once an admin makes it public)\n"
              << "tribune: the audience's page " << base << "e/demo\n";
    std::cout << "tribune: dashboard " << base << "?event=demo" << std::endl;
    (*a)->run_until_signal();
    std::cout << "tribune: stopped" << std::endl;
    return 0;
}

}  // namespace tribune::server
