#pragma once
// moderation_query: the read side of moderation — what a moderator's screen, the live
// stream's snapshots and the operator's gauges show: pages of questions, one question, its
// audit trail, the events, and the exact counts per state. A small use case over the
// store's list and count methods, so the server never reads the store itself for a view;
// no JSON, no HTTP.
//
// Ownership: borrows the store, which must outlive it.
// Thread safety: every method may be called from any thread (the store's contract). It
// holds no lock of its own, so a caller must not hold one either while it waits on the
// database (the broadcast hub reads counts outside its mutex).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/status.hpp"
#include "core/store/store.hpp"

namespace tribune {

// An event with its questions counted per state.
struct event_counts {
    event_info event;
    status_counts counts;
    // The number of the event's last change the counts include, when the store numbers
    // changes (question_store::count_by_status_numbered).
    std::optional<std::uint64_t> through;
};

// The review queue as the per-change stream's snapshot shows it.
struct review_queue {
    status_counts counts;         // every question of the event, per state
    std::vector<question> items;  // pending and held, newest first
};

class moderation_query {
  public:
    explicit moderation_query(store& db) : db_(db) {}

    // A page of an event's questions. Errors: not_found (event_not_found).
    result<question_page> page(const question_query& q);
    // Errors: not_found (question_not_found).
    result<question> question_by_id(std::int64_t id);
    // Oldest first. Errors: not_found.
    result<std::vector<decision_record>> decisions(std::int64_t question_id);

    result<std::vector<event_info>> events();
    // Errors: not_found (event_not_found).
    result<event_info> event(const std::string& slug);
    // Errors: not_found (event_not_found).
    result<event_counts> counts(const std::string& slug);
    // The event's settings (who sees what beyond the moderators). Errors: not_found
    // (event_not_found).
    result<event_settings> settings(std::int64_t event_id);
    // Every event with its counts; an event whose counts cannot be read is left out.
    result<std::vector<event_counts>> counts_by_event();

    // The first `limit` questions waiting for a moderator (pending and held, newest first)
    // and the event's counts. Errors: not_found (event_not_found), unavailable.
    result<review_queue> review(const std::string& slug, std::size_t limit);

  private:
    store& db_;
};

}  // namespace tribune
