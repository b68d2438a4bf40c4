// postgres_store as a decision_store: moderators' decisions, bulk, undo, the audit trail
// (pg_group_decisions.cpp does the group's part).
//
// Optimistic concurrency across instances: a decision locks, in this order, its question's
// group row and its question's row (SELECT ... FOR UPDATE), checks the expected version
// against what it read, and writes with a conditional update on that version. Two moderators
// on two instances deciding one question at once: the second waits for the first to commit,
// then reads the new version, so its stale expected_version is a version_conflict (409).
// Locking the group first keeps two decisions in one group from deadlocking on its members.

#include "core/postgres/pg_group_decisions.hpp"
#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace pg_rows;

namespace {

constexpr std::string_view decision_columns =
    "SELECT id, question_id, actor, action, from_status, to_status, reason, at FROM decisions ";

void read_decisions(const pg_result& r, std::vector<decision_record>& out) {
    for (int i = 0; i < r.rows(); ++i) {
        decision_record d;
        d.id = r.integer(i, 0);
        d.question_id = r.integer(i, 1);
        d.actor = r.text(i, 2);
        d.action = r.text(i, 3);
        if (!r.is_null(i, 4)) d.from = status_from_string(r.text(i, 4));
        d.to = status_from_string(r.text(i, 5)).value_or(question_status::pending);
        d.reason = r.text(i, 6);
        d.at = r.integer(i, 7);
        out.push_back(std::move(d));
    }
}

bool is_storage_failure(const status& s) {
    return s.kind() == error_kind::unavailable || s.kind() == error_kind::internal;
}

// Writes the new status (conditional on the version read) and its audit row; returns the
// audit row's id. REQUIRES: a transaction open on `db`, the question's row locked.
result<std::int64_t> write_decision(pg_connection& db, const decision_request& d,
                                    question_status from, std::int64_t version) {
    const timestamp_ms now = now_ms();
    auto upd = db.exec("UPDATE questions SET status = $1, version = version + 1, updated_at = $2 "
                       "WHERE id = $3 AND version = $4",
                       pg_params().add(to_string(d.to)).add(now).add(d.question_id).add(version),
                       "update question");
    if (!upd) return upd.error();
    if (upd->affected() == 0)
        return status::error(error_kind::conflict, "version_conflict",
                             "question " + std::to_string(d.question_id) +
                                 " changed since it was read");
    if (status s = notify_change(db, d.question_id, from, d.actor); !s) return s;
    auto ins = db.exec(
        "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        pg_params()
            .add(d.question_id)
            .add(d.actor)
            .add(d.action)
            .add(to_string(from))
            .add(to_string(d.to))
            .add(d.reason)
            .add(now),
        "insert audit row");
    if (!ins) return ins.error();
    return ins->integer(0, 0);
}

// One decision inside the caller's transaction, with what it does to its group; the other
// members it moved are appended to `moved`.
result<decision_outcome> apply_one(pg_connection& db, const decision_request& d,
                                   std::vector<moved_member>& moved) {
    if (status s = lock_numbering_of_question(db, d.question_id); !s) return s;
    auto group = db.exec("SELECT coalesce(cluster_id, id) FROM questions WHERE id = $1",
                         pg_params().add(d.question_id), "read question");
    if (!group) return group.error();
    if (group->empty()) return decision_target_missing(d);
    if (status s = db.run("SELECT 1 FROM question_clusters WHERE id = $1 FOR UPDATE",
                          pg_params().add(group->integer(0, 0)), "lock group");
        !s)
        return s;
    auto cur = db.exec(
        "SELECT q.status, q.version, q.event_id, coalesce(q.cluster_id, q.id), "
        "e.inherit_group_decisions FROM questions q JOIN events e ON e.id = q.event_id "
        "WHERE q.id = $1 FOR UPDATE OF q",
        pg_params().add(d.question_id), "read question");
    if (!cur) return cur.error();
    if (cur->empty() || (d.event_id && cur->integer(0, 2) != *d.event_id))
        return decision_target_missing(d);
    const std::int64_t event_id = cur->integer(0, 2);
    decision_outcome out;
    out.from = status_from_string(cur->text(0, 0)).value_or(question_status::pending);
    const group_ref g{event_id, cur->integer(0, 3), cur->flag(0, 4)};
    auto apply = check_transition(d, out.from, cur->integer(0, 1));
    if (!apply) return apply.error();
    if (!*apply) {
        out.changed = false;
        return out;
    }
    auto decision_id = write_decision(db, d, out.from, cur->integer(0, 1));
    if (!decision_id) return decision_id.error();
    const std::size_t moved_before = moved.size();
    if (status s = count_review(db, g.cluster, out.from, d.to); !s) return s;
    if (status s = follow_group(db, d, g, out, moved); !s) return s;
    if (status s = queue_webhooks(db, event_id, d.question_id, *decision_id, d.action, out.from, d.to);
        !s)
        return s;
    for (std::size_t i = moved_before; i < moved.size(); ++i) {
        const moved_member& m = moved[i];
        if (status s = queue_webhooks(db, event_id, m.id, m.decision_id, m.action, m.from, m.to); !s)
            return s;
    }
    return out;
}

// After the commit: the decided question and the members it moved, as they are now.
status load_after(pg_connection& db, std::int64_t id, std::vector<moved_member>& moved,
                  decision_outcome& into) {
    auto q = load_question(db, id);
    if (!q) return q.error();
    into.updated = std::move(q.value());
    for (const moved_member& m : moved) {
        auto mq = load_question(db, m.id);
        if (!mq) return mq.error();
        into.members.emplace_back(std::move(mq.value()), m.from);
    }
    moved.clear();
    return status::ok();
}

}  // namespace

