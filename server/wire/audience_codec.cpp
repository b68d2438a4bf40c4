#include "server/wire/audience_codec.hpp"

#include "core/domain/voter.hpp"
#include "server/wire/question_codec.hpp"

namespace tribune::server {
namespace {

// A participant id: the voter id's rule (voter.hpp).
result<std::string> participant_of(const json& v) {
    if (!v.is_string()) return invalid("invalid_field", "participant must be a string");
    if (status st = check_voter_id(v.get<std::string>()); !st)
        return invalid("invalid_field", "participant must be a non-empty string of at most " +
                                            std::to_string(max_voter_id_bytes) + " bytes");
    return v.get<std::string>();
}

}  // namespace

result<audience_ask> decode_audience_ask(const json& body, std::string event_slug) {
    if (!body.is_object()) return invalid("invalid_field", "the body must be a JSON object");
    for (const auto& [key, value] : body.items())
        if (key != "text" && key != "author" && key != "participant")
            return invalid("invalid_field", "the audience sends text, author and participant only");
    auto sub = decode_submission(body, std::move(event_slug));
    if (!sub) return sub.error();
    audience_ask ask{std::move(*sub), std::nullopt};
    if (auto p = body.find("participant"); p != body.end() && !p->is_null()) {
        auto id = participant_of(*p);
        if (!id) return id.error();
        ask.participant = std::move(*id);
    }
    return ask;
}

result<own_questions_request> decode_own_questions(const json& body) {
    if (!body.is_object()) return invalid("invalid_field", "the body must be a JSON object");
    own_questions_request r;
    auto p = body.find("participant");
    if (p == body.end()) return invalid("invalid_field", "participant is required");
    auto id = participant_of(*p);
    if (!id) return id.error();
    r.participant = std::move(*id);
    auto ids = body.find("ids");
    if (ids == body.end() || !ids->is_array())
        return invalid("invalid_field", "ids must be an array of question ids");
    if (ids->size() > audience_service::max_own_ids)
        return invalid("too_many_ids", "ask for at most " +
                                           std::to_string(audience_service::max_own_ids) +
                                           " questions at a time");
    for (const json& v : *ids) {
        if (!v.is_number_integer() || v.get<std::int64_t>() < 1)
            return invalid("invalid_field", "ids must be positive integers");
        r.ids.push_back(v.get<std::int64_t>());
    }
    return r;
}

json to_json(const audience_event& e) {
    return {{"slug", e.event.slug},
            {"title", e.event.title},
            {"questions_open", !e.settings.questions_closed},
            {"name_required", e.settings.name_required}};
}

json own_questions_json(const std::vector<question>& items) {
    json out = json::array();
    for (const question& q : items) out.push_back(audience_json(q));
    return {{"items", std::move(out)}};
}

}  // namespace tribune::server
