#pragma once
// store: durable storage of events, questions and the audit trail. The embedded default
// is sqlite_store; a PostgreSQL backend implements the same interface.
//
// Thread safety: every method may be called from any thread concurrently. Writes are
// serialised inside the implementation; reads do not block on writes (WAL).
// Errors: not_found, conflict, invalid_argument as documented per method; unavailable
// when the database cannot be written (disk full, read-only, busy too long).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/question_filter.hpp"
#include "core/domain/role.hpp"
#include "core/triage/triage_policy.hpp"
#include "core/domain/status.hpp"

namespace tribune {

struct new_event {
    std::string slug;
    std::string title;
    bool premoderate = false;
};

// Where a page ends, for keyset pagination. `key` is the sort key of the last item
// (severity in thousandths, or votes); unused for newest/oldest.
struct page_cursor {
    std::int64_t key = 0;
    std::int64_t id = 0;
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

struct insert_outcome {
    question stored;
    bool inserted = true;  // false: an existing question with the same (source, external_id)
};

struct decision_request {
    std::int64_t question_id = 0;
    question_status to = question_status::pending;
    std::string action;  // approve | reject | hold
    std::string actor;
    std::string reason;
    std::optional<std::int64_t> expected_version;  // stale -> conflict
    // The states this decision may start from; empty: any. Otherwise conflict
    // (code "invalid_transition").
    std::vector<question_status> allowed_from;
    // When set, a question of another event counts as not found.
    std::optional<std::int64_t> event_id;
};

struct decision_outcome {
    question updated;
    question_status from = question_status::pending;
    bool changed = true;  // false when the question already had the target status
};

// One question on an event's shortlist.
struct shortlist_entry {
    question q;
    std::string added_by;
    timestamp_ms added_at = 0;
};

using status_counts = std::map<question_status, std::int64_t>;

// An event's triage settings as an admin edits them.
struct event_policy {
    triage_policy thresholds = triage_policy::defaults();
    bool premoderate = false;
    std::vector<std::string> banned;   // terms that auto-reject
    std::vector<std::string> suspect;  // terms that hold for review
};

struct undo_request {
    std::int64_t question_id = 0;
    std::string actor;
    timestamp_ms window_ms = 60'000;  // how long after a decision it can be undone
};

class store {
public:
    virtual ~store() = default;

    // Errors: conflict (code "event_exists") when the slug is taken.
    virtual result<event_info> create_event(const new_event& e) = 0;
    // Errors: not_found (code "event_not_found").
    virtual result<event_info> find_event(const std::string& slug) = 0;
    virtual result<std::vector<event_info>> list_events() = 0;
    virtual result<status_counts> count_by_status(std::int64_t event_id) = 0;

    // Group commit: stores every question of the batch, its spans and its automatic
    // verdict in the audit trail, in ONE transaction. A question whose (event, source,
    // external_id) already exists — in the database or earlier in the same batch — is not
    // stored again; its outcome carries the existing question with inserted = false.
    // Outcomes are in input order. On error nothing of the batch is stored.
    // REQUIRES: each question has event_id set.
    virtual result<std::vector<insert_outcome>> insert_batch(const std::vector<question>& qs) = 0;

    // Errors: not_found (code "question_not_found").
    virtual result<question> get_question(std::int64_t id) = 0;
    // Looks up a question by its external identity (for idempotent retries).
    virtual result<std::optional<question>> find_external(std::int64_t event_id,
                                                          const std::string& source,
                                                          const std::string& external_id) = 0;
    // Errors: not_found (code "event_not_found").
    virtual result<question_page> list_questions(const question_query& q) = 0;

    // Changes the status and appends to the audit trail in one transaction.
    // Errors: not_found; conflict (code "version_conflict") when expected_version is stale.
    virtual result<decision_outcome> apply_decision(const decision_request& d) = 0;
    // Bulk: every request in ONE transaction. Each item is its own outcome or error
    // (not_found, version_conflict); a storage error fails the whole call.
    virtual result<std::vector<result<decision_outcome>>> apply_decisions(
        const std::vector<decision_request>& ds) = 0;
    // Reverts the actor's own last decision on a question when it is still the latest
    // change and younger than the window; appends an "undo" audit row.
    // Errors: not_found; conflict (code "undo_unavailable") saying why not.
    virtual result<decision_outcome> undo_last(const undo_request& u) = 0;
    // Oldest first. Errors: not_found.
    virtual result<std::vector<decision_record>> list_decisions(std::int64_t question_id) = 0;

    // Errors: not_found (event_not_found).
    virtual result<event_policy> get_policy(std::int64_t event_id) = 0;
    // Replaces the event's thresholds, pre-moderation flag and word lists in one transaction.
    virtual status save_policy(std::int64_t event_id, const event_policy& p) = 0;
    // Calls `f` for every question of the event, oldest first, without spans.
    virtual status scan_questions(std::int64_t event_id,
                                  const std::function<void(const question&)>& f) = 0;

    // One vote per voter. Errors: not_found; conflict (code "not_votable") unless the
    // question is approved or answered. Returns the question with its vote count.
    virtual result<question> add_vote(std::int64_t question_id, const std::string& voter) = 0;

    // The event's shortlist: questions an executive chose to answer, oldest addition first.
    // Adding one already there changes nothing. Errors: not_found (question_not_found, also
    // for a question of another event); conflict (code "not_shortlistable") unless it is
    // approved or answered.
    virtual result<shortlist_entry> shortlist_add(std::int64_t event_id, std::int64_t question_id,
                                                  const std::string& actor) = 0;
    // Errors: not_found (code "not_on_shortlist").
    virtual status shortlist_remove(std::int64_t event_id, std::int64_t question_id) = 0;
    virtual result<std::vector<shortlist_entry>> shortlist(std::int64_t event_id) = 0;

    // Access tokens: only the SHA-256 of a token is stored.
    virtual result<token_info> create_token(const std::string& name, role r,
                                            std::optional<std::int64_t> event_id,
                                            const std::string& hash, const std::string& prefix) = 0;
    virtual result<std::vector<token_info>> list_tokens() = 0;
    // Errors: not_found (code "token_not_found").
    virtual status revoke_token(std::int64_t id) = 0;
    // The token with this hash, revoked or not; empty when unknown.
    virtual result<std::optional<token_info>> find_token(const std::string& hash) = 0;
    virtual result<bool> has_active_admin() = 0;
    // Browser sessions, by the hash of their secret.
    virtual status create_session(const std::string& hash, std::int64_t token_id,
                                  timestamp_ms expires_at) = 0;
    // The session's token when the session exists, has not expired at `now`, and its token
    // is not revoked; empty otherwise.
    virtual result<std::optional<token_info>> find_session(const std::string& hash,
                                                           timestamp_ms now) = 0;
    virtual status delete_session(const std::string& hash) = 0;
};

}  // namespace tribune
