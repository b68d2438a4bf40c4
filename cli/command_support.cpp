#include "cli/command_support.hpp"

#include <filesystem>
#include <iostream>

#include "core/classify/linear_classifier.hpp"
#include "core/classify/placeholder_classifier.hpp"
#include "core/classify/question_detector.hpp"
#include "core/store/open_store.hpp"

namespace tribune::server {

int fail(const std::string& line) {
    std::cerr << "tribune: " << line << "\n";
    return 1;
}

result<serve_options> resolved_options(const std::vector<std::string>& args,
                                       const std::string& argv0) {
    auto parsed = parse_serve_args(args);
    if (!parsed) return parsed.error();
    resolve_paths(*parsed, argv0);
    return parsed;
}

result<std::pair<std::string, std::string>> option_at(const std::vector<std::string>& args,
                                                      std::size_t& i) {
    const std::string& a = args[i];
    if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos)
        return std::pair{a.substr(0, eq), a.substr(eq + 1)};
    if (i + 1 < args.size()) {
        ++i;
        return std::pair{a, args[i]};
    }
    return invalid("usage", "option " + a + " needs a value");
}

result<std::unique_ptr<store_backend>> open_database(const serve_options& o) {
    return open_store(o.cfg.db_path, o.cfg.migrations_dir, 1);
}

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

}  // namespace tribune::server
