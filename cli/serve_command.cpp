#include "cli/serve_command.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command_support.hpp"
#include "cli/serve_options.hpp"
#include "cli/token_command.hpp"
#include "core/classify/linear_classifier.hpp"
#include "core/classify/placeholder_classifier.hpp"
#include "server/app/app.hpp"

namespace tribune::server {
namespace {

result<std::unique_ptr<classifier>> make_classifier(const serve_options& o) {
    if (o.classifier_kind == "placeholder")
        return std::unique_ptr<classifier>(new placeholder_classifier());
    auto model = linear_classifier::load(o.cfg.model_path);
    if (!model)
        return status::error(model.error().kind(), model.error().code(),
                             "cannot load the classifier model " + o.cfg.model_path + ": " +
                                 model.error().message());
    return std::unique_ptr<classifier>(std::move(model.value()));
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
    auto a = app::create(o.cfg, std::move(model.value()));
    if (!a) return fail(a.error().message());
    (*a)->start();
    const std::string base = "http://" + o.cfg.address + ":" + std::to_string((*a)->port()) + "/";
    std::cout << "tribune: listening on " << base << "\n"
              << "tribune: database " << std::filesystem::absolute(o.cfg.db_path).string()
              << ", classifier " << model_name << "\n";
    if (o.cfg.announce_first_admin) {
        if (auto db = open_database(o)) announce_access(**db, base);
    }
    std::cout << "tribune: dashboard " << base << "?event=demo" << std::endl;
    (*a)->run_until_signal();
    std::cout << "tribune: stopped" << std::endl;
    return 0;
}

}  // namespace tribune::server
