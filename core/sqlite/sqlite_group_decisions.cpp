#include "core/sqlite/sqlite_group_decisions.hpp"

#include "core/sqlite/sqlite_rows.hpp"
#include "core/store/store_rules.hpp"
#include "core/triage/decision_inheritance.hpp"

namespace tribune::sqlite_rows {
namespace {

result<std::optional<group_decision>> read_decision(sqlite_connection& db, std::int64_t cluster) {
    auto st = db.prepare(
        "SELECT decision, decided_by, decided_question, decided_at FROM question_clusters "
        "WHERE id = ? AND decision IS NOT NULL");
    if (!st) return st.error();
    st->bind(1, cluster);
    const int rc = st->step();
    if (rc == SQLITE_DONE) return std::optional<group_decision>{};
    if (rc != SQLITE_ROW) return db.last_error("read group decision");
    group_decision g;
    g.cluster_id = cluster;
    g.outcome = status_from_string(st->column_text(0)).value_or(question_status::rejected);
    g.actor = st->column_text(1);
    g.question_id = st->column_int(2);
    g.at = st->column_int(3);
    return std::optional<group_decision>(std::move(g));
}

status write_decision_of_group(sqlite_connection& db, std::int64_t cluster,
                               const std::optional<group_decision>& g) {
    auto st = db.prepare(
        "UPDATE question_clusters SET decision = ?, decided_by = ?, decided_question = ?, "
        "decided_at = ? WHERE id = ?");
    if (!st) return st.error();
    if (g) {
        st->bind(1, to_string(g->outcome));
        st->bind(2, std::string_view(g->actor));
        st->bind(3, g->question_id);
        st->bind(4, g->at);
    } else {
        for (int i = 1; i <= 4; ++i) st->bind_null(i);
    }
    st->bind(5, cluster);
    return step_done(db, *st, "write group decision");
}

struct member {
    std::int64_t id = 0;
    std::string verdict;
};

// Members of the group selected by `where` (which binds the state at ?3), with their verdicts.
result<std::vector<member>> members_where(sqlite_connection& db, const group_ref& g,
                                          std::string_view where, question_status state,
                                          std::int64_t except) {
    auto st = db.prepare(
        "SELECT q.id, q.verdict FROM questions q WHERE q.event_id = ?1 AND q.cluster_id = ?2 "
        "AND q.status = ?3 AND q.id <> ?4 AND " + std::string(where));
    if (!st) return st.error();
    st->bind(1, g.event_id);
    st->bind(2, g.cluster);
    st->bind(3, to_string(state));
    st->bind(4, except);
    std::vector<member> out;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) out.push_back({st->column_int(0), st->column_text(1)});
    if (rc != SQLITE_DONE) return db.last_error("read group members");
    return out;
}

// Moves one member: new state and verdict, version + 1, an audit row by "triage".
status move_member(sqlite_connection& db, std::int64_t id, question_status from, question_status to,
                   std::string_view action, const std::string& verdict, timestamp_ms now) {
    auto upd = db.prepare(
        "UPDATE questions SET status = ?, verdict = ?, version = version + 1, updated_at = ? "
        "WHERE id = ?");
    if (!upd) return upd.error();
    upd->bind(1, to_string(to));
    upd->bind(2, std::string_view(verdict));
    upd->bind(3, now);
    upd->bind(4, id);
    if (status s = step_done(db, *upd, "move group member"); !s) return s;
    auto ins = db.prepare(
        "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
        "VALUES (?, 'triage', ?, ?, ?, ?, ?)");
    if (!ins) return ins.error();
    ins->bind(1, id);
    ins->bind(2, action);
    ins->bind(3, to_string(from));
    ins->bind(4, to_string(to));
    ins->bind(5, std::string_view(verdict));
    ins->bind(6, now);
    return step_done(db, *ins, "insert audit row");
}

// The members `where` selects in state `from` take the group's decision `next` (state `to`,
// action "inherit").
status inherit_members(sqlite_connection& db, const group_ref& g, std::string_view where,
                       question_status from, question_status to, const group_decision& next,
                       timestamp_ms now, std::vector<moved_member>& moved) {
    auto ms = members_where(db, g, where, from, next.question_id);
    if (!ms) return ms.error();
    for (const member& m : *ms) {
        const std::string verdict = inherited_verdict(next, m.verdict);
        if (status s = move_member(db, m.id, from, to, inherit_action, verdict, now); !s) return s;
        moved.push_back({m.id, from, to, sqlite3_last_insert_rowid(db.get()), inherit_action});
    }
    return status::ok();
}

// Members the triage approved and nobody touched since, not shortlisted: taken down.
status retract(sqlite_connection& db, const group_ref& g, const group_decision& next,
               timestamp_ms now, std::vector<moved_member>& moved) {
    return inherit_members(db, g, "q.version = 1 AND NOT EXISTS "
                                  "(SELECT 1 FROM shortlist s WHERE s.question_id = q.id)",
                           question_status::approved, question_status::auto_rejected, next, now, moved);
}

// Members rejected "auto-decided, unsure" (unsure_decision.hpp): approved with the group.
status confirm(sqlite_connection& db, const group_ref& g, const group_decision& next,
               timestamp_ms now, std::vector<moved_member>& moved) {
    return inherit_members(db, g, "(SELECT d.action FROM decisions d WHERE d.question_id = q.id "
                                  "ORDER BY d.id DESC LIMIT 1) = 'unsure'",
                           question_status::auto_rejected, question_status::approved, next, now, moved);
}

// Members whose state came from inheriting the group's former decision: back to review.
status release(sqlite_connection& db, const group_ref& g, question_status state,
               const std::string& actor, std::int64_t except, timestamp_ms now,
               std::vector<moved_member>& moved) {
    auto ms = members_where(db, g, "(SELECT d.action FROM decisions d WHERE d.question_id = q.id "
                                   "ORDER BY d.id DESC LIMIT 1) = 'inherit'",
                            state, except);
    if (!ms) return ms.error();
    for (const member& m : *ms) {
        if (status s = move_member(db, m.id, state, question_status::pending, release_action,
                                   released_verdict(g.cluster, actor, m.verdict), now);
            !s)
            return s;
        const std::int64_t audit_id = sqlite3_last_insert_rowid(db.get());
        if (status s = count_review(db, g.cluster, state, question_status::pending); !s) return s;
        moved.push_back({m.id, state, question_status::pending, audit_id, release_action});
    }
    return status::ok();
}

}  // namespace

