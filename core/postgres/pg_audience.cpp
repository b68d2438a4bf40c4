// postgres_store as an audience_store: votes, and the executives' shortlist — its order,
// notes and the one entry being answered now. Changes to one event's shortlist take turns on
// the event's row (SELECT ... FOR UPDATE), across instances.

#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace pg_rows;

namespace {

status not_on_shortlist(std::int64_t question_id) {
    return status::error(error_kind::not_found, "not_on_shortlist",
                         "question " + std::to_string(question_id) + " is not on the shortlist");
}

result<std::vector<shortlist_entry>> shortlist_of(pg_connection& db, std::int64_t event_id) {
    std::string sql(question_columns);
    const auto from = sql.find("FROM questions q");
    sql.insert(from, ", s.added_by, s.added_at, s.position, s.note, s.note_by, s.note_at, "
                     "s.answering_since ");
    sql += "JOIN shortlist s ON s.question_id = q.id WHERE s.event_id = $1 "
           "AND q.status IN ('approved', 'answered') ORDER BY s.position, s.question_id";
    auto r = db.exec(sql, pg_params().add(event_id), "read shortlist");
    if (!r) return r.error();
    auto qs = questions_of(db, *r);
    if (!qs) return qs.error();
    std::vector<shortlist_entry> out;
    for (int i = 0; i < r->rows(); ++i) {
        shortlist_entry e;
        e.q = std::move((*qs)[static_cast<std::size_t>(i)]);
        e.added_by = r->text(i, extra_column);
        e.added_at = r->integer(i, extra_column + 1);
        e.position = r->integer(i, extra_column + 2);
        e.note = r->text(i, extra_column + 3);
        e.note_by = r->text(i, extra_column + 4);
        e.note_at = r->integer(i, extra_column + 5);
        if (!r->is_null(i, extra_column + 6)) e.answering_since = r->integer(i, extra_column + 6);
        out.push_back(std::move(e));
    }
    return out;
}

result<shortlist_entry> entry_of(pg_connection& db, std::int64_t event_id, std::int64_t question_id) {
    auto all = shortlist_of(db, event_id);
    if (!all) return all.error();
    for (shortlist_entry& e : *all)
        if (e.q.id == question_id) return std::move(e);
    return not_on_shortlist(question_id);
}

// Serialises changes to the event's shortlist. REQUIRES: a transaction open on `db`.
status lock_event(pg_connection& db, std::int64_t event_id) {
    return db.run("SELECT 1 FROM events WHERE id = $1 FOR UPDATE", pg_params().add(event_id),
                  "lock event");
}

status check_listed(pg_connection& db, std::int64_t event_id, std::int64_t question_id) {
    auto r = db.exec("SELECT q.status FROM shortlist s JOIN questions q ON q.id = s.question_id "
                     "WHERE s.event_id = $1 AND s.question_id = $2",
                     pg_params().add(event_id).add(question_id), "read shortlist");
    if (!r) return r.error();
    if (r->empty() || !is_public_row(r->text(0, 0))) return not_on_shortlist(question_id);
    return status::ok();
}

}  // namespace

result<question> postgres_store::add_vote(std::int64_t question_id, const std::string& voter) {
    lease db(*this);
    auto r = in_transaction_status(*db, [&]() -> status {
        if (status s = lock_numbering_of_question(*db, question_id); !s) return s;
        auto cur = db->exec("SELECT status FROM questions WHERE id = $1 FOR UPDATE",
                            pg_params().add(question_id), "read question");
        if (!cur) return cur.error();
        if (cur->empty()) return question_missing(question_id);
        if (!is_public_row(cur->text(0, 0)))
            return status::error(error_kind::conflict, "not_votable",
                                 "only approved questions can be voted on");
        auto ins = db->exec("INSERT INTO votes (question_id, voter, at) VALUES ($1, $2, $3) "
                            "ON CONFLICT DO NOTHING",
                            pg_params().add(question_id).add(voter).add(now_ms()), "insert vote");
        if (!ins) return ins.error();
        if (ins->affected() == 0) return status::ok();  // voted before
        if (status s = db->run("UPDATE questions SET votes = votes + 1 WHERE id = $1",
                               pg_params().add(question_id), "count vote");
            !s)
            return s;
        const auto now = status_from_string(cur->text(0, 0));
        return notify_change(*db, question_id, now, "");
    });
    if (!r) return r;
    return load_question(*db, question_id);
}

result<std::vector<shortlist_entry>> postgres_store::shortlist(std::int64_t event_id) {
    lease db(*this);
    return shortlist_of(*db, event_id);
}

