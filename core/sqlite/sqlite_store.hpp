#pragma once
// sqlite_store: the embedded default store, SQLite in WAL mode. Implements every narrow
// store interface (store.hpp); all of Tribune's SQL lives in core/sqlite/.
//
// One writer connection behind a mutex (SQLite allows one writer at a time anyway) and a
// small pool of reader connections, so reads proceed while a group commit runs. The
// implementation is split by concern, one file each:
//   sqlite_store.cpp            opening, migrations, the connection pool
//   sqlite_rows.{hpp,cpp}       reading rows into domain values; transactions
//   sqlite_events.cpp           events, their policies and settings  (event_store)
//   sqlite_question_reads.cpp   questions by id, pages, scans, counts (question_store)
//   sqlite_question_query.cpp   the SQL of a filtered, sorted page
//   sqlite_question_inserts.cpp the group commit of new questions    (question_store)
//   sqlite_decisions.cpp        decisions, undo, the audit trail     (decision_store)
//   sqlite_group_decisions.cpp  a decision's effect on its group (issue 10)
//   sqlite_audience.cpp         votes                                (audience_store)
//   sqlite_shortlist.cpp        the executives' shortlist            (audience_store)
//   sqlite_access.cpp           tokens and sessions                  (access_store)
//   sqlite_learning.cpp         labels for the event correction      (learning_store)
//   sqlite_feedback.cpp         suggested scores                     (feedback_store)
//   sqlite_webhooks.cpp         webhooks, their outbox and log       (webhook_store)
//   sqlite_sources.cpp          social-network sources per event     (source_store)
//
// Thread safety: all public methods are safe to call concurrently.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/sqlite/migrator.hpp"
#include "core/sqlite/sqlite_connection.hpp"
#include "core/sqlite/sqlite_statement.hpp"
#include "core/sqlite/wal_sync.hpp"
#include "core/store/store_backend.hpp"

namespace tribune {

namespace sqlite_rows {
struct moved_member;
}

class sqlite_store final : public store_backend {
public:
    // The schema this code reads and writes (migrations/ up to this number).
    static constexpr int required_schema_version = 18;

    // Opens or creates the database at `path` (its parent directory is created), applies the
    // migrations in `migrations_dir`. Errors: one-line explanations (newer database,
    // failed migration, unwritable path); unavailable (code "database_outdated") when the
    // migrations directory does not bring the database to required_schema_version (a stale
    // or partial copy of it).
    static result<std::unique_ptr<sqlite_store>> open(const std::string& path,
                                                      const std::string& migrations_dir,
                                                      std::size_t readers = 4);
    // Writes the full-text rows still pending (pending_search_); a failure here is left to
    // the next open() to repair.
    ~sqlite_store() override;

    // event_store
    result<event_info> create_event(const new_event& e) override;
    result<event_info> find_event(const std::string& slug) override;
    result<std::vector<event_info>> list_events() override;
    result<event_policy> get_policy(std::int64_t event_id) override;
    status save_policy(std::int64_t event_id, const event_policy& p) override;
    result<event_settings> get_settings(std::int64_t event_id) override;
    status save_settings(std::int64_t event_id, const event_settings& s) override;

    // question_store
    result<std::vector<insert_outcome>> insert_batch(
        const std::vector<question_insert>& batch) override;
    // Commits with synchronous=NORMAL and leaves the WAL's fsync to make_durable()
    // (wal_sync.hpp); every other transaction of this store keeps synchronous=FULL.
    result<std::vector<insert_outcome>> insert_batch_unsynced(
        const std::vector<question_insert>& batch) override;
    status make_durable() override { return wal_sync_->sync(); }
    result<question> get_question(std::int64_t id) override;
    result<std::optional<question>> find_external(std::int64_t event_id, const std::string& source,
                                                  const std::string& external_id) override;
    result<question_page> list_questions(const question_query& q) override;
    result<status_counts> count_by_status(std::int64_t event_id) override;
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

    // learning_store (sqlite_learning.cpp)
    result<std::vector<label_decision>> label_decisions(std::int64_t event_id,
                                                        std::int64_t after_decision,
                                                        std::size_t limit) override;
    // The statement label_decisions() runs (one `?` each for the watermark, the event and the
    // limit), public so that a test can check its query plan.
    static const std::string& label_decisions_sql();
    result<std::int64_t> last_decision_id() override;
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
    result<std::map<std::int64_t, std::int64_t>> backlog() override;
    status disable_webhook(std::int64_t id, const std::string& reason, timestamp_ms at) override;
    result<std::vector<webhook_attempt>> list_attempts(std::int64_t hook_id, std::int64_t before_id,
                                                       std::size_t limit) override;
    status prune_attempts(std::size_t keep) override;

