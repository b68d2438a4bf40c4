// memory_store as an audience_store: the executives' shortlist. Mirrors sqlite_shortlist.cpp;
// the shared rules come from store_rules.hpp.

#include <algorithm>

#include "core/store/memory_store.hpp"
#include "core/store/store_rules.hpp"
#include "core/util/wall_clock.hpp"

namespace tribune {
namespace {

status not_on_shortlist(std::int64_t question_id) {
    return status::error(error_kind::not_found, "not_on_shortlist",
                         "question " + std::to_string(question_id) + " is not on the shortlist");
}

}  // namespace

std::vector<memory_store::shortlist_row*> memory_store::shortlist_rows(std::int64_t event_id,
                                                                       bool listed_only) {
    std::vector<shortlist_row*> rows;
    for (shortlist_row& r : shortlist_)
        if (r.event_id == event_id &&
            (!listed_only || is_public(questions_.at(r.question_id).q.status)))
            rows.push_back(&r);
    std::sort(rows.begin(), rows.end(), [](const shortlist_row* a, const shortlist_row* b) {
        return a->position != b->position ? a->position < b->position
                                          : a->question_id < b->question_id;
    });
    return rows;
}

std::vector<shortlist_entry> memory_store::shortlist_of(std::int64_t event_id) {
    std::vector<shortlist_entry> out;
    for (const shortlist_row* r : shortlist_rows(event_id, true))
        out.push_back({read(questions_.at(r->question_id)), r->added_by, r->added_at, r->position,
                       r->note, r->note_by, r->note_at, r->answering_since});
    return out;
}

memory_store::shortlist_row* memory_store::listed_row(std::int64_t event_id,
                                                      std::int64_t question_id) {
    for (shortlist_row* r : shortlist_rows(event_id, true))
        if (r->question_id == question_id) return r;
    return nullptr;
}

result<std::vector<shortlist_entry>> memory_store::shortlist(std::int64_t event_id) {
    std::lock_guard lock(mutex_);
    return shortlist_of(event_id);
}

result<shortlist_entry> memory_store::shortlist_add(std::int64_t event_id, std::int64_t question_id,
                                                    const std::string& actor) {
    std::lock_guard lock(mutex_);
    auto it = questions_.find(question_id);
    if (it == questions_.end() || it->second.q.event_id != event_id)
        return status::error(error_kind::not_found, "question_not_found",
                             "no question with id " + std::to_string(question_id) + " in this event");
    if (!is_public(it->second.q.status))
        return status::error(error_kind::conflict, "not_shortlistable",
                             "only approved or answered questions go on the shortlist; this one is " +
                                 std::string(to_string(it->second.q.status)));
    auto on = std::find_if(shortlist_.begin(), shortlist_.end(), [&](const shortlist_row& r) {
        return r.event_id == event_id && r.question_id == question_id;
    });
    if (on == shortlist_.end()) {
        std::int64_t last = 0;
        for (const shortlist_row* r : shortlist_rows(event_id, false)) last = std::max(last, r->position);
        shortlist_row row;
        row.event_id = event_id;
        row.question_id = question_id;
        row.added_by = actor;
        row.added_at = wall_clock_ms();
        row.position = last + 1;
        shortlist_.push_back(std::move(row));
    }
    for (shortlist_entry& e : shortlist_of(event_id))
        if (e.q.id == question_id) return std::move(e);
    return not_on_shortlist(question_id);
}

status memory_store::shortlist_remove(std::int64_t event_id, std::int64_t question_id) {
    std::lock_guard lock(mutex_);
    auto on = std::find_if(shortlist_.begin(), shortlist_.end(), [&](const shortlist_row& r) {
        return r.event_id == event_id && r.question_id == question_id;
    });
    if (on == shortlist_.end()) return not_on_shortlist(question_id);
    shortlist_.erase(on);
    return status::ok();
}

result<shortlist_entry> memory_store::shortlist_update(std::int64_t event_id,
                                                       std::int64_t question_id,
                                                       const shortlist_edit& edit,
                                                       const std::string& actor) {
    std::lock_guard lock(mutex_);
    shortlist_row* row = listed_row(event_id, question_id);
    if (row == nullptr) return not_on_shortlist(question_id);
    const timestamp_ms now = wall_clock_ms();
    if (edit.note) {
        row->note = *edit.note;
        row->note_by = edit.note->empty() ? std::string() : actor;
        row->note_at = edit.note->empty() ? 0 : now;
    }
    if (edit.answering_now && *edit.answering_now) {
        for (shortlist_row* other : shortlist_rows(event_id, false))
            if (other != row) other->answering_since.reset();
        if (!row->answering_since) row->answering_since = now;
    } else if (edit.answering_now) {
        row->answering_since.reset();
    }
    for (shortlist_entry& e : shortlist_of(event_id))
        if (e.q.id == question_id) return std::move(e);
    return not_on_shortlist(question_id);
}

result<std::vector<shortlist_entry>> memory_store::shortlist_reorder(
    std::int64_t event_id, const std::vector<std::int64_t>& order) {
    std::lock_guard lock(mutex_);
    std::vector<std::int64_t> listed;
    std::vector<shortlist_row*> hidden;
    for (shortlist_row* r : shortlist_rows(event_id, false)) {
        if (is_public(questions_.at(r->question_id).q.status)) listed.push_back(r->question_id);
        else hidden.push_back(r);
    }
    if (status s = check_reorder(listed, order); !s) return s;
    std::int64_t position = 0;
    for (std::int64_t id : order) listed_row(event_id, id)->position = ++position;
    for (shortlist_row* r : hidden) r->position = ++position;
    return shortlist_of(event_id);
}

}  // namespace tribune