result<shortlist_entry> postgres_store::shortlist_add(std::int64_t event_id, std::int64_t question_id,
                                                      const std::string& actor) {
    lease db(*this);
    auto r = in_transaction_status(*db, [&]() -> status {
        if (status s = lock_event(*db, event_id); !s) return s;
        auto cur = db->exec("SELECT status, event_id FROM questions WHERE id = $1",
                            pg_params().add(question_id), "read question");
        if (!cur) return cur.error();
        if (cur->empty() || cur->integer(0, 1) != event_id)
            return status::error(error_kind::not_found, "question_not_found",
                                 "no question with id " + std::to_string(question_id) +
                                     " in this event");
        const std::string st = cur->text(0, 0);
        if (!is_public_row(st))
            return status::error(error_kind::conflict, "not_shortlistable",
                                 "only approved or answered questions go on the shortlist; this one is " + st);
        return db->run(
            "INSERT INTO shortlist (event_id, question_id, added_by, added_at, position) "
            "VALUES ($1, $2, $3, $4, (SELECT coalesce(max(position), 0) + 1 FROM shortlist "
            "WHERE event_id = $1)) ON CONFLICT DO NOTHING",
            pg_params().add(event_id).add(question_id).add(actor).add(now_ms()), "add to shortlist");
    });
    if (!r) return r;
    return entry_of(*db, event_id, question_id);
}

status postgres_store::shortlist_remove(std::int64_t event_id, std::int64_t question_id) {
    lease db(*this);
    auto r = db->exec("DELETE FROM shortlist WHERE event_id = $1 AND question_id = $2",
                      pg_params().add(event_id).add(question_id), "remove from shortlist");
    if (!r) return r.error();
    return r->affected() == 0 ? not_on_shortlist(question_id) : status::ok();
}

result<shortlist_entry> postgres_store::shortlist_update(std::int64_t event_id,
                                                         std::int64_t question_id,
                                                         const shortlist_edit& edit,
                                                         const std::string& actor) {
    lease db(*this);
    const timestamp_ms now = now_ms();
    auto key = [&] { return pg_params().add(event_id).add(question_id); };
    auto r = in_transaction_status(*db, [&]() -> status {
        if (status s = lock_event(*db, event_id); !s) return s;
        if (status s = check_listed(*db, event_id, question_id); !s) return s;
        if (edit.note) {
            pg_params p = key();
            p.add(*edit.note).add(edit.note->empty() ? std::string() : actor)
                .add(edit.note->empty() ? std::int64_t{0} : now);
            if (status s = db->run("UPDATE shortlist SET note = $3, note_by = $4, note_at = $5 "
                                   "WHERE event_id = $1 AND question_id = $2",
                                   p, "save note");
                !s)
                return s;
        }
        if (!edit.answering_now) return status::ok();
        if (!*edit.answering_now)
            return db->run("UPDATE shortlist SET answering_since = NULL "
                           "WHERE event_id = $1 AND question_id = $2",
                           key(), "clear answering now");
        if (status s = db->run("UPDATE shortlist SET answering_since = NULL WHERE event_id = $1 "
                               "AND question_id <> $2 AND answering_since IS NOT NULL",
                               key(), "clear answering now");
            !s)
            return s;
        return db->run("UPDATE shortlist SET answering_since = coalesce(answering_since, $3) "
                       "WHERE event_id = $1 AND question_id = $2",
                       key().add(now), "set answering now");
    });
    if (!r) return r;
    return entry_of(*db, event_id, question_id);
}

result<std::vector<shortlist_entry>> postgres_store::shortlist_reorder(
    std::int64_t event_id, const std::vector<std::int64_t>& order) {
    lease db(*this);
    auto r = in_transaction_status(*db, [&]() -> status {
        if (status s = lock_event(*db, event_id); !s) return s;
        auto cur = db->exec(
            "SELECT s.question_id, q.status FROM shortlist s JOIN questions q ON q.id = s.question_id "
            "WHERE s.event_id = $1 ORDER BY s.position, s.question_id",
            pg_params().add(event_id), "read shortlist");
        if (!cur) return cur.error();
        std::vector<std::int64_t> listed, hidden;
        for (int i = 0; i < cur->rows(); ++i)
            (is_public_row(cur->text(i, 1)) ? listed : hidden).push_back(cur->integer(i, 0));
        if (status s = check_reorder(listed, order); !s) return s;
        std::vector<std::int64_t> all = order;
        all.insert(all.end(), hidden.begin(), hidden.end());
        for (std::size_t i = 0; i < all.size(); ++i)
            if (status s = db->run("UPDATE shortlist SET position = $1 WHERE event_id = $2 AND "
                                   "question_id = $3",
                                   pg_params().add(static_cast<std::int64_t>(i + 1)).add(event_id).add(all[i]),
                                   "reorder shortlist");
                !s)
                return s;
        return status::ok();
    });
    if (!r) return r;
    return shortlist_of(*db, event_id);
}

}  // namespace tribune
