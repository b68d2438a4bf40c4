#pragma once
// question_store: questions — the group commit of new ones, reads by id, external identity,
// filtered pages and scans — and the counts per state.
//
// One of the narrow store interfaces (see store.hpp).
// Thread safety: every method may be called from any thread concurrently. Writes are
// serialised inside the implementation; reads do not wait for a write to finish.
// Errors: as documented per method; unavailable when the storage cannot be read or written.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/group_choice.hpp"
#include "core/domain/group_decision.hpp"
#include "core/domain/question.hpp"
#include "core/domain/question_filter.hpp"
#include "core/domain/status.hpp"

namespace tribune {

// Where a page ends, for keyset pagination. `key` is the sort key of the last item
// (severity in thousandths, votes, or for impact its group's members in review); unused for
// newest/oldest. `heat` and `group` are the rest of the impact key (impact_key); `group` is
// 0 for every other order.
struct page_cursor {
    std::int64_t key = 0;
    std::int64_t id = 0;
    std::int64_t heat = 0;
    std::int64_t group = 0;
};

struct question_query {
    std::string event_slug;
    question_filter filter;
    question_sort sort = question_sort::newest;
    std::size_t limit = 50;
    std::optional<page_cursor> after;  // continue after this item
};

struct question_page {
    std::vector<question> items;
    std::optional<page_cursor> next;  // empty when there is no further page
};

// One new question as the scoring worker hands it to the store.
struct question_insert {
    question q;  // scored and triaged; REQUIRES: q.event_id set
    // The whole text's normal form (prepared_text::full), stored for full-text search.
    std::string search_text;
    // The normal form grouping compares (prepared_text::normal, the canonical text's), when it
    // differs from search_text; empty when it is the same. Read back by scan_recent_groups().
    std::string group_text;
    group_choice group;  // decided by the near_duplicate_index, not by the store
    // q.status comes from the group's decision: the audit row says "inherit", not "auto".
    bool inherited = false;
    // q.status is an "auto-decided, unsure" guess (core/triage/unsure_decision.hpp): the audit
    // row says "unsure", and a moderator's decision on the group covers it.
    bool unsure = false;
};

struct insert_outcome {
    question stored;
    bool inserted = true;  // false: an existing question with the same (source, external_id)
};

// One stored question as the near-duplicate index needs it.
struct grouping_row {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
    std::int64_t cluster_id = 0;
    std::string group_text;  // question_insert::group_text as stored, else its search_text
};

// What other processes sharing the database committed to the events of a batch after the
// numbers its caller had accounted for (insert_planned_batch): for a near-duplicate index that
// each process keeps in memory, so that it plans against every earlier commit, its own or not.
struct committed_elsewhere {
    // Per event of the batch whose number was given: the number of its last change committed
    // before this batch (the batch's own new questions take the next numbers, in order).
    std::map<std::int64_t, std::uint64_t> through;
    // The new questions among the changes after the given numbers, in the order of their
    // numbers (this process's own included when it had not accounted for them).
    std::vector<grouping_row> created;
    // The groups a moderator's change among them may have decided, replaced or withdrawn, with
    // their decision as stored now.
    std::vector<group_decision_change> decisions;
};

// The events of a batch, each with the number of its last change the caller has accounted for
// (empty: the caller wants no catch-up for it).
using batch_events = std::map<std::int64_t, std::optional<std::uint64_t>>;

// Chooses what depends on other commits (the rows' groups, and what follows from them) once the
// store ordered the batch after them. Fills the rows it was handed; an error aborts the batch.
using batch_planner = std::function<status(const committed_elsewhere& since)>;

using status_counts = std::map<question_status, std::int64_t>;

// An event's counts per state and, when the store numbers the event's changes (a database
// several instances share), the number of the last change they include (read with them).
struct numbered_counts {
    status_counts counts;
    std::optional<std::uint64_t> through;
};

class question_store {
public:
    virtual ~question_store() = default;