status count_review(sqlite_connection& db, std::int64_t cluster, question_status from,
                    question_status to) {
    const std::int64_t delta = (in_review(to) ? 1 : 0) - (in_review(from) ? 1 : 0);
    if (delta == 0) return status::ok();
    auto st = db.prepare("UPDATE question_clusters SET review = max(0, review + ?) WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, delta);
    st->bind(2, cluster);
    return step_done(db, *st, "count group review");
}

status follow_group(sqlite_connection& db, const decision_request& d, const group_ref& g,
                    decision_outcome& out, std::vector<moved_member>& moved) {
    auto current = read_decision(db, g.cluster);
    if (!current) return current.error();
    const timestamp_ms now = now_ms();
    const group_effect e = group_effect_of(d.action, d.to, d.actor, d.question_id, g.cluster,
                                           *current, now, g.inheritance_on);
    if (!e.changes) return status::ok();
    if (status s = write_decision_of_group(db, g.cluster, e.next); !s) return s;
    out.group = group_decision_change{g.cluster, e.next};
    // Taking down first: a member inheriting the former approval is taken down with the rest.
    if (e.retract)
        if (status s = retract(db, g, *e.next, now, moved); !s) return s;
    if (e.confirm)
        if (status s = confirm(db, g, *e.next, now, moved); !s) return s;
    if (e.release)
        if (status s = release(db, g, *e.release, d.actor, d.question_id, now, moved); !s) return s;
    return status::ok();
}

namespace {

constexpr const char* decided_columns =
    "SELECT id, decision, decided_by, decided_question, decided_at FROM question_clusters ";

group_decision read_decided(sqlite_statement& st) {
    group_decision g;
    g.cluster_id = st.column_int(0);
    g.outcome = status_from_string(st.column_text(1)).value_or(question_status::rejected);
    g.actor = st.column_text(2);
    g.question_id = st.column_int(3);
    g.at = st.column_int(4);
    return g;
}

}  // namespace

status scan_decided(sqlite_connection& db, const std::function<void(const group_decision&)>& f) {
    auto st = db.prepare(std::string(decided_columns) + "WHERE decision IS NOT NULL");
    if (!st) return st.error();
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) f(read_decided(*st));
    if (rc != SQLITE_DONE) return db.last_error("scan group decisions");
    return status::ok();
}

result<std::optional<group_decision>> decided_one(sqlite_connection& db, std::int64_t cluster) {
    auto st = db.prepare(std::string(decided_columns) + "WHERE id = ? AND decision IS NOT NULL");
    if (!st) return st.error();
    st->bind(1, cluster);
    const int rc = st->step();
    if (rc == SQLITE_ROW) return std::optional<group_decision>(read_decided(*st));
    if (rc != SQLITE_DONE) return db.last_error("read group decision");
    return std::optional<group_decision>();
}

}  // namespace tribune::sqlite_rows
