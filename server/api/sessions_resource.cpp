#include "server/api/sessions_resource.hpp"

#include "server/http/request_util.hpp"
#include "server/http/session_cookie.hpp"
#include "server/wire/access_codec.hpp"

namespace tribune::server {

namespace http = boost::beast::http;

void sessions_resource::sign_in(request_context& ctx) {
    auto token = ctx.decoded_body(decode_sign_in);
    if (!token) return;
    auto s = s_.access.open_session(*token, s_.cfg.session_lifetime);
    if (!s) return ctx.fail(s.error());
    http_response res = ctx.json_answer(http::status::ok, to_json(s->who));
    res.set(http::field::set_cookie,
            session_cookie_header(s->secret, std::chrono::duration_cast<std::chrono::seconds>(
                                                 s_.cfg.session_lifetime)));
    ctx.reply(std::move(res));
}

void sessions_resource::who_am_i(request_context& ctx) {
    ctx.send(http::status::ok, to_json(ctx.who()));
}

void sessions_resource::sign_out(request_context& ctx) {
    if (status st = s_.access.close_session(cookie_value(ctx.request(), session_cookie_name)); !st)
        return ctx.fail(st);
    http_response res = ctx.json_answer(http::status::ok, signed_out());
    res.set(http::field::set_cookie, session_cookie_header("", std::chrono::seconds(0)));
    ctx.reply(std::move(res));
}

}  // namespace tribune::server
