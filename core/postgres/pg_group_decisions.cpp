#include "core/postgres/pg_group_decisions.hpp"

#include "core/postgres/pg_rows.hpp"
#include "core/store/store_rules.hpp"
#include "core/triage/decision_inheritance.hpp"

namespace tribune::pg_rows {

namespace {

result<std::optional<group_decision>> read_decision(pg_connection& db, std::int64_t cluster) {
    auto r = db.exec(
        "SELECT decision, decided_by, decided_question, decided_at FROM question_clusters "
        "WHERE id = $1 FOR UPDATE",
        pg_params().add(cluster), "read group decision");
    if (!r) return r.error();
    if (r->empty() || r->is_null(0, 0)) return std::optional<group_decision>{};
    group_decision g;
    g.cluster_id = cluster;
    g.outcome = status_from_string(r->text(0, 0)).value_or(question_status::rejected);
    g.actor = r->text(0, 1);
    g.question_id = r->integer(0, 2);
    g.at = r->integer(0, 3);
    return std::optional<group_decision>(std::move(g));
}

status write_decision_of_group(pg_connection& db, std::int64_t cluster,
                               const std::optional<group_decision>& g) {
    pg_params p;
    if (g) p.add(to_string(g->outcome)).add(g->actor).add(g->question_id).add(g->at);
    else p.add_null().add_null().add_null().add_null();
    p.add(cluster);
    return db.run("UPDATE question_clusters SET decision = $1, decided_by = $2, "
                  "decided_question = $3, decided_at = $4 WHERE id = $5",
                  p, "write group decision");
}

struct member {
    std::int64_t id = 0;
    std::string verdict;
};

result<std::vector<member>> members_where(pg_connection& db, const group_ref& g,
                                          std::string_view where, question_status state,
                                          std::int64_t except) {
    auto r = db.exec("SELECT q.id, q.verdict FROM questions q WHERE q.event_id = $1 AND "
                     "q.cluster_id = $2 AND q.status = $3 AND q.id <> $4 AND " +
                         std::string(where) + " ORDER BY q.id FOR UPDATE",
                     pg_params().add(g.event_id).add(g.cluster).add(to_string(state)).add(except),
                     "read group members");
    if (!r) return r.error();
    std::vector<member> out;
    for (int i = 0; i < r->rows(); ++i) out.push_back({r->integer(i, 0), r->text(i, 1)});
    return out;
}

// Moves one member: new state and verdict, version + 1, an audit row by "triage" (its id).
result<std::int64_t> move_member(pg_connection& db, std::int64_t id, question_status from,
                                 question_status to, std::string_view action,
                                 const std::string& verdict, timestamp_ms now) {
    if (status s = db.run("UPDATE questions SET status = $1, verdict = $2, version = version + 1, "
                          "updated_at = $3 WHERE id = $4",
                          pg_params().add(to_string(to)).add(verdict).add(now).add(id),
                          "move group member");
        !s)
        return s;
    if (status s = notify_change(db, id, from, ""); !s) return s;
    auto r = db.exec(
        "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
        "VALUES ($1, 'triage', $2, $3, $4, $5, $6) RETURNING id",
        pg_params().add(id).add(action).add(to_string(from)).add(to_string(to)).add(verdict).add(now),
        "insert audit row");
    if (!r) return r.error();
    return r->integer(0, 0);
}

// The members `where` selects in state `from` take the group's decision `next` (state `to`,
// action "inherit").
status inherit_members(pg_connection& db, const group_ref& g, std::string_view where,
                       question_status from, question_status to, const group_decision& next,
                       timestamp_ms now, std::vector<moved_member>& moved) {
    auto ms = members_where(db, g, where, from, next.question_id);
    if (!ms) return ms.error();
    for (const member& m : *ms) {
        auto audit = move_member(db, m.id, from, to, inherit_action, inherited_verdict(next, m.verdict), now);
        if (!audit) return audit.error();
        moved.push_back({m.id, from, to, *audit, inherit_action});
    }
    return status::ok();
}

// Members the triage approved and nobody touched since, not shortlisted: taken down.
status retract(pg_connection& db, const group_ref& g, const group_decision& next, timestamp_ms now,
               std::vector<moved_member>& moved) {
    return inherit_members(db, g, "q.version = 1 AND NOT EXISTS "
                                  "(SELECT 1 FROM shortlist s WHERE s.question_id = q.id)",
                           question_status::approved, question_status::auto_rejected, next, now, moved);
}

// Members rejected "auto-decided, unsure" (unsure_decision.hpp): approved with the group.
status confirm(pg_connection& db, const group_ref& g, const group_decision& next, timestamp_ms now,
               std::vector<moved_member>& moved) {
    return inherit_members(db, g, "(SELECT d.action FROM decisions d WHERE d.question_id = q.id "
                                  "ORDER BY d.id DESC LIMIT 1) = 'unsure'",
                           question_status::auto_rejected, question_status::approved, next, now, moved);
}

status release(pg_connection& db, const group_ref& g, question_status state,
               const std::string& actor, std::int64_t except, timestamp_ms now,
               std::vector<moved_member>& moved) {
    auto ms = members_where(db, g, "(SELECT d.action FROM decisions d WHERE d.question_id = q.id "
                                   "ORDER BY d.id DESC LIMIT 1) = 'inherit'",
                            state, except);
    if (!ms) return ms.error();
    for (const member& m : *ms) {
        auto audit = move_member(db, m.id, state, question_status::pending, release_action,
                                 released_verdict(g.cluster, actor, m.verdict), now);
        if (!audit) return audit.error();
        if (status s = count_review(db, g.cluster, state, question_status::pending); !s) return s;
        moved.push_back({m.id, state, question_status::pending, *audit, release_action});
    }
    return status::ok();
}

}  // namespace

status count_review(pg_connection& db, std::int64_t cluster, question_status from,
                    question_status to) {
    const std::int64_t delta = (in_review(to) ? 1 : 0) - (in_review(from) ? 1 : 0);
    if (delta == 0) return status::ok();
    return db.run("UPDATE question_clusters SET review = greatest(0, review + $1) WHERE id = $2",
                  pg_params().add(delta).add(cluster), "count group review");
}

status follow_group(pg_connection& db, const decision_request& d, const group_ref& g,
                    decision_outcome& out, std::vector<moved_member>& moved) {
    auto current = read_decision(db, g.cluster);
    if (!current) return current.error();
    const timestamp_ms now = now_ms();
    const group_effect e = group_effect_of(d.action, d.to, d.actor, d.question_id, g.cluster,
                                           *current, now, g.inheritance_on);
    if (!e.changes) return status::ok();
    if (status s = write_decision_of_group(db, g.cluster, e.next); !s) return s;
    out.group = group_decision_change{g.cluster, e.next};
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

group_decision read_decided(const pg_result& r, int i) {
    group_decision g;
    g.cluster_id = r.integer(i, 0);
    g.outcome = status_from_string(r.text(i, 1)).value_or(question_status::rejected);
    g.actor = r.text(i, 2);
    g.question_id = r.integer(i, 3);
    g.at = r.integer(i, 4);
    return g;
}

}  // namespace

status scan_decided(pg_connection& db, const std::function<void(const group_decision&)>& f) {
    auto r = db.exec(std::string(decided_columns) + "WHERE decision IS NOT NULL ORDER BY id", {},
                     "scan group decisions");
    if (!r) return r.error();
    for (int i = 0; i < r->rows(); ++i) f(read_decided(*r, i));
    return status::ok();
}

result<std::optional<group_decision>> decided_one(pg_connection& db, std::int64_t cluster) {
    auto r = db.exec(std::string(decided_columns) + "WHERE id = $1 AND decision IS NOT NULL",
                     pg_params().add(cluster), "read group decision");
    if (!r) return r.error();
    if (r->rows() == 0) return std::optional<group_decision>();
    return std::optional<group_decision>(read_decided(*r, 0));
}

}  // namespace tribune::pg_rows
