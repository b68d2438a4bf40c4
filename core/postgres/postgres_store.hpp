#pragma once
// postgres_store: the store on a PostgreSQL database (Debian 12's PostgreSQL 15, through
// libpq), for several Tribune instances sharing one database. Implements every narrow store
// interface (store_backend.hpp) with the same behaviour as sqlite_store (the store contract
// tests run against both); the SQL for PostgreSQL lives in core/postgres/, one file per
// concern:
//   postgres_store.cpp        opening, migrations (postgres_migrator), the connection pool
//   pg_rows.{hpp,cpp}         rows into domain values; transactions; shared reads
//   pg_events.cpp             events, policies, settings              (event_store)
//   pg_question_reads.cpp     questions by id, pages, scans, counts   (question_store)
//   pg_question_inserts.cpp   the group commit of new questions       (question_store)
//   pg_question_import.cpp    the questions of a batch written with COPY (prefer_bulk_writes)
//   pg_decisions.cpp          decisions, undo, the audit trail, groups (decision_store)
//   pg_audience.cpp           votes and the shortlist                 (audience_store)
//   pg_access.cpp             tokens and sessions                     (access_store)
//   pg_learning.cpp           labels and resets                       (learning_store)
//   pg_feedback.cpp           suggested scores                        (feedback_store)
//   pg_webhooks.cpp           webhooks, their outbox and log          (webhook_store)
//
// What holds across instances, by the database rather than by a lock in this process:
// idempotency on (event, source, external_id) is a unique index met with ON CONFLICT DO
// NOTHING; a decision locks its question's row (SELECT ... FOR UPDATE) and writes with a
// conditional update on the version it read, so a stale expected_version is a conflict
// whichever instance wrote last; a group's counters are updated in place (row locks).
// Every committed change to a question is announced with NOTIFY on channel
// `tribune_changes` in the same transaction (payload: the question id), for
// pg_change_listener.
//
// Thread safety: all public methods are safe to call concurrently; each call leases one
// connection of the pool for its duration.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/postgres/pg_connection.hpp"
#include "core/store/store_backend.hpp"

namespace tribune {

class postgres_store final : public store_backend {
public:
    // The schema this code reads and writes (migrations/postgresql/ up to this number).
    static constexpr int required_schema_version = 8;
    // The NOTIFY channel of committed question changes.
    static constexpr const char* change_channel = "tribune_changes";

    // Connects `connections` times (at least 1) to `url`, applies the migrations in
    // `migrations_dir` (each in its own transaction with the version table
    // tribune_schema_version, under an advisory lock so that instances starting together
    // migrate once). Errors: unavailable (database_unavailable) when PostgreSQL cannot be
    // reached; (database_outdated) when the migrations do not reach required_schema_version;
    // conflict (database_too_new); internal (migration_failed) naming the file.
    static result<std::unique_ptr<postgres_store>> open(const std::string& url,
                                                        const std::string& migrations_dir,
                                                        std::size_t connections = 4);

    // event_store
    result<event_info> create_event(const new_event& e) override;
    result<event_info> find_event(const std::string& slug) override;
    result<std::vector<event_info>> list_events() override;
    result<event_policy> get_policy(std::int64_t event_id) override;
    result<std::optional<std::pair<std::int64_t, std::int64_t>>> policy_mark() override;
    status save_policy(std::int64_t event_id, const event_policy& p) override;
    result<event_settings> get_settings(std::int64_t event_id) override;
    status save_settings(std::int64_t event_id, const event_settings& s) override;

    // question_store
    result<std::vector<insert_outcome>> insert_batch(
        const std::vector<question_insert>& batch) override;
    // Plans inside the transaction, under the events' numbering locks (question_store.hpp);
    // catches up from event_changes, in one more read, only for an event whose given number is
    // behind its last (pg_question_inserts.cpp).
    result<std::vector<insert_outcome>> insert_planned_batch(const batch_events& events,
                                                             std::vector<question_insert>& rows,
                                                             const batch_planner& plan) override;
    result<std::map<std::int64_t, std::uint64_t>> last_change_numbers() override;
    result<question> get_question(std::int64_t id) override;
    result<std::optional<question>> find_external(std::int64_t event_id, const std::string& source,
                                                  const std::string& external_id) override;
    result<question_page> list_questions(const question_query& q) override;
    result<status_counts> count_by_status(std::int64_t event_id) override;
    result<numbered_counts> count_by_status_numbered(std::int64_t event_id) override;
    status scan_questions(std::int64_t event_id,
                          const std::function<void(const question&)>& f) override;
    status scan_external_ids(const external_id_visitor& f) override;
    status scan_recent_groups(std::size_t limit,
                              const std::function<void(const grouping_row&)>& f) override;
    status scan_group_decisions(const std::function<void(const group_decision&)>& f) override;
    result<std::optional<grouping_row>> grouping_of(std::int64_t id) override;
    result<std::optional<group_decision>> group_decision_of(std::int64_t cluster_id) override;

    // decision_store
    result<decision_outcome> apply_decision(const decision_request& d) override;
    result<std::vector<result<decision_outcome>>> apply_decisions(
        const std::vector<decision_request>& ds) override;
    result<decision_outcome> undo_last(const undo_request& u) override;
    result<std::vector<decision_record>> list_decisions(std::int64_t question_id) override;
    result<std::vector<decision_record>> list_decisions_of(
        const std::vector<std::int64_t>& question_ids) override;

