#pragma once
// webhook_service: outbound webhooks per event — the admin's use cases (create, list, change,
// delete, read the delivery log) and the delivery rules the server's dispatcher follows.
//
// Delivery (docs/api.md "Webhooks"):
// - At least once. The outbox is filled inside the transaction that commits the change (see
//   below), so it survives restarts and crashes; a delivery leaves it only after a 2xx
//   answer. Every attempt of a delivery carries the same delivery id.
// - In order per hook, one attempt in flight per hook. After a failure the hook waits
//   retry_delay(n) before its next attempt: base, 2 base, 4 base ... capped at max_backoff.
// - After disable_after consecutive failures, or a backlog over max_backlog, the hook is
//   disabled; its owed deliveries stay in the outbox and resume when an admin re-enables it.
// - Each body is signed: X-Tribune-Signature: v1=<hex HMAC-SHA256(secret, timestamp "." body)>.
//
// Where the outbox is filled, and why there. Every change of a question's status appends an
// audit row in the transaction that makes it (the group commit of new questions, a decision,
// a bulk decision, an undo), and the store owes the deliveries in that same transaction, next
// to that row (sqlite_store::queue_webhooks, called from the two places that write audit
// rows). So a committed change is never lost and an uncommitted one never announced, and
// nothing waits for a receiver. An earlier version did this with a SQLite trigger on the
// audit trail; a trigger fires on every audit row whether or not the event has a hook, and
// measured 6-11% of the group commit's time per question even with its WHEN clause false
// (bench/outbox_trigger_bench, docs/benchmarks.md "Webhook outbox"). The store instead keeps
// the set of events that have an enabled hook in memory (re-read after every change to the
// webhooks, under the writer's lock), so an event without a hook costs one hash lookup per
// question and no SQL; ingest at 20,000 questions/s pays nothing for webhooks it does not use.
//
// Ownership: borrows the stores. Thread safety: every method is safe from any thread.

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/domain/status.hpp"
#include "core/store/event_store.hpp"
#include "core/store/webhook_store.hpp"

namespace tribune {

struct webhook_options {
    std::chrono::milliseconds base_backoff{1000};
    std::chrono::milliseconds max_backoff{10 * 60 * 1000};
    std::int64_t disable_after = 15;       // consecutive failed attempts
    std::int64_t max_backlog = 10000;      // owed deliveries of one hook
    std::size_t keep_attempts = 1000;      // delivery log rows kept per hook
    std::size_t max_hooks_per_event = 20;
};

struct webhook_input {
    std::string event_slug;
    std::string url;
    std::vector<std::string> events;  // empty: every type
    std::string created_by;
};

// What one attempt came to, as the transport saw it.
struct delivery_outcome {
    std::optional<int> http_status;  // empty: no HTTP answer
    std::string error;               // "" when an answer came
    std::int64_t duration_ms = 0;
    timestamp_ms at = 0;             // when the attempt started
};

class webhook_service {
public:
    webhook_service(event_store& events, webhook_store& hooks, webhook_options options);

    // The wire names of every webhook_event, the default subscription.
    static const std::vector<std::string>& event_types();

    // Errors: invalid_argument (invalid_url, invalid_field, too_many), not_found (event_not_found).
    result<webhook> create(const webhook_input& in);
    // Every hook, or the event's. Errors: not_found (event_not_found).
    result<std::vector<webhook>> list(const std::optional<std::string>& event_slug);
    result<webhook> get(std::int64_t id) { return hooks_.get_webhook(id); }
    // `rotate_secret` makes a new secret (returned in the hook). Errors: as create.
    result<webhook> update(std::int64_t id, webhook_update u, bool rotate_secret);
    status remove(std::int64_t id) { return hooks_.delete_webhook(id); }
    result<std::vector<webhook_attempt>> attempts(std::int64_t hook_id, std::int64_t before_id,
                                                  std::size_t limit);

    // --- the dispatcher's side -----------------------------------------------------------
    result<std::vector<pending_delivery>> due(const std::set<std::int64_t>& busy, std::size_t limit);
    // What an attempt does to the outbox and the hook (backoff, disabling).
    attempt_record judge(const pending_delivery& d, const delivery_outcome& o) const;
    status record(const std::vector<attempt_record>& rs) { return hooks_.record_attempts(rs); }
    // Hooks whose attempts were abandoned (shutdown): see webhook_store::release_claims.
    status release(const std::set<std::int64_t>& hook_ids) { return hooks_.release_claims(hook_ids); }
    // Disables hooks whose backlog is over the limit and trims the delivery log.
    status housekeeping();

    // The wait after the n-th consecutive failure (n >= 1).
    std::chrono::milliseconds retry_delay(std::int64_t failures) const;
    // "v1=" + hex HMAC-SHA256(secret, timestamp + "." + body).
    static std::string signature(std::string_view secret, std::string_view timestamp,
                                 std::string_view body);

private:
    static status check_url(const std::string& url);
    static status check_events(const std::vector<std::string>& events);

    event_store& events_;
    webhook_store& hooks_;
    const webhook_options options_;
};

}  // namespace tribune
