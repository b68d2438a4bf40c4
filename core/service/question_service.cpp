#include "core/service/question_service.hpp"

namespace tribune {
namespace {

event_learning_service::options learning_options_of(const service_options& o) {
    event_learning_service::options out;
    out.learner = o.learning;
    out.unsure = o.unsure;
    out.poll_interval = o.learning_poll;
    // The prior shift gives way where the unsure rule starts guessing from the labels.
    out.prior.until_labels = o.unsure.min_labels;
    return out;
}

}  // namespace

question_service::question_service(question_stores db, const classifier& model, event_sink& sink,
                                   service_options options)
    : questions_(db.questions),
      audience_(db.audience),
      model_(model),
      sink_(sink),
      options_(std::move(options)),
      policies_(db.events, db.questions, &model, &learning_),
      learning_(db.events, db.learning, model, policies_,
                learning_options_of(options_)),
      ingest_(db.events, db.questions, model, sink, policies_, options_, &learning_),
      moderation_(db.events, db.questions, db.decisions, sink, options_, &ingest_.commit()) {}

status question_service::start() {
    if (status s = learning_.start(); !s) return s;
    return ingest_.start();
}

result<question> question_service::decide(const decision_input& d) {
    auto q = moderation_.decide(d);
    if (q) learning_.decided(q->event_id);
    return q;
}

result<bulk_outcome> question_service::decide_bulk(const bulk_decision_input& d) {
    auto out = moderation_.decide_bulk(d);
    if (out)
        for (const bulk_item& item : out->items)
            if (item.outcome) {
                learning_.decided(item.outcome->event_id);
                break;
            }
    return out;
}

result<question> question_service::undo(std::int64_t question_id, const std::string& actor) {
    auto q = moderation_.undo(question_id, actor);
    if (q) learning_.decided(q->event_id);
    return q;
}

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
