// sqlite_store as an audience_store: the executives' shortlist — its order, notes and the
// one entry being answered now.

#include <algorithm>
#include <set>

#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace sqlite_rows;

namespace {

status not_on_shortlist(std::int64_t question_id) {
    return status::error(error_kind::not_found, "not_on_shortlist",
                         "question " + std::to_string(question_id) + " is not on the shortlist");
}

// The event's listed shortlist with its questions (spans included), in the executives' order:
// entries whose question is approved or answered now.
result<std::vector<shortlist_entry>> shortlist_of(sqlite_connection& db, std::int64_t event_id) {
    std::string sql(question_columns);
    const auto from = sql.find("FROM questions q");
    sql.insert(from, ", s.added_by, s.added_at, s.position, s.note, s.note_by, s.note_at, "
                     "s.answering_since ");
    sql += "JOIN shortlist s ON s.question_id = q.id WHERE s.event_id = ? "
           "AND q.status IN ('approved', 'answered') ORDER BY s.position, s.question_id";
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
        e.position = st->column_int(extra_column + 2);
        e.note = st->column_text(extra_column + 3);
        e.note_by = st->column_text(extra_column + 4);
        e.note_at = st->column_int(extra_column + 5);
        if (!st->column_is_null(extra_column + 6)) e.answering_since = st->column_int(extra_column + 6);
        out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return db.last_error("read shortlist");
    if (status s = load_spans(db, qs); !s) return s;
    for (std::size_t i = 0; i < qs.size(); ++i) out[i].q = std::move(qs[i]);
    return out;
}

result<shortlist_entry> entry_of(sqlite_connection& db, std::int64_t event_id,
                                 std::int64_t question_id) {
    auto all = shortlist_of(db, event_id);
    if (!all) return all.error();
    for (shortlist_entry& e : *all)
        if (e.q.id == question_id) return std::move(e);
    return not_on_shortlist(question_id);
}

// One statement with its parameters bound by the caller, run to completion.
template <typename Bind>
status run(sqlite_connection& db, std::string_view sql, std::string_view what, Bind bind) {
    auto st = db.prepare(sql);
    if (!st) return st.error();
    bind(*st);
    return step_done(db, *st, what);
}

// The entry's question status; not_on_shortlist when there is no entry, or only a hidden one.
status check_listed(sqlite_connection& db, std::int64_t event_id, std::int64_t question_id) {
    auto cur = db.prepare(
        "SELECT q.status FROM shortlist s JOIN questions q ON q.id = s.question_id "
        "WHERE s.event_id = ? AND s.question_id = ?");
    if (!cur) return cur.error();
    cur->bind(1, event_id);
    cur->bind(2, question_id);
    int rc = cur->step();
    if (rc == SQLITE_DONE) return not_on_shortlist(question_id);
    if (rc != SQLITE_ROW) return db.last_error("read shortlist");
    if (!is_public_row(cur->column_text(0))) return not_on_shortlist(question_id);
    return status::ok();
}

}  // namespace

result<std::vector<shortlist_entry>> sqlite_store::shortlist(std::int64_t event_id) {
    reader_lease db(*this);
    return shortlist_of(*db, event_id);
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
        return run(writer_,
                   "INSERT OR IGNORE INTO shortlist (event_id, question_id, added_by, added_at, "
                   "position) VALUES (?, ?, ?, ?, "
                   "(SELECT coalesce(max(position), 0) + 1 FROM shortlist WHERE event_id = ?))",
                   "add to shortlist", [&](sqlite_statement& ins) {
                       ins.bind(1, event_id);
                       ins.bind(2, question_id);
                       ins.bind(3, std::string_view(actor));
                       ins.bind(4, now_ms());
                       ins.bind(5, event_id);
                   });
    });
    if (!r) return r;
    return entry_of(writer_, event_id, question_id);
}

