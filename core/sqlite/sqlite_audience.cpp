// sqlite_store as an audience_store: votes (the shortlist is sqlite_shortlist.cpp).

#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace sqlite_rows;

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

}  // namespace tribune
