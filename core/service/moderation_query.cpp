#include "core/service/moderation_query.hpp"

namespace tribune {

result<question_page> moderation_query::page(const question_query& q) {
    return db_.list_questions(q);
}

result<question> moderation_query::question_by_id(std::int64_t id) { return db_.get_question(id); }

result<std::vector<decision_record>> moderation_query::decisions(std::int64_t question_id) {
    return db_.list_decisions(question_id);
}

result<std::vector<event_info>> moderation_query::events() { return db_.list_events(); }

result<event_info> moderation_query::event(const std::string& slug) { return db_.find_event(slug); }

result<event_counts> moderation_query::counts(const std::string& slug) {
    auto ev = db_.find_event(slug);
    if (!ev) return ev.error();
    auto counts = db_.count_by_status_numbered(ev->id);
    if (!counts) return counts.error();
    return event_counts{std::move(*ev), std::move(counts->counts), counts->through};
}

result<event_settings> moderation_query::settings(std::int64_t event_id) {
    return db_.get_settings(event_id);
}

result<std::vector<event_counts>> moderation_query::counts_by_event() {
    auto events = db_.list_events();
    if (!events) return events.error();
    std::vector<event_counts> out;
    out.reserve(events->size());
    for (event_info& e : *events) {
        auto counts = db_.count_by_status(e.id);
        if (!counts) continue;
        out.push_back({std::move(e), std::move(*counts), std::nullopt});
    }
    return out;
}

result<review_queue> moderation_query::review(const std::string& slug, std::size_t limit) {
    auto counted = counts(slug);
    if (!counted) return counted.error();
    question_query q;
    q.event_slug = slug;
    q.filter.statuses = {question_status::pending, question_status::held};
    q.limit = limit;
    auto page = db_.list_questions(q);
    if (!page) return page.error();
    return review_queue{std::move(counted->counts), std::move(page->items)};
}

}  // namespace tribune
