#pragma once
// memory_store: every store interface of `store`, and feedback_store, kept in memory, for the
// tests of the services that do not test SQL (tests/core/question_service_test.cpp,
// access_service_test.cpp, perspective_core_test.cpp). Behaves as
// sqlite_store does, down to error codes and messages, with these documented differences:
//  - search (question_filter::search) is question_filter::matches(): every search word must be
//    a word of the question's normalised text (a word ending in '*' a prefix of one), where
//    SQLite's FTS5 tokenises the stored normal form; the two agree on the tested cases;
//  - the score range compares the stored floats exactly, where SQL allows 1e-7 either side;
//  - nothing is durable and nothing ever fails for want of space.
// A fresh memory_store holds the event "demo", as a fresh database does (migration 0001).
//
// The implementation is split: memory_store.cpp (events, questions, decisions, votes, access)
// and memory_shortlist.cpp (the shortlist).
//
// Not final: a test derives from it to make one method fail (a full disk, say).
// Thread safety: every method is safe from any thread (one mutex around everything).

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/store/feedback_store.hpp"
#include "core/store/store.hpp"

namespace tribune {

class memory_store : public store, public feedback_store {
public:
    memory_store();

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

    // learning_store (memory_store_learning.cpp)
    result<std::vector<label_decision>> label_decisions(std::int64_t event_id,
                                                        std::int64_t after_decision,
                                                        std::size_t limit) override;
    result<std::int64_t> last_decision_id() override;
    result<learning_reset> get_learning_reset(std::int64_t event_id) override;
    status save_learning_reset(std::int64_t event_id, const learning_reset& r) override;
    // feedback_store
    result<std::int64_t> add_suggestion(const suggestion& s) override;
    result<std::vector<suggestion>> list_suggestions(std::int64_t after_id,
                                                     std::size_t limit) override;

private:
    struct event_row {
        event_info info;
        event_policy policy;  // premoderate lives in info
        event_settings settings;
    };
    struct question_row {
        question q;  // as stored: cluster_id set, cluster_size, _review and _heat unused
        std::string search_text;
        std::string group_text;
    };
    struct group_row {
        std::int64_t size = 0;
        std::int64_t review = 0;  // members pending or held
        std::int64_t heat = 0;
        std::optional<group_decision> decision;
    };
    struct shortlist_row {
        std::int64_t event_id = 0;
        std::int64_t question_id = 0;
        std::string added_by;
        timestamp_ms added_at = 0;
        std::int64_t position = 0;
        std::string note;
        std::string note_by;
        timestamp_ms note_at = 0;
        std::optional<timestamp_ms> answering_since;
    };
    struct token_row {
        token_info info;  // event_slug resolved when read
        std::string hash;
    };
    struct session_row {
        std::int64_t token_id = 0;
        timestamp_ms expires_at = 0;
    };

    // Everything below REQUIRES: mutex_ held.
    event_row* event_by_id(std::int64_t id);
    const event_row* event_by_slug(const std::string& slug) const;
    question read(const question_row& r, bool with_spans = true) const;
    const question_row* external(std::int64_t event_id, const std::string& source,
                                 const std::string& external_id) const;
    question_row store_new(const question_insert& in, const std::vector<insert_outcome>& done,
                           timestamp_ms now);
    result<decision_outcome> apply_one(const decision_request& d);
    // What d (applied to q, which came from `from`) does to q's group: sqlite_group_decisions.
    void follow_group(const decision_request& d, const question& q, decision_outcome& out);
    // Moves a member for its group (an audit row by "triage"); appends it to out.members.
    void move_member(question_row& r, question_status to, std::string_view action,
                     std::string verdict, timestamp_ms now, decision_outcome& out);
    token_info read(const token_row& t) const;
    // The event's rows in the executives' order; `listed_only`: those whose question is public.
    std::vector<shortlist_row*> shortlist_rows(std::int64_t event_id, bool listed_only);
    std::vector<shortlist_entry> shortlist_of(std::int64_t event_id);
    shortlist_row* listed_row(std::int64_t event_id, std::int64_t question_id);

    mutable std::mutex mutex_;
    std::int64_t next_event_id_ = 1;
    std::int64_t next_question_id_ = 1;
    std::int64_t next_decision_id_ = 1;
    std::int64_t next_token_id_ = 1;
    std::map<std::int64_t, event_row> events_;
    std::map<std::int64_t, question_row> questions_;
    std::map<std::int64_t, group_row> groups_;
    std::vector<decision_record> decisions_;
    std::set<std::pair<std::int64_t, std::string>> votes_;
    std::vector<shortlist_row> shortlist_;
    std::map<std::int64_t, token_row> tokens_;
    std::map<std::string, session_row> sessions_;
    std::map<std::int64_t, learning_reset> learning_resets_;
    std::vector<suggestion> suggestions_;  // ids ascending from 1
};

}  // namespace tribune
