// sqlite_store as a learning_store: the labels of the per-event correction (the moderators'
// rows of the audit trail) and its resets (table event_learning, migration 0009).

#include <string>

#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"

namespace tribune {

using namespace sqlite_rows;

namespace {

// The audit actions that are labels, as an SQL list: ('approve', 'reject', ...).
std::string label_action_list() {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "'" + std::string(a).
    std::string out = "(";
    for (std::string_view a : label_actions) {
        if (out.size() > 1) out += ", ";
        out += '\'';
        out += a;
        out += '\'';
    }
    out += ')';
    return out;
}

status event_exists(sqlite_connection& db, std::int64_t event_id) {
    auto st = db.prepare("SELECT 1 FROM events WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, event_id);
    const int rc = st->step();
    if (rc == SQLITE_DONE)
        return status::error(error_kind::not_found, "event_not_found", "no such event");
    if (rc != SQLITE_ROW) return db.last_error("read event");
    return status::ok();
}

}  // namespace

const std::string& sqlite_store::label_decisions_sql() {
    // Walks people's audit rows by id from the watermark (index decisions_by_people, 0017),
    // then each row's question by key, so a refresh after a few decisions reads a few rows
    // whatever the size of the event. CROSS JOIN keeps that order: without statistics the
    // planner would start from the event's questions (every one of them) instead.
    static const std::string sql =
        "SELECT d.id, d.question_id, coalesce(q.cluster_id, q.id), d.action, q.text "
        "FROM decisions d CROSS JOIN questions q ON q.id = d.question_id "
        "WHERE d.id > ? AND q.event_id = ? AND d.actor <> 'triage' AND d.action IN " +
        label_action_list() + " ORDER BY d.id LIMIT ?";
    return sql;
}

result<std::vector<label_decision>> sqlite_store::label_decisions(std::int64_t event_id,
                                                                  std::int64_t after_decision,
                                                                  std::size_t limit) {
    reader_lease db(*this);
    auto st = db->prepare(label_decisions_sql());
    if (!st) return st.error();
    st->bind(1, after_decision);
    st->bind(2, event_id);
    st->bind(3, static_cast<std::int64_t>(limit));
    std::vector<label_decision> out;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW)
        out.push_back({st->column_int(0), st->column_int(1), st->column_int(2), st->column_text(3),
                       st->column_text(4)});
    if (rc != SQLITE_DONE) return db->last_error("read label decisions");
    return out;
}

result<std::int64_t> sqlite_store::last_decision_id() {
    reader_lease db(*this);
    auto st = db->prepare("SELECT coalesce(max(id), 0) FROM decisions");
    if (!st) return st.error();
    if (st->step() != SQLITE_ROW) return db->last_error("read last decision");
    return st->column_int(0);
}

result<learning_reset> sqlite_store::get_learning_reset(std::int64_t event_id) {
    reader_lease db(*this);
    if (status s = event_exists(*db, event_id); !s) return s;
    auto st = db->prepare(
        "SELECT reset_after, reset_at, reset_by FROM event_learning WHERE event_id = ?");
    if (!st) return st.error();
    st->bind(1, event_id);
    const int rc = st->step();
    if (rc == SQLITE_DONE) return learning_reset{};
    if (rc != SQLITE_ROW) return db->last_error("read learning reset");
    return learning_reset{st->column_int(0), st->column_int(1), st->column_text(2)};
}

status sqlite_store::save_learning_reset(std::int64_t event_id, const learning_reset& r) {
    std::lock_guard lock(write_mutex_);
    if (status s = event_exists(writer_, event_id); !s) return s;
    auto st = writer_.prepare(
        "INSERT INTO event_learning (event_id, reset_after, reset_at, reset_by) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (event_id) DO UPDATE SET reset_after = excluded.reset_after, "
        "reset_at = excluded.reset_at, reset_by = excluded.reset_by");
    if (!st) return st.error();
    st->bind(1, event_id);
    st->bind(2, r.after_decision);
    st->bind(3, r.at);
    st->bind(4, std::string_view(r.by));
    return step_done(writer_, *st, "save learning reset");
}

}  // namespace tribune
