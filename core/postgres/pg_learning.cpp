// postgres_store as a learning_store: the labels of the per-event correction (the
// moderators' rows of the audit trail) and its resets.

#include <string>

#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"

namespace tribune {

using namespace pg_rows;

namespace {

// The audit actions that are labels, as a PostgreSQL array literal: {approve,reject,...}.
std::string label_action_array() {
    std::string out = "{";
    for (std::string_view a : label_actions) {
        if (out.size() > 1) out += ',';
        out += a;
    }
    out += '}';
    return out;
}

}  // namespace

result<std::vector<label_decision>> postgres_store::label_decisions(std::int64_t event_id,
                                                                    std::int64_t after_decision,
                                                                    std::size_t limit) {
    lease db(*this);
    auto r = db->exec(
        "SELECT d.id, d.question_id, coalesce(q.cluster_id, q.id), d.action, q.text "
        "FROM decisions d JOIN questions q ON q.id = d.question_id "
        "WHERE d.id > $1 AND q.event_id = $2 AND d.actor <> 'triage' "
        "AND d.action = ANY($3::text[]) ORDER BY d.id LIMIT $4",
        pg_params().add(after_decision).add(event_id).add(label_action_array())
            .add(static_cast<std::int64_t>(limit)),
        "read label decisions");
    if (!r) return r.error();
    std::vector<label_decision> out;
    for (int i = 0; i < r->rows(); ++i)
        out.push_back({r->integer(i, 0), r->integer(i, 1), r->integer(i, 2), r->text(i, 3),
                       r->text(i, 4)});
    return out;
}

result<std::int64_t> postgres_store::last_decision_id() {
    lease db(*this);
    auto r = db->exec("SELECT coalesce(max(id), 0) FROM decisions", {}, "read last decision");
    if (!r) return r.error();
    return r->integer(0, 0);
}

result<std::pair<std::int64_t, std::int64_t>> postgres_store::learning_mark() {
    lease db(*this);
    auto r = db->exec("SELECT (SELECT coalesce(max(id), 0) FROM decisions), "
                      "(SELECT coalesce(sum(reset_after), 0) FROM event_learning)",
                      {}, "read learning mark");
    if (!r) return r.error();
    return std::pair<std::int64_t, std::int64_t>{r->integer(0, 0), r->integer(0, 1)};
}

result<learning_reset> postgres_store::get_learning_reset(std::int64_t event_id) {
    lease db(*this);
    if (status s = event_exists(*db, event_id); !s) return s;
    auto r = db->exec("SELECT reset_after, reset_at, reset_by FROM event_learning WHERE event_id = $1",
                      pg_params().add(event_id), "read learning reset");
    if (!r) return r.error();
    if (r->empty()) return learning_reset{};
    return learning_reset{r->integer(0, 0), r->integer(0, 1), r->text(0, 2)};
}

status postgres_store::save_learning_reset(std::int64_t event_id, const learning_reset& r) {
    lease db(*this);
    if (status s = event_exists(*db, event_id); !s) return s;
    return db->run(
        "INSERT INTO event_learning (event_id, reset_after, reset_at, reset_by) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (event_id) DO UPDATE SET "
        "reset_after = excluded.reset_after, reset_at = excluded.reset_at, "
        "reset_by = excluded.reset_by",
        pg_params().add(event_id).add(r.after_decision).add(r.at).add(r.by), "save learning reset");
}

}  // namespace tribune
