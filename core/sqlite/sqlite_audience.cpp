// sqlite_store as an audience_store: votes and the executives' shortlist.

#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace sqlite_rows;

namespace {

// is_public() of a stored status.
bool is_public_row(const std::string& s) {
    return is_public(status_from_string(s).value_or(question_status::pending));
}

// The event's shortlist with its questions (spans included), oldest addition first.
result<std::vector<shortlist_entry>> shortlist_of(sqlite_connection& db, std::int64_t event_id) {
    std::string sql(question_columns);
    const auto from = sql.find("FROM questions q");
    sql.insert(from, ", s.added_by, s.added_at ");
    sql += "JOIN shortlist s ON s.question_id = q.id WHERE s.event_id = ? "
           "ORDER BY s.added_at, s.question_id";
    auto st = db.prepare(sql);
    if (!st) return st.error();
    st->bind(1, event_id);
    std::vector<question> qs;
    std::vector<shortlist_entry> out;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
        qs.push_back(read_question(*st));
        shortlist_entry e;
        e.added_by = st->column_text(extra_column);
        e.added_at = st->column_int(extra_column + 1);
        out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return db.last_error("read shortlist");
    if (status s = load_spans(db, qs); !s) return s;
    for (std::size_t i = 0; i < qs.size(); ++i) out[i].q = std::move(qs[i]);
    return out;
}

}  // namespace

result<question> sqlite_store::add_vote(std::int64_t question_id, const std::string& voter) {
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction_status(writer_, [&]() -> status {
        auto cur = writer_.prepare("SELECT status FROM questions WHERE id = ?");
        if (!cur) return cur.error();
        cur->bind(1, question_id);
        int rc = cur->step();
        if (rc == SQLITE_DONE) return question_missing(question_id);
        if (rc != SQLITE_ROW) return writer_.last_error("read question");
        if (!is_public_row(cur->column_text(0)))
            return status::error(error_kind::conflict, "not_votable",
                                 "only approved questions can be voted on");
        auto ins = writer_.prepare(
            "INSERT OR IGNORE INTO votes (question_id, voter, at) VALUES (?, ?, ?)");
        if (!ins) return ins.error();
        ins->bind(1, question_id);
        ins->bind(2, std::string_view(voter));
        ins->bind(3, now_ms());
        if (status s = step_done(writer_, *ins, "insert vote"); !s) return s;
        if (sqlite3_changes(writer_.get()) == 0) return status::ok();  // voted before
        auto upd = writer_.prepare("UPDATE questions SET votes = votes + 1 WHERE id = ?");
        if (!upd) return upd.error();
        upd->bind(1, question_id);
        return step_done(writer_, *upd, "count vote");
    });
    if (!r) return r;
    return load_question(writer_, question_id);
}

result<shortlist_entry> sqlite_store::shortlist_add(std::int64_t event_id, std::int64_t question_id,
                                                    const std::string& actor) {
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction_status(writer_, [&]() -> status {
        auto cur = writer_.prepare("SELECT status, event_id FROM questions WHERE id = ?");
        if (!cur) return cur.error();
        cur->bind(1, question_id);
        int rc = cur->step();
        if (rc == SQLITE_DONE || (rc == SQLITE_ROW && cur->column_int(1) != event_id))
            return status::error(error_kind::not_found, "question_not_found",
                                 "no question with id " + std::to_string(question_id) + " in this event");
        if (rc != SQLITE_ROW) return writer_.last_error("read question");
        const std::string st = cur->column_text(0);
        if (!is_public_row(st))
            return status::error(error_kind::conflict, "not_shortlistable",
                                 "only approved or answered questions go on the shortlist; this one is " + st);
        auto ins = writer_.prepare(
            "INSERT OR IGNORE INTO shortlist (event_id, question_id, added_by, added_at) "
            "VALUES (?, ?, ?, ?)");
        if (!ins) return ins.error();
        ins->bind(1, event_id);
        ins->bind(2, question_id);
        ins->bind(3, std::string_view(actor));
        ins->bind(4, now_ms());
        return step_done(writer_, *ins, "add to shortlist");
    });
    if (!r) return r;
    auto all = shortlist_of(writer_, event_id);
    if (!all) return all.error();
    for (shortlist_entry& e : *all)
        if (e.q.id == question_id) return std::move(e);
    return status::error(error_kind::internal, "storage_error", "shortlist entry vanished");
}

status sqlite_store::shortlist_remove(std::int64_t event_id, std::int64_t question_id) {
    std::lock_guard lock(write_mutex_);
    auto del = writer_.prepare("DELETE FROM shortlist WHERE event_id = ? AND question_id = ?");
    if (!del) return del.error();
    del->bind(1, event_id);
    del->bind(2, question_id);
    if (status s = step_done(writer_, *del, "remove from shortlist"); !s) return s;
    if (sqlite3_changes(writer_.get()) == 0)
        return status::error(error_kind::not_found, "not_on_shortlist",
                             "question " + std::to_string(question_id) + " is not on the shortlist");
    return status::ok();
}

result<std::vector<shortlist_entry>> sqlite_store::shortlist(std::int64_t event_id) {
    reader_lease db(*this);
    return shortlist_of(*db, event_id);
}

}  // namespace tribune
