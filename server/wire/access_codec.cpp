#include "server/wire/access_codec.hpp"

#include "server/wire/request_errors.hpp"

namespace tribune::server {
namespace {

json optional_slug(const std::string& slug) { return slug.empty() ? json(nullptr) : json(slug); }

// {"requests": N, "per": "second" | "minute"} (per defaults to second); null or absent: none.
// The range is access_service's to check.
result<std::optional<token_quota>> decode_quota(const json& body) {
    auto q = body.find("quota");
    if (q == body.end() || q->is_null()) return std::optional<token_quota>{};
    const status wrong =
        invalid("invalid_field", "quota must be {\"requests\": N, \"per\": \"second\" | \"minute\"}");
    if (!q->is_object()) return wrong;
    auto n = q->find("requests");
    auto per = q->find("per");
    if (n == q->end() || !n->is_number_integer()) return wrong;
    token_quota out{n->get<std::int64_t>(), 1};
    if (per != q->end() && !per->is_null()) {
        if (!per->is_string() || (*per != "second" && *per != "minute")) return wrong;
        out.period_s = *per == "minute" ? 60 : 1;
    }
    return std::optional<token_quota>(out);
}

json quota_json(const std::optional<token_quota>& q) {
    if (!q) return nullptr;
    return {{"requests", q->requests}, {"per", q->period_s == 60 ? "minute" : "second"}};
}

}  // namespace

result<new_token> decode_new_token(const json& body) {
    auto name = body.find("name");
    auto r = body.find("role");
    if (name == body.end() || !name->is_string() || r == body.end() || !r->is_string())
        return invalid("invalid_field", "name and role are required strings");
    auto parsed_role = role_from_string(r->get<std::string>());
    if (!parsed_role)
        return invalid("invalid_field", "role must be " + token_role_list());
    new_token t;
    t.name = name->get<std::string>();
    t.r = *parsed_role;
    if (auto e = body.find("event"); e != body.end() && !e->is_null()) {
        if (!e->is_string()) return invalid("invalid_field", "event must be a slug");
        t.event = e->get<std::string>();
    }
    auto quota = decode_quota(body);
    if (!quota) return quota.error();
    t.quota = *quota;
    return t;
}

json to_json(const token_info& t) {
    return {{"id", t.id},
            {"name", t.name},
            {"role", to_string(t.r)},
            {"event", optional_slug(t.event_slug)},
            {"prefix", t.prefix},
            {"created_at", format_time(t.created_at)},
            {"revoked_at", t.revoked_at ? json(format_time(*t.revoked_at)) : json(nullptr)},
            {"quota", quota_json(t.quota)}};
}

json to_json(const std::vector<token_info>& tokens) {
    return item_list(tokens, [](const token_info& t) { return to_json(t); });
}

json to_json(const issued_token& t) {
    json out = to_json(t.info);
    out["token"] = t.secret;
    return out;
}

json token_revocation(std::int64_t token_id) { return {{"revoked", token_id}}; }

result<std::string> decode_sign_in(const json& body) {
    auto token = body.find("token");
    if (token == body.end() || !token->is_string())
        return invalid("invalid_field", "token is required");
    return token->get<std::string>();
}

json to_json(const principal& p) {
    return {{"name", p.name}, {"role", to_string(p.r)}, {"event", optional_slug(p.event_slug)}};
}

json signed_out() { return {{"signed_out", true}}; }

}  // namespace tribune::server