status sqlite_store::shortlist_remove(std::int64_t event_id, std::int64_t question_id) {
    std::lock_guard lock(write_mutex_);
    if (status s = run(writer_, "DELETE FROM shortlist WHERE event_id = ? AND question_id = ?",
                       "remove from shortlist",
                       [&](sqlite_statement& del) {
                           del.bind(1, event_id);
                           del.bind(2, question_id);
                       });
        !s)
        return s;
    if (sqlite3_changes(writer_.get()) == 0) return not_on_shortlist(question_id);
    return status::ok();
}

result<shortlist_entry> sqlite_store::shortlist_update(std::int64_t event_id,
                                                       std::int64_t question_id,
                                                       const shortlist_edit& edit,
                                                       const std::string& actor) {
    std::lock_guard lock(write_mutex_);
    const timestamp_ms now = now_ms();
    auto key = [&](sqlite_statement& st, int first) {
        st.bind(first, event_id);
        st.bind(first + 1, question_id);
    };
    auto r = in_transaction_status(writer_, [&]() -> status {
        if (status s = check_listed(writer_, event_id, question_id); !s) return s;
        if (edit.note) {
            if (status s = run(writer_,
                               "UPDATE shortlist SET note = ?, note_by = ?, note_at = ? "
                               "WHERE event_id = ? AND question_id = ?",
                               "save note",
                               [&](sqlite_statement& st) {
                                   st.bind(1, std::string_view(*edit.note));
                                   st.bind(2, std::string_view(edit.note->empty() ? "" : actor));
                                   st.bind(3, edit.note->empty() ? std::int64_t{0} : now);
                                   key(st, 4);
                               });
                !s)
                return s;
        }
        if (!edit.answering_now) return status::ok();
        if (!*edit.answering_now)
            return run(writer_,
                       "UPDATE shortlist SET answering_since = NULL "
                       "WHERE event_id = ? AND question_id = ?",
                       "clear answering now", [&](sqlite_statement& st) { key(st, 1); });
        if (status s = run(writer_,
                           "UPDATE shortlist SET answering_since = NULL "
                           "WHERE event_id = ? AND question_id <> ? AND answering_since IS NOT NULL",
                           "clear answering now", [&](sqlite_statement& st) { key(st, 1); });
            !s)
            return s;
        return run(writer_,
                   "UPDATE shortlist SET answering_since = coalesce(answering_since, ?) "
                   "WHERE event_id = ? AND question_id = ?",
                   "set answering now", [&](sqlite_statement& st) {
                       st.bind(1, now);
                       key(st, 2);
                   });
    });
    if (!r) return r;
    return entry_of(writer_, event_id, question_id);
}

result<std::vector<shortlist_entry>> sqlite_store::shortlist_reorder(
    std::int64_t event_id, const std::vector<std::int64_t>& order) {
    std::lock_guard lock(write_mutex_);
    auto r = in_transaction_status(writer_, [&]() -> status {
        auto cur = writer_.prepare(
            "SELECT s.question_id, q.status FROM shortlist s JOIN questions q ON q.id = s.question_id "
            "WHERE s.event_id = ? ORDER BY s.position, s.question_id");
        if (!cur) return cur.error();
        cur->bind(1, event_id);
        std::vector<std::int64_t> listed, hidden;
        int rc;
        while ((rc = cur->step()) == SQLITE_ROW)
            (is_public_row(cur->column_text(1)) ? listed : hidden).push_back(cur->column_int(0));
        if (rc != SQLITE_DONE) return writer_.last_error("read shortlist");
        if (status s = check_reorder(listed, order); !s) return s;
        std::vector<std::int64_t> all = order;
        all.insert(all.end(), hidden.begin(), hidden.end());
        auto upd = writer_.prepare(
            "UPDATE shortlist SET position = ? WHERE event_id = ? AND question_id = ?");
        if (!upd) return upd.error();
        for (std::size_t i = 0; i < all.size(); ++i) {
            upd->reset();
            upd->bind(1, static_cast<std::int64_t>(i + 1));
            upd->bind(2, event_id);
            upd->bind(3, all[i]);
            if (status s = step_done(writer_, *upd, "reorder shortlist"); !s) return s;
        }
        return status::ok();
    });
    if (!r) return r;
    return shortlist_of(writer_, event_id);
}

}  // namespace tribune
