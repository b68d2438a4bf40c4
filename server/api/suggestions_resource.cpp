#include "server/api/suggestions_resource.hpp"

#include "server/wire/perspective_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

namespace {
constexpr std::size_t default_page = 100;
constexpr std::size_t max_page = 1000;
}  // namespace

void suggestions_resource::list(request_context& ctx) {
    auto page = decode_id_page(ctx.target().query, "after", default_page, max_page);
    if (!page) return ctx.fail(page.error());
    auto rows = s_.analysis.suggestions(page->cursor, page->limit);
    if (!rows) return ctx.fail(rows.error());
    ctx.send(http::status::ok, suggestion_page(*rows, page->limit));
}

}  // namespace tribune::server