result<decision_outcome> postgres_store::apply_decision(const decision_request& d) {
    lease db(*this);
    std::vector<moved_member> moved;
    auto r = in_transaction<decision_outcome>(*db, [&] { return apply_one(*db, d, moved); });
    if (!r) return r;
    if (status s = load_after(*db, d.question_id, moved, *r); !s) return s;
    return r;
}

result<std::vector<result<decision_outcome>>> postgres_store::apply_decisions(
    const std::vector<decision_request>& ds) {
    using outcomes = std::vector<result<decision_outcome>>;
    lease db(*this);
    std::vector<std::vector<moved_member>> moved(ds.size());
    auto r = in_transaction<outcomes>(*db, [&]() -> result<outcomes> {
        outcomes out;
        out.reserve(ds.size());
        for (std::size_t i = 0; i < ds.size(); ++i) {
            auto one = apply_one(*db, ds[i], moved[i]);
            if (!one && is_storage_failure(one.error())) return one.error();
            out.push_back(std::move(one));
        }
        return out;
    });
    if (!r) return r;
    for (std::size_t i = 0; i < ds.size(); ++i) {
        if (!(*r)[i]) continue;
        if (status s = load_after(*db, ds[i].question_id, moved[i], *(*r)[i]); !s) return s;
    }
    return r;
}

result<decision_outcome> postgres_store::undo_last(const undo_request& u) {
    lease db(*this);
    std::vector<moved_member> moved;
    auto r = in_transaction<decision_outcome>(*db, [&]() -> result<decision_outcome> {
        // The numbering, then the question's row: an undo and a decision on it take turns.
        if (status s = lock_numbering_of_question(*db, u.question_id); !s) return s;
        auto locked = db->exec("SELECT 1 FROM questions WHERE id = $1 FOR UPDATE",
                               pg_params().add(u.question_id), "lock question");
        if (!locked) return locked.error();
        if (locked->empty()) return question_missing(u.question_id);
        auto last = db->exec("SELECT actor, action, from_status, to_status, at FROM decisions "
                             "WHERE question_id = $1 ORDER BY id DESC LIMIT 1",
                             pg_params().add(u.question_id), "read audit trail");
        if (!last) return last.error();
        if (last->empty()) return question_missing(u.question_id);
        decision_record d;
        d.actor = last->text(0, 0);
        d.action = last->text(0, 1);
        if (!last->is_null(0, 2)) d.from = status_from_string(last->text(0, 2));
        d.at = last->integer(0, 4);
        if (status s = check_undo(d, u, now_ms()); !s) return s;
        return apply_one(*db, undo_of(d, u), moved);
    });
    if (!r) return r;
    if (status s = load_after(*db, u.question_id, moved, *r); !s) return s;
    return r;
}

result<std::vector<decision_record>> postgres_store::list_decisions(std::int64_t question_id) {
    lease db(*this);
    auto exists = db->exec("SELECT 1 FROM questions WHERE id = $1", pg_params().add(question_id),
                           "read question");
    if (!exists) return exists.error();
    if (exists->empty()) return question_missing(question_id);
    auto r = db->exec(std::string(decision_columns) + "WHERE question_id = $1 ORDER BY id",
                      pg_params().add(question_id), "list decisions");
    if (!r) return r.error();
    std::vector<decision_record> out;
    read_decisions(*r, out);
    return out;
}

result<std::vector<decision_record>> postgres_store::list_decisions_of(
    const std::vector<std::int64_t>& question_ids) {
    std::vector<decision_record> out;
    if (question_ids.empty()) return out;
    std::string ids = "{";
    for (std::int64_t id : question_ids) {
        if (ids.size() > 1) ids += ',';
        ids += std::to_string(id);
    }
    ids += '}';
    lease db(*this);
    auto r = db->exec(std::string(decision_columns) +
                          "WHERE question_id = ANY($1::bigint[]) ORDER BY question_id, id",
                      pg_params().add(ids), "list decisions");
    if (!r) return r.error();
    read_decisions(*r, out);
    return out;
}

status postgres_store::scan_group_decisions(const std::function<void(const group_decision&)>& f) {
    lease db(*this);
    return scan_decided(*db, f);
}

result<std::optional<group_decision>> postgres_store::group_decision_of(std::int64_t cluster_id) {
    lease db(*this);
    return decided_one(*db, cluster_id);
}

}  // namespace tribune
