#include "server/api/files_resource.hpp"

#include "server/http/responses.hpp"
#include "server/wire/request_errors.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void files_resource::file(request_context& ctx) { serve(ctx, ctx.target().path); }

void files_resource::display_page(request_context& ctx) { serve(ctx, "/display.html"); }

void files_resource::audience_page(request_context& ctx) { serve(ctx, "/audience.html"); }

void files_resource::serve(request_context& ctx, const std::string& path) {
    auto file = s_.files.serve(path);
    if (!file) return ctx.fail(not_found("not_found", "nothing at " + path));
    http_response res = text_response(http::status::ok, std::move(file->body), file->content_type,
                                      ctx.version(), ctx.keep_alive());
    res.set(http::field::cache_control, "no-cache");
    res.set("X-Content-Type-Options", "nosniff");
    if (ctx.request().method() == http::verb::head) res.body().clear();
    ctx.reply(std::move(res));
}

void files_resource::no_endpoint(request_context& ctx) {
    ctx.fail(not_found("not_found", "no API endpoint at " + ctx.target().path));
}

}  // namespace tribune::server
