#include "server/api/export_resource.hpp"

#include <memory>

#include "server/wire/export_codec.hpp"

namespace tribune::server {

void export_resource::download(request_context& ctx) {
    const auto& params = ctx.target().query;
    auto it = params.find("format");
    auto format = export_format_from_string(it == params.end() ? "csv" : it->second);
    if (!format) return ctx.fail(invalid("invalid_field", "format must be csv or jsonl"));
    auto cursor = s_.exports.open(ctx.param("slug"));
    if (!cursor) return ctx.fail(cursor.error());
    auto state = std::make_shared<export_cursor>(std::move(*cursor));
    auto preamble = std::make_shared<std::string>(export_preamble(*format));
    const export_format f = *format;
    const std::string file = "attachment; filename=\"" + state->event().slug + "-questions." +
                             std::string(extension_of(f)) + "\"";
    ctx.stream(content_type_of(f), file,
               [state, preamble, f]() -> result<std::optional<std::string>> {
                   if (!preamble->empty()) {
                       std::optional<std::string> first(std::move(*preamble));
                       preamble->clear();
                       return first;
                   }
                   if (state->done()) return std::optional<std::string>();
                   auto page = state->next();
                   if (!page) return page.error();
                   return std::optional<std::string>(encode_page(*page, f));
               });
}

}  // namespace tribune::server
