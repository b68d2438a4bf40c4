#include "cli/serve_command.hpp"

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command_support.hpp"
#include "cli/serve_options.hpp"
#include "cli/token_command.hpp"
#include "core/classify/linear_classifier.hpp"
#include "core/classify/placeholder_classifier.hpp"
#include "core/classify/question_detector.hpp"
#include "core/service/question_signal.hpp"
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

// The "is it a question?" model, question.tlm beside the classifier model: null (and
// `*name` empty) when there is no such file, an error when it is there but cannot be loaded.
result<std::unique_ptr<question_signal>> make_question_signal(const serve_options& o,
                                                              std::string* name) {
    const std::string path =
        std::filesystem::path(o.cfg.model_path).replace_filename("question.tlm").string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::unique_ptr<question_signal>();
    auto model = question_detector::load(path);
    if (!model)
        return status::error(model.error().kind(), model.error().code(),
                             "cannot load the question model " + path + ": " +
                                 model.error().message());
    *name = path;
    return std::unique_ptr<question_signal>(
        new model_question_signal<question_detector>(std::move(model.value())));
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
              << "tribune: database " << std::filesystem::absolute(o.cfg.db_path).string()
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
