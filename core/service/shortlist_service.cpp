#include "core/service/shortlist_service.hpp"

#include "core/text/utf8.hpp"

namespace tribune {

display_state display_of(const std::vector<shortlist_entry>& entries, std::size_t next_count) {
    display_state d;
    for (const shortlist_entry& e : entries)
        if (e.answering_since) d.now = e;
    for (const shortlist_entry& e : entries) {
        if (d.next.size() >= next_count) break;
        if (e.answering_since || e.q.status == question_status::answered) continue;
        d.next.push_back(e);
    }
    return d;
}

void shortlist_service::announce(const event_info& ev, std::string action,
                                 std::int64_t question_id, const std::string& actor) {
    auto entries = audience_.shortlist(ev.id);
    // The change is stored; a shortlist that cannot be read now reaches the streams with the
    // next change (or a reconnect's snapshot).
    if (!entries) return;
    sink_.shortlist_changed({ev.slug, std::move(action), question_id, actor, std::move(*entries)});
}

result<std::vector<shortlist_entry>> shortlist_service::list(const std::string& event_slug) {
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    return audience_.shortlist(ev->id);
}

result<shortlist_entry> shortlist_service::add(const std::string& event_slug,
                                               std::int64_t question_id, const std::string& actor) {
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    auto before = audience_.shortlist(ev->id);
    if (!before) return before.error();
    auto added = audience_.shortlist_add(ev->id, question_id, actor);
    if (!added) return added;
    bool was_there = false;
    for (const shortlist_entry& e : *before) was_there = was_there || e.q.id == question_id;
    if (!was_there) announce(*ev, "added", question_id, actor);
    return added;
}

status shortlist_service::remove(const std::string& event_slug, std::int64_t question_id,
                                 const std::string& actor) {
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    if (status s = audience_.shortlist_remove(ev->id, question_id); !s) return s;
    announce(*ev, "removed", question_id, actor);
    return status::ok();
}

result<shortlist_entry> shortlist_service::edit(const std::string& event_slug,
                                                std::int64_t question_id,
                                                const shortlist_edit_input& in,
                                                const std::string& actor) {
    if (in.note) {
        if (!is_valid_utf8(*in.note)) return invalid("invalid_utf8", "note is not valid UTF-8");
        if (count_code_points(*in.note) > max_note_chars)
            return invalid("invalid_field", "note is longer than " +
                                                std::to_string(max_note_chars) + " characters");
    }
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    shortlist_edit edit{in.note, in.answering_now};
    if (in.answered) {
        // Only an entry on the shortlist is answered from here.
        if (auto listed = audience_.shortlist_update(ev->id, question_id, {}, actor); !listed)
            return listed.error();
        decision_input d;
        d.question_id = question_id;
        d.action = "answer";
        d.actor = actor;
        if (auto decided = questions_.decide(d); !decided) return decided.error();
        if (!edit.answering_now) edit.answering_now = false;
    }
    auto updated = audience_.shortlist_update(ev->id, question_id, edit, actor);
    if (!updated) return updated;
    announce(*ev, in.answered ? "answered" : "updated", question_id, actor);
    return updated;
}

result<std::vector<shortlist_entry>> shortlist_service::reorder(
    const std::string& event_slug, const std::vector<std::int64_t>& order,
    const std::string& actor) {
    if (order.size() > max_order_size)
        return invalid("too_many", "an order names at most " + std::to_string(max_order_size) +
                                       " entries");
    auto ev = events_.find_event(event_slug);
    if (!ev) return ev.error();
    auto entries = audience_.shortlist_reorder(ev->id, order);
    if (!entries) return entries;
    sink_.shortlist_changed({ev->slug, "reordered", 0, actor, *entries});
    return entries;
}

}  // namespace tribune