    // Group commit: stores every question of the batch, its spans, its group (as chosen in
    // `group`) and its automatic verdict in the audit trail, in ONE transaction. A question
    // whose (event, source, external_id) already exists — stored, or earlier in the same
    // batch — is not stored again; its outcome carries the existing question with
    // inserted = false. Outcomes are in input order and carry each group's size, members in
    // review and heat after the batch. On error nothing of the batch is stored.
    virtual result<std::vector<insert_outcome>> insert_batch(
        const std::vector<question_insert>& batch) = 0;
    // insert_batch, except that the commit may return before it is durable against a power
    // cut (it survives a crash of the process): it is once make_durable() returned. For a
    // caller that makes several batches durable at once, off the writer's path (the ingest
    // pipeline answers only after make_durable()). Default: insert_batch, durable at once.
    virtual result<std::vector<insert_outcome>> insert_batch_unsynced(
        const std::vector<question_insert>& batch) {
        return insert_batch(batch);
    }
    // insert_batch_unsynced() of `rows` after `plan` ran, in the same order as against other
    // writers. `events`: every event of the rows; `plan` may change the rows' groups and
    // triage (never their number, events or identities) and is called once, before anything
    // is written.
    // For a store several processes share (PostgreSQL), `plan` runs INSIDE the batch's
    // transaction, once it holds each event's numbering lock (the lock every transaction that
    // commits a numbered change of the event takes first: batches, decisions, votes): every
    // change committed before is visible and none commits until this batch did, so two
    // processes' batches of one event are planned one after the other. It gets what committed
    // after the numbers in `events` (committed_elsewhere): nothing, and no extra read, when
    // the caller had accounted for all of it. Two near-duplicates posted at once to two
    // processes thus end in one group.
    // Default (a store one process owns; its caller serialises its batches): plan({}), then
    // insert_batch_unsynced(rows). Errors: plan's; insert_batch's.
    virtual result<std::vector<insert_outcome>> insert_planned_batch(const batch_events& events,
                                                                     std::vector<question_insert>& rows,
                                                                     const batch_planner& plan) {
        (void)events;
        if (status s = plan(committed_elsewhere{}); !s) return s;
        return insert_batch_unsynced(rows);
    }
    // For a store that numbers each event's changes (a database several processes share): the
    // number of every event's last change; empty for a store that does not.
    virtual result<std::map<std::int64_t, std::uint64_t>> last_change_numbers() {
        return std::map<std::int64_t, std::uint64_t>{};
    }
    // Returns once every batch insert_batch_unsynced() committed before the call is durable.
    // Any thread. Errors: the store's (storage_error). Default: nothing to wait for.
    virtual status make_durable() { return status::ok(); }

    // Errors: not_found (code "question_not_found").
    virtual result<question> get_question(std::int64_t id) = 0;
    // Looks up a question by its external identity (for idempotent retries).
    virtual result<std::optional<question>> find_external(std::int64_t event_id,
                                                          const std::string& source,
                                                          const std::string& external_id) = 0;
    // Errors: not_found (code "event_not_found").
    virtual result<question_page> list_questions(const question_query& q) = 0;
    // Every state of question_status, with 0 for the states no question of the event is in.
    virtual result<status_counts> count_by_status(std::int64_t event_id) = 0;
    // count_by_status() with the number of the event's last change the counts include, read
    // in the same snapshot, for a store that numbers changes. Default: no number.
    virtual result<numbered_counts> count_by_status_numbered(std::int64_t event_id) {
        auto counts = count_by_status(event_id);
        if (!counts) return counts.error();
        return numbered_counts{std::move(*counts), std::nullopt};
    }
    // Calls `f` for every question of the event, oldest first, without spans.
    virtual status scan_questions(std::int64_t event_id,
                                  const std::function<void(const question&)>& f) = 0;
    // Calls `f` for the `limit` most recently stored questions of all events, oldest first
    // (the near-duplicate index's window, rebuilt at start).
    virtual status scan_recent_groups(std::size_t limit,
                                      const std::function<void(const grouping_row&)>& f) = 0;
    // Calls `f` with the identity (event id, source or "", external id) of every stored
    // question that has an external id, in no particular order (ingest's external_id_filter,
    // filled at start; the views passed live only for the call).
    using external_id_visitor =
        std::function<void(std::int64_t event_id, std::string_view source, std::string_view external_id)>;
    virtual status scan_external_ids(const external_id_visitor& f) = 0;
    // Calls `f` for every group of every event that has a decision (group_decision.hpp).
    virtual status scan_group_decisions(const std::function<void(const group_decision&)>& f) = 0;

    // For an index fed by other processes' commits (a shared database): the grouping row of
    // question `id` (as scan_recent_groups reads it); empty when there is no such question.
    virtual result<std::optional<grouping_row>> grouping_of(std::int64_t id) = 0;
    // The decision of group `cluster_id` as stored now (group_decision.hpp); empty when it
    // has none (never decided, withdrawn, or no such group).
    virtual result<std::optional<group_decision>> group_decision_of(std::int64_t cluster_id) = 0;
};

}  // namespace tribune
