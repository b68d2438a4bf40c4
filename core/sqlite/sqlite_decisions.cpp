// sqlite_store as a decision_store: moderators' decisions, bulk, undo, the audit trail, and
// the group decisions they leave (sqlite_group_decisions.cpp does the group's part).

#include "core/sqlite/sqlite_group_decisions.hpp"
#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace sqlite_rows;

namespace {

constexpr std::string_view decision_columns =
    "SELECT id, question_id, actor, action, from_status, to_status, reason, at FROM decisions ";

// Appends every row `st` yields (decision_columns) to `out`.
status read_decisions(sqlite_connection& db, sqlite_statement& st, std::vector<decision_record>& out) {
    int rc;
    while ((rc = st.step()) == SQLITE_ROW) {
        decision_record d;
        d.id = st.column_int(0);
        d.question_id = st.column_int(1);
        d.actor = st.column_text(2);
        d.action = st.column_text(3);
        if (!st.column_is_null(4)) d.from = status_from_string(st.column_text(4));
        d.to = status_from_string(st.column_text(5)).value_or(question_status::pending);
        d.reason = st.column_text(6);
        d.at = st.column_int(7);
        out.push_back(std::move(d));
    }
    if (rc != SQLITE_DONE) return db.last_error("list decisions");
    return status::ok();
}

// A failure that aborts a whole bulk transaction (a per-item refusal does not).
bool is_storage_failure(const status& s) {
    return s.kind() == error_kind::unavailable || s.kind() == error_kind::internal;
}

// Writes the new status and its audit row (the last row inserted). REQUIRES: a transaction
// open on `db`.
status write_decision(sqlite_connection& db, const decision_request& d, question_status from) {
    const timestamp_ms now = now_ms();
    auto upd = db.prepare(
        "UPDATE questions SET status = ?, version = version + 1, updated_at = ? WHERE id = ?");
    if (!upd) return upd.error();
    upd->bind(1, to_string(d.to));
    upd->bind(2, now);
    upd->bind(3, d.question_id);
    if (status s = step_done(db, *upd, "update question"); !s) return s;
    auto ins = db.prepare(
        "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!ins) return ins.error();
    ins->bind(1, d.question_id);
    ins->bind(2, std::string_view(d.actor));
    ins->bind(3, std::string_view(d.action));
    ins->bind(4, to_string(from));
    ins->bind(5, to_string(d.to));
    ins->bind(6, std::string_view(d.reason));
    ins->bind(7, now);
    return step_done(db, *ins, "insert audit row");
}

}  // namespace

result<decision_outcome> sqlite_store::apply_one(const decision_request& d,
                                                 std::vector<moved_member>& moved) {
    auto cur = writer_.prepare(
        "SELECT q.status, q.version, q.event_id, coalesce(q.cluster_id, q.id), "
        "e.inherit_group_decisions FROM questions q JOIN events e ON e.id = q.event_id "
        "WHERE q.id = ?");
    if (!cur) return cur.error();
    cur->bind(1, d.question_id);
    int rc = cur->step();
    if (rc == SQLITE_DONE || (rc == SQLITE_ROW && d.event_id && cur->column_int(2) != *d.event_id))
        return decision_target_missing(d);
    if (rc != SQLITE_ROW) return writer_.last_error("read question");
    const std::int64_t event_id = cur->column_int(2);
    decision_outcome out;
    out.from = status_from_string(cur->column_text(0)).value_or(question_status::pending);
    const group_ref group{cur->column_int(2), cur->column_int(3), cur->column_int(4) != 0};
    auto apply = check_transition(d, out.from, cur->column_int(1));
    if (!apply) return apply.error();
    if (!*apply) {
        out.changed = false;
        return out;
    }
    if (status s = write_decision(writer_, d, out.from); !s) return s;
    const std::int64_t decision_id = sqlite3_last_insert_rowid(writer_.get());
    const std::size_t moved_before = moved.size();
    if (status s = count_review(writer_, group.cluster, out.from, d.to); !s) return s;
    if (status s = follow_group(writer_, d, group, out, moved); !s) return s;
    if (status s = queue_webhooks(event_id, d.question_id, decision_id, d.action, out.from, d.to); !s)
        return s;
    // The members the group's decision moved change their verdict too.
    for (std::size_t i = moved_before; i < moved.size(); ++i) {
        const sqlite_rows::moved_member& m = moved[i];
        if (status s = queue_webhooks(event_id, m.id, m.decision_id, m.action, m.from, m.to); !s)
            return s;
    }
    return out;
}

status sqlite_store::load_moved(std::vector<moved_member>& moved, decision_outcome& into) {
    for (const moved_member& m : moved) {
        auto q = load_question(writer_, m.id);
        if (!q) return q.error();
        into.members.emplace_back(std::move(q.value()), m.from);
    }
    moved.clear();
    return status::ok();
}

result<decision_outcome> sqlite_store::apply_decision(const decision_request& d) {
    std::lock_guard lock(write_mutex_);
    std::vector<moved_member> moved;
    auto r = in_transaction<decision_outcome>(writer_, [&] { return apply_one(d, moved); });
    if (!r) return r;
    auto q = load_question(writer_, d.question_id);
    if (!q) return q.error();
    r->updated = std::move(q.value());
    if (status s = load_moved(moved, *r); !s) return s;
    return r;
}

result<std::vector<result<decision_outcome>>> sqlite_store::apply_decisions(
    const std::vector<decision_request>& ds) {
    using outcomes = std::vector<result<decision_outcome>>;
    std::lock_guard lock(write_mutex_);
    std::vector<std::vector<moved_member>> moved(ds.size());
    auto r = in_transaction<outcomes>(writer_, [&]() -> result<outcomes> {
        outcomes out;
        out.reserve(ds.size());
        for (std::size_t i = 0; i < ds.size(); ++i) {
            auto one = apply_one(ds[i], moved[i]);
            if (!one && is_storage_failure(one.error())) return one.error();
            out.push_back(std::move(one));
        }
        return out;
    });
    if (!r) return r;
    for (std::size_t i = 0; i < ds.size(); ++i) {
        if (!(*r)[i]) continue;
        auto q = load_question(writer_, ds[i].question_id);
        if (!q) return q.error();
        (*r)[i]->updated = std::move(q.value());
        if (status s = load_moved(moved[i], *(*r)[i]); !s) return s;
    }
    return r;
}

result<decision_outcome> sqlite_store::undo_last(const undo_request& u) {
    std::lock_guard lock(write_mutex_);
    std::vector<moved_member> moved;
    auto r = in_transaction<decision_outcome>(writer_, [&]() -> result<decision_outcome> {
        decision_request back;
        {
            auto last = writer_.prepare(
                "SELECT actor, action, from_status, to_status, at FROM decisions "
                "WHERE question_id = ? ORDER BY id DESC LIMIT 1");
            if (!last) return last.error();
            last->bind(1, u.question_id);
            int rc = last->step();
            if (rc == SQLITE_DONE) return question_missing(u.question_id);
            if (rc != SQLITE_ROW) return writer_.last_error("read audit trail");
            decision_record d;
            d.actor = last->column_text(0);
            d.action = last->column_text(1);
            if (!last->column_is_null(2)) d.from = status_from_string(last->column_text(2));
            d.at = last->column_int(4);
            if (status s = check_undo(d, u, now_ms()); !s) return s;
            back = undo_of(d, u);
        }
        return apply_one(back, moved);
    });
    if (!r) return r;
    auto q = load_question(writer_, u.question_id);
    if (!q) return q.error();
    r->updated = std::move(q.value());
    if (status s = load_moved(moved, *r); !s) return s;
    return r;
}

result<std::vector<decision_record>> sqlite_store::list_decisions(std::int64_t question_id) {
    reader_lease db(*this);
    auto exists = db->prepare("SELECT 1 FROM questions WHERE id = ?");
    if (!exists) return exists.error();
    exists->bind(1, question_id);
    if (exists->step() != SQLITE_ROW) return question_missing(question_id);
    auto st = db->prepare(std::string(decision_columns) + "WHERE question_id = ? ORDER BY id");
    if (!st) return st.error();
    st->bind(1, question_id);
    std::vector<decision_record> out;
    if (status s = read_decisions(*db, *st, out); !s) return s;
    return out;
}

result<std::vector<decision_record>> sqlite_store::list_decisions_of(
    const std::vector<std::int64_t>& question_ids) {
    std::vector<decision_record> out;
    if (question_ids.empty()) return out;
    std::string sql = std::string(decision_columns) + "WHERE question_id IN (?";
    for (std::size_t i = 1; i < question_ids.size(); ++i) sql += ", ?";
    sql += ") ORDER BY question_id, id";
    reader_lease db(*this);
    auto st = db->prepare(sql);
    if (!st) return st.error();
    for (std::size_t i = 0; i < question_ids.size(); ++i)
        st->bind(static_cast<int>(i + 1), question_ids[i]);
    if (status s = read_decisions(*db, *st, out); !s) return s;
    return out;
}

status sqlite_store::scan_group_decisions(const std::function<void(const group_decision&)>& f) {
    reader_lease db(*this);
    return scan_decided(*db, f);
}

result<std::optional<group_decision>> sqlite_store::group_decision_of(std::int64_t cluster_id) {
    reader_lease db(*this);
    return decided_one(*db, cluster_id);
}

}  // namespace tribune