    // source_store (sqlite_sources.cpp)
    result<bridge_source> create_source(const new_bridge_source& s) override;
    result<std::vector<bridge_source>> list_sources(std::optional<std::int64_t> event_id) override;
    result<bridge_source> get_source(std::int64_t id) override;
    result<bridge_source> set_source_paused(std::int64_t id, bool paused) override;
    status delete_source(std::int64_t id) override;
    status save_source_cursor(std::int64_t id, const std::string& cursor) override;

    int schema_version() const override { return schema_version_; }

private:
    // A reader connection from the pool, returned when it goes out of scope.
    class reader_lease {
    public:
        explicit reader_lease(sqlite_store& s) : store_(s), conn_(s.acquire_reader()) {}
        ~reader_lease() { store_.release_reader(std::move(conn_)); }
        reader_lease(const reader_lease&) = delete;
        reader_lease& operator=(const reader_lease&) = delete;
        sqlite_connection& operator*() { return conn_; }
        sqlite_connection* operator->() { return &conn_; }

    private:
        sqlite_store& store_;
        sqlite_connection conn_;
    };

    sqlite_store() = default;

    // Writes pending_search_ in a transaction of its own. Takes write_mutex_.
    status flush_search_rows();
    // Writes `rows` into questions_fts, in order. REQUIRES: write_mutex_ held, a transaction open.
    status write_search_rows(const std::vector<std::pair<std::int64_t, std::string>>& rows);

    // One decision inside the caller's transaction (sqlite_decisions.cpp), with what it does
    // to its group; the other members it moved are appended to `moved`.
    // REQUIRES: write_mutex_ held and a transaction open.
    result<decision_outcome> apply_one(const decision_request& d,
                                       std::vector<sqlite_rows::moved_member>& moved);
    // Reads the moved members into `into.members` after the commit. REQUIRES: write_mutex_.
    status load_moved(std::vector<sqlite_rows::moved_member>& moved, decision_outcome& into);

    // The webhook outbox (sqlite_webhooks.cpp). queue_webhooks() owes a delivery to every
    // enabled hook of the question's event subscribed to the change the audit row
    // `decision_id` records; for an event without an enabled hook it returns at once, without
    // touching the database. REQUIRES: write_mutex_ held and a transaction open.
    status queue_webhooks(std::int64_t event_id, std::int64_t question_id,
                          std::int64_t decision_id, std::string_view action,
                          std::optional<question_status> from, question_status to);
    // Re-reads which events have an enabled hook, after any change to the webhooks (committed
    // or not). On a failure every event counts as hooked (correct, only slower).
    // REQUIRES: write_mutex_ held, no transaction open.
    void reload_hooked_events();

    // insert_batch's transaction. REQUIRES: write_mutex_ held.
    result<std::vector<insert_outcome>> insert_batch_locked(const std::vector<question_insert>& batch);

    sqlite_connection acquire_reader();
    void release_reader(sqlite_connection c);

    std::mutex write_mutex_;
    sqlite_connection writer_;  // GUARDED_BY(write_mutex_)
    // The events with at least one enabled webhook; empty optional: not known (every event
    // counts). GUARDED_BY(write_mutex_)
    std::optional<std::unordered_set<std::int64_t>> hooked_events_;
    sqlite_statement queue_webhooks_;  // prepared on first use; GUARDED_BY(write_mutex_)
    // Full-text rows (question id, search text) of committed questions that questions_fts does
    // not hold yet, oldest first. FTS5 writes a new index segment at every COMMIT that touched
    // it, 12.5 % of the group commit's time with a segment per batch of ~9 questions
    // (docs/profiles/flood-s12.md); these rows are written together instead: with the group
    // commit that brings them to search_rows_per_write, before any search (list_questions),
    // and when the store closes. What a crash leaves out, open() writes from the questions
    // table: every question up to the largest id questions_fts holds is in it (the rows are
    // written in id order), so those after it are the ones missing. One writing process per
    // database file, as for the group commit. GUARDED_BY(write_mutex_)
    std::vector<std::pair<std::int64_t, std::string>> pending_search_;
    static constexpr std::size_t search_rows_per_write = 512;
    std::unique_ptr<wal_sync> wal_sync_;  // the WAL of the database's file

    std::mutex readers_mutex_;
    std::condition_variable readers_cv_;
    std::vector<sqlite_connection> readers_;  // GUARDED_BY(readers_mutex_)

    int schema_version_ = 0;
};

}  // namespace tribune
