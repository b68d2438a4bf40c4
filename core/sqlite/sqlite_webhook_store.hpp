#pragma once
// sqlite_webhook_store: webhook_store on the database of a sqlite_store (migration 0007).
// The outbox is filled by the trigger webhook_outbox_on_decision, in the transaction of the
// audit row that records each change of a question.
//
// Ownership: borrows the sqlite_store, which outlives it.
// Thread safety: as sqlite_store; all methods are safe from any thread.

#include "core/sqlite/sqlite_store.hpp"
#include "core/store/webhook_store.hpp"

namespace tribune {

class sqlite_webhook_store final : public webhook_store {
public:
    explicit sqlite_webhook_store(sqlite_store& db) : db_(db) {}

    result<webhook> create_webhook(const new_webhook& w) override;
    result<std::vector<webhook>> list_webhooks(std::optional<std::int64_t> event_id) override;
    result<webhook> get_webhook(std::int64_t id) override;
    result<webhook> update_webhook(std::int64_t id, const webhook_update& u) override;
    status delete_webhook(std::int64_t id) override;
    result<std::vector<pending_delivery>> due_deliveries(timestamp_ms now,
                                                         const std::set<std::int64_t>& busy,
                                                         std::size_t limit) override;
    status record_attempts(const std::vector<attempt_record>& rs) override;
    result<std::map<std::int64_t, std::int64_t>> backlog() override;
    status disable_webhook(std::int64_t id, const std::string& reason, timestamp_ms at) override;
    result<std::vector<webhook_attempt>> list_attempts(std::int64_t hook_id, std::int64_t before_id,
                                                       std::size_t limit) override;
    status prune_attempts(std::size_t keep) override;

private:
    sqlite_store& db_;
};

}  // namespace tribune
