#include "server/api/openapi_resource.hpp"

#include "server/api/openapi_document.hpp"
#include "server/http/responses.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void openapi_resource::document(request_context& ctx) {
    http_response res = text_response(http::status::ok, std::string(openapi_yaml()),
                                      "application/yaml; charset=utf-8", ctx.version(),
                                      ctx.keep_alive());
    res.set(http::field::cache_control, "no-cache");
    ctx.reply(std::move(res));
}

}  // namespace tribune::server
