#include "core/service/export_service.hpp"

namespace tribune {

export_cursor::export_cursor(question_store& questions, decision_store& decisions,
                             event_info event, std::size_t page_size)
    : questions_(questions), decisions_(decisions), event_(std::move(event)), page_size_(page_size) {
    query_.event_slug = event_.slug;
    query_.sort = question_sort::oldest;
    query_.limit = page_size_;
}

result<export_page> export_cursor::next() {
    export_page page;
    if (done_) return page;
    auto got = questions_.list_questions(query_);
    if (!got) return got.error();
    page.items = std::move(got->items);
    if (got->next) query_.after = got->next;
    else done_ = true;
    if (page.items.empty()) return page;
    std::vector<std::int64_t> ids;
    ids.reserve(page.items.size());
    for (const question& q : page.items) ids.push_back(q.id);
    auto trail = decisions_.list_decisions_of(ids);
    if (!trail) return trail.error();
    page.trail = std::move(*trail);
    return page;
}

result<export_cursor> export_service::open(const std::string& event_slug) {
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    return export_cursor(questions_, decisions_, std::move(*ev), page_size);
}

}  // namespace tribune
