#include "server/api/question_view.hpp"

#include "server/http/executive_visibility.hpp"

namespace tribune::server {

std::optional<question_fields> fields_for_event(request_context& ctx, moderation_query& query,
                                                std::int64_t event_id) {
    if (!fields_depend_on_settings(ctx.who())) return question_fields{};
    auto settings = query.settings(event_id);
    if (!settings) {
        ctx.fail(settings.error());
        return std::nullopt;
    }
    return fields_for(ctx.who(), *settings);
}

std::optional<question_fields> fields_for_event(request_context& ctx, moderation_query& query,
                                                const std::string& event_slug) {
    if (!fields_depend_on_settings(ctx.who())) return question_fields{};
    auto ev = query.event(event_slug);
    if (!ev) {
        ctx.fail(ev.error());
        return std::nullopt;
    }
    return fields_for_event(ctx, query, ev->id);
}

}  // namespace tribune::server
