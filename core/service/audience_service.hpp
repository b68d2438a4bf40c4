#pragma once
// audience_service: the audience's use cases (docs/api.md "The audience") — the event as the
// audience's page shows it, asking, the approved questions, votes, and the status of one's own
// questions — held to the event's settings: audience_off closes all of them, questions_closed
// closes asking only, name_required refuses a question without a name. The rules of who sees
// what are here; the server only decodes, calls and encodes.
//
// Ownership: borrows the services, which must outlive it.
// Thread safety: every method may be called from any thread (the services' contracts).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/event_settings.hpp"
#include "core/service/moderation_query.hpp"
#include "core/service/question_service.hpp"

namespace tribune {

// An event as its audience sees it.
struct audience_event {
    event_info event;
    event_settings settings;
};

class audience_service {
  public:
    // At most this many ids per own_questions() call.
    static constexpr std::size_t max_own_ids = 100;

    audience_service(question_service& questions, moderation_query& query)
        : questions_(questions), query_(query) {}

    // Errors: not_found (event_not_found); forbidden (audience_closed) when the event's
    // audience page is off.
    result<audience_event> event(const std::string& slug);

    // Asks `s` (its event, text and author) as the audience: stored with source "audience",
    // and with a participant reference (participant.hpp) when `participant` is given, so that
    // its asker can follow it. `done` is called as for question_service::submit.
    // REQUIRES: participant, when given, passes check_voter_id.
    // Errors (returned, `done` not called): those of event(); forbidden (questions_closed);
    // invalid_argument (author_required) when the event requires a name and `s` has none;
    // then those of submit.
    status ask(submission s, const std::optional<std::string>& participant,
               question_service::submit_callback done);

    // A page of the event's approved and answered questions (`q`'s filter is replaced).
    // Errors: those of event(); those of the query.
    result<question_page> approved(question_query q);

    // One vote per voter (voter.hpp). Errors: not_found (question_not_found); forbidden
    // (audience_closed); those of question_service::vote.
    result<question> vote(std::int64_t question_id, const std::string& voter);

    // The questions among `ids` of the event `slug` that `participant` asked, in the order of
    // `ids`; an id of another event, of someone else, or of no question is left out (so the
    // answer tells nothing about other people's questions). At most max_own_ids ids.
    // Errors: those of event(); invalid_argument (too_many_ids).
    result<std::vector<question>> own_questions(const std::string& slug,
                                                const std::string& participant,
                                                const std::vector<std::int64_t>& ids);

  private:
    question_service& questions_;
    moderation_query& query_;
};

}  // namespace tribune
