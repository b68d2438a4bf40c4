#include "core/service/audience_service.hpp"

#include <random>

#include "core/domain/participant.hpp"

namespace tribune {
namespace {

status audience_closed() {
    return status::error(error_kind::forbidden, "audience_closed",
                         "this event does not take questions or votes from its audience");
}

bool blank(const std::optional<std::string>& s) {
    return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
}

// Unique per question in practice (64 random bits); not a secret.
std::uint64_t reference_nonce() {
    thread_local std::mt19937_64 bits{std::random_device{}()};
    return bits();
}

}  // namespace

result<audience_event> audience_service::event(const std::string& slug) {
    auto ev = query_.event(slug);
    if (!ev) return ev.error();
    auto settings = query_.settings(ev->id);
    if (!settings) return settings.error();
    if (settings->audience_off) return audience_closed();
    return audience_event{std::move(*ev), *settings};
}

status audience_service::ask(submission s, const std::optional<std::string>& participant,
                             question_service::submit_callback done) {
    auto ev = event(s.event_slug);
    if (!ev) return ev.error();
    if (ev->settings.questions_closed)
        return status::error(error_kind::forbidden, "questions_closed",
                             "questions are closed for this event; votes are still open");
    if (ev->settings.name_required && blank(s.author))
        return invalid("author_required", "this event asks for your name with your question");
    s.source = "audience";
    s.external_id.reset();
    if (participant) s.external_id = participant_reference(*participant, reference_nonce());
    return questions_.submit(std::move(s), std::move(done));
}

result<question_page> audience_service::approved(question_query q) {
    if (auto ev = event(q.event_slug); !ev) return ev.error();
    q.filter.statuses = {question_status::approved, question_status::answered};
    return query_.page(q);
}

result<question> audience_service::vote(std::int64_t question_id, const std::string& voter) {
    auto q = query_.question_by_id(question_id);
    if (!q) return q.error();
    auto settings = query_.settings(q->event_id);
    if (!settings) return settings.error();
    if (settings->audience_off) return audience_closed();
    return questions_.vote(question_id, voter);
}

result<std::vector<question>> audience_service::own_questions(
    const std::string& slug, const std::string& participant,
    const std::vector<std::int64_t>& ids) {
    if (ids.size() > max_own_ids)
        return invalid("too_many_ids", "ask for at most " + std::to_string(max_own_ids) +
                                           " questions at a time");
    auto ev = event(slug);
    if (!ev) return ev.error();
    std::vector<question> out;
    for (std::int64_t id : ids) {
        auto q = query_.question_by_id(id);
        if (!q) {
            if (q.error().kind() == error_kind::not_found) continue;
            return q.error();
        }
        if (q->event_id == ev->event.id && asked_by(*q, participant)) out.push_back(std::move(*q));
    }
    return out;
}

}  // namespace tribune
