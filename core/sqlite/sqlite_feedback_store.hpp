#pragma once
// sqlite_feedback_store: feedback_store (suggested scores) and token_quota_store (per-key
// quotas) on the database of a sqlite_store (tables of migration 0007).
//
// Ownership: borrows the sqlite_store, which outlives it.
// Thread safety: as sqlite_store; all methods are safe from any thread.

#include "core/sqlite/sqlite_store.hpp"
#include "core/store/feedback_store.hpp"
#include "core/store/token_quota_store.hpp"

namespace tribune {

class sqlite_feedback_store final : public feedback_store, public token_quota_store {
public:
    explicit sqlite_feedback_store(sqlite_store& db) : db_(db) {}

    result<std::int64_t> add_suggestion(const suggestion& s) override;
    result<std::vector<suggestion>> list_suggestions(std::int64_t after_id,
                                                     std::size_t limit) override;
    status set_token_quota(std::int64_t token_id, const std::optional<token_quota>& q) override;

private:
    sqlite_store& db_;
};

}  // namespace tribune
