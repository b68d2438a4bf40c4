#pragma once
// webhook_store: outbound webhooks per event, their outbox and their delivery log. One of the
// narrow store interfaces (store.hpp), kept apart from the `store` aggregate.
//
// The outbox is filled by the store itself, inside the transaction that writes a question's
// audit row (webhook_service.hpp says why there): a committed creation or decision is never
// lost, even to a crash, and an event without an enabled hook costs the ingest path nothing.
// A delivery leaves the outbox only when record_attempts() says it was delivered
// (at-least-once).
//
// Thread safety: every method may be called from any thread concurrently.
// Errors: not_found (code "webhook_not_found") for an unknown hook; unavailable when the
// database cannot be written.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/domain/question.hpp"
#include "core/domain/status.hpp"

namespace tribune {

struct webhook {
    std::int64_t id = 0;
    std::int64_t event_id = 0;
    std::string event_slug;
    std::string url;
    std::string secret;               // signs each body; shown to the admin who creates it
    std::vector<std::string> events;  // subscribed types, e.g. "question.created"
    std::string created_by;
    timestamp_ms created_at = 0;
    std::optional<timestamp_ms> disabled_at;  // empty: enabled
    std::string disabled_reason;
    std::int64_t consecutive_failures = 0;
    timestamp_ms next_attempt_at = 0;  // backoff: no attempt before this
};

struct new_webhook {
    std::int64_t event_id = 0;
    std::string url;
    std::string secret;
    std::vector<std::string> events;
    std::string created_by;
    timestamp_ms created_at = 0;
};

// Members present replace the hook's. enabled = true re-enables a disabled hook and resets
// its failure count; enabled = false disables it (reason "disabled by an admin").
struct webhook_update {
    std::optional<std::string> url;
    std::optional<std::vector<std::string>> events;
    std::optional<bool> enabled;
    std::optional<std::string> secret;
    timestamp_ms at = 0;
};

// A delivery owed, with what is needed to send it.
struct pending_delivery {
    std::int64_t outbox_id = 0;
    std::string delivery_id;
    std::int64_t hook_id = 0;
    std::string url;
    std::string secret;
    std::string event_slug;
    std::string type;  // a webhook_event's name: question.created | ...verdict_changed | ...answered
    std::int64_t question_id = 0;
    decision_record cause;  // the audit row: from, to, actor, at
    std::int64_t attempts = 0;             // made so far
    std::int64_t hook_failures = 0;        // the hook's consecutive failures before this one
};

// One row of the delivery log.
struct webhook_attempt {
    std::int64_t id = 0;
    std::int64_t hook_id = 0;
    std::string delivery_id;
    std::string type;
    std::int64_t question_id = 0;
    std::int64_t attempt = 1;
    timestamp_ms at = 0;
    std::optional<int> http_status;  // empty: no HTTP answer
    std::string error;
    std::int64_t duration_ms = 0;
    std::optional<std::int64_t> retry_in_ms;  // the backoff chosen after a failure
    std::string outcome;  // delivered | failed | hook_disabled
};

// The result of one attempt and what it does to the hook (decided by webhook_service).
struct attempt_record {
    std::int64_t outbox_id = 0;
    webhook_attempt log;
    bool delivered = false;  // remove from the outbox; else count the attempt
    std::int64_t hook_failures = 0;
    timestamp_ms hook_next_attempt_at = 0;
    std::optional<std::string> disable_reason;  // set: disable the hook now
};

class webhook_store {
public:
    virtual ~webhook_store() = default;

    virtual result<webhook> create_webhook(const new_webhook& w) = 0;
    // Every hook, or the event's; by id.
    virtual result<std::vector<webhook>> list_webhooks(std::optional<std::int64_t> event_id) = 0;
    virtual result<webhook> get_webhook(std::int64_t id) = 0;
    virtual result<webhook> update_webhook(std::int64_t id, const webhook_update& u) = 0;
    // Removes the hook, its outbox and its log.
    virtual status delete_webhook(std::int64_t id) = 0;

    // For each enabled hook not in `busy` whose backoff has passed at `now`, its oldest owed
    // delivery; at most `limit`.
    virtual result<std::vector<pending_delivery>> due_deliveries(timestamp_ms now,
                                                                 const std::set<std::int64_t>& busy,
                                                                 std::size_t limit) = 0;
    // Applies attempts in one transaction: log rows, outbox, hook state.
    virtual status record_attempts(const std::vector<attempt_record>& rs) = 0;
    // Gives up this process's claim on `hook_ids` (due_deliveries() handed them out; their
    // attempts were abandoned, e.g. at shutdown): another instance, or this one restarted, may
    // deliver them at once rather than when the claim expires. Their deliveries stay owed.
    // Stores that one process owns keep no claims: nothing to release.
    virtual status release_claims(const std::set<std::int64_t>& hook_ids) {
        (void)hook_ids;
        return status::ok();
    }
    // Owed deliveries per hook (hooks with none are absent).
    virtual result<std::map<std::int64_t, std::int64_t>> backlog() = 0;
    // Disables a hook whatever its state (e.g. a backlog over the limit).
    virtual status disable_webhook(std::int64_t id, const std::string& reason, timestamp_ms at) = 0;
    // The hook's log, newest first, with ids below `before_id` (0: from the newest).
    virtual result<std::vector<webhook_attempt>> list_attempts(std::int64_t hook_id,
                                                               std::int64_t before_id,
                                                               std::size_t limit) = 0;
    // Keeps the newest `keep` log rows of each hook.
    virtual status prune_attempts(std::size_t keep) = 0;
};

}  // namespace tribune
