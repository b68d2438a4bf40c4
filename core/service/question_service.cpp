#include "core/service/question_service.hpp"

namespace tribune {

question_service::question_service(question_stores db, const classifier& model, event_sink& sink,
                                   service_options options)
    : questions_(db.questions),
      audience_(db.audience),
      model_(model),
      sink_(sink),
      options_(std::move(options)),
      policies_(db.events, db.questions),
      moderation_(db.events, db.questions, db.decisions, sink, options_),
      ingest_(db.events, db.questions, model, sink, policies_, options_) {}

result<question> question_service::vote(std::int64_t question_id, const std::string& voter) {
    if (voter.empty()) return invalid("invalid_field", "voter must not be empty");
    auto before = questions_.get_question(question_id);
    if (!before) return before.error();
    auto q = audience_.add_vote(question_id, voter);
    if (!q) return q.error();
    if (q->votes != before->votes)
        sink_.question_changed({change_kind::updated, q->status, *q, {}});
    return q;
}

}  // namespace tribune