    // audience_store
    result<question> add_vote(std::int64_t question_id, const std::string& voter) override;
    result<std::vector<shortlist_entry>> shortlist(std::int64_t event_id) override;
    result<shortlist_entry> shortlist_add(std::int64_t event_id, std::int64_t question_id,
                                          const std::string& actor) override;
    status shortlist_remove(std::int64_t event_id, std::int64_t question_id) override;
    result<shortlist_entry> shortlist_update(std::int64_t event_id, std::int64_t question_id,
                                             const shortlist_edit& edit,
                                             const std::string& actor) override;
    result<std::vector<shortlist_entry>> shortlist_reorder(
        std::int64_t event_id, const std::vector<std::int64_t>& order) override;

    // access_store
    result<token_info> create_token(const std::string& name, role r,
                                    std::optional<std::int64_t> event_id, const std::string& hash,
                                    const std::string& prefix,
                                    std::optional<token_quota> quota) override;
    result<std::vector<token_info>> list_tokens() override;
    status revoke_token(std::int64_t id) override;
    result<std::optional<token_info>> find_token(const std::string& hash) override;
    result<bool> has_active_admin() override;
    status create_session(const std::string& hash, std::int64_t token_id,
                          timestamp_ms expires_at) override;
    result<std::optional<token_info>> find_session(const std::string& hash,
                                                   timestamp_ms now) override;
    status delete_session(const std::string& hash) override;

    // learning_store
    result<std::vector<label_decision>> label_decisions(std::int64_t event_id,
                                                        std::int64_t after_decision,
                                                        std::size_t limit) override;
    result<std::int64_t> last_decision_id() override;
    // {the latest audit row's id, the sum of the events' reset watermarks} (each only grows).
    result<std::pair<std::int64_t, std::int64_t>> learning_mark() override;
    result<learning_reset> get_learning_reset(std::int64_t event_id) override;
    status save_learning_reset(std::int64_t event_id, const learning_reset& r) override;

    // feedback_store
    result<std::int64_t> add_suggestion(const suggestion& s) override;
    result<std::vector<suggestion>> list_suggestions(std::int64_t after_id,
                                                     std::size_t limit) override;

    // webhook_store
    result<webhook> create_webhook(const new_webhook& w) override;
    result<std::vector<webhook>> list_webhooks(std::optional<std::int64_t> event_id) override;
    result<webhook> get_webhook(std::int64_t id) override;
    result<webhook> update_webhook(std::int64_t id, const webhook_update& u) override;
    status delete_webhook(std::int64_t id) override;
    result<std::vector<pending_delivery>> due_deliveries(timestamp_ms now,
                                                         const std::set<std::int64_t>& busy,
                                                         std::size_t limit) override;
    status record_attempts(const std::vector<attempt_record>& rs) override;
    status release_claims(const std::set<std::int64_t>& hook_ids) override;
    result<std::map<std::int64_t, std::int64_t>> backlog() override;
    status disable_webhook(std::int64_t id, const std::string& reason, timestamp_ms at) override;
    result<std::vector<webhook_attempt>> list_attempts(std::int64_t hook_id, std::int64_t before_id,
                                                       std::size_t limit) override;
    status prune_attempts(std::size_t keep) override;

    // source_store (pg_sources.cpp)
    result<bridge_source> create_source(const new_bridge_source& s) override;
    result<std::vector<bridge_source>> list_sources(std::optional<std::int64_t> event_id) override;
    result<bridge_source> get_source(std::int64_t id) override;
    result<bridge_source> set_source_paused(std::int64_t id, bool paused) override;
    status delete_source(std::int64_t id) override;
    status save_source_cursor(std::int64_t id, const std::string& cursor) override;

    int schema_version() const override { return schema_version_; }
    // A pg_change_listener on its own connection: every change committed to the database.
    std::unique_ptr<change_source> open_change_source() override;
    // Numbers and announces a committed change of a shortlist in a transaction of its own
    // (pg_rows::notify_shortlist). Errors: unavailable.
    status announce_shortlist(const shortlist_change& change);
    // Forgets the numbered changes kept before `before` (a listener down longer than that
    // cannot replay them; its dashboards get snapshots). Errors: unavailable.
    status prune_changes(timestamp_ms before);

    // From now on the group commit writes its questions with COPY into a staging table,
    // then INSERT ... SELECT from it (pg_rows::copy_questions): for `tribune import`. The
    // outcomes, idempotency, groups, audit rows and announcements are those of insert_batch.
    void prefer_bulk_writes() override { bulk_writes_.store(true); }

    // The connection string it was opened with (for a listener's own connection).
    const std::string& url() const { return url_; }

private:
    // A connection from the pool, returned when it goes out of scope; a broken one is
    // reconnected before it is handed out.
    class lease {
    public:
        explicit lease(postgres_store& s) : store_(s), conn_(s.acquire()) {}
        ~lease() { store_.release(std::move(conn_)); }
        lease(const lease&) = delete;
        lease& operator=(const lease&) = delete;
        pg_connection& operator*() { return conn_; }
        pg_connection* operator->() { return &conn_; }

    private:
        postgres_store& store_;
        pg_connection conn_;
    };

    postgres_store() = default;
    // insert_batch (`plan` null) and insert_planned_batch.
    result<std::vector<insert_outcome>> insert_in_order(const batch_events& events,
                                                        const std::vector<question_insert>& rows,
                                                        const batch_planner* plan);
    pg_connection acquire();
    void release(pg_connection c);

    std::string url_;
    std::atomic<bool> bulk_writes_{false};
    std::mutex pool_mutex_;
    std::condition_variable pool_cv_;
    std::vector<pg_connection> pool_;  // GUARDED_BY(pool_mutex_)
    int schema_version_ = 0;
};

}  // namespace tribune
