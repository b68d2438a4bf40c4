// sqlite_store as an event_store: events, their triage policies and their settings.

#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"

namespace tribune {

using namespace sqlite_rows;

result<event_info> sqlite_store::create_event(const new_event& e) {
    std::lock_guard lock(write_mutex_);
    auto st = writer_.prepare(
        "INSERT INTO events (slug, title, premoderate, created_at, auto_decide_unsure) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!st) return st.error();
    st->bind(1, std::string_view(e.slug));
    st->bind(2, std::string_view(e.title));
    st->bind(3, std::int64_t{e.premoderate ? 1 : 0});
    st->bind(4, now_ms());
    // A new event takes event_policy's defaults; the column's own default (0) is what events
    // created before that default changed keep.
    st->bind(5, std::int64_t{event_policy{}.auto_decide_unsure ? 1 : 0});
    int rc = st->step();
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return status::error(error_kind::conflict, "event_exists",
                             "an event with slug '" + e.slug + "' already exists");
    if (rc != SQLITE_DONE) return writer_.last_error("create event");
    return load_event(writer_, e.slug);
}

result<event_info> sqlite_store::find_event(const std::string& slug) {
    reader_lease db(*this);
    return load_event(*db, slug);
}

result<std::vector<event_info>> sqlite_store::list_events() {
    reader_lease db(*this);
    auto st = db->prepare("SELECT id, slug, title, premoderate, created_at FROM events ORDER BY id");
    if (!st) return st.error();
    std::vector<event_info> out;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) out.push_back(read_event(*st));
    if (rc != SQLITE_DONE) return db->last_error("list events");
    return out;
}

namespace {

status read_thresholds(sqlite_connection& db, std::int64_t event_id, triage_policy& into) {
    auto th = db.prepare(
        "SELECT attribute, review_above, reject_above FROM event_thresholds WHERE event_id = ?");
    if (!th) return th.error();
    th->bind(1, event_id);
    int rc;
    while ((rc = th->step()) == SQLITE_ROW) {
        if (auto a = attribute_from_string(th->column_text(0)))
            into.at(*a) = {static_cast<float>(th->column_double(1)),
                           static_cast<float>(th->column_double(2))};
    }
    if (rc != SQLITE_DONE) return db.last_error("read thresholds");
    return status::ok();
}

status read_terms(sqlite_connection& db, std::int64_t event_id, event_policy& into) {
    auto terms = db.prepare(
        "SELECT kind, term FROM event_terms WHERE event_id = ? ORDER BY kind, position");
    if (!terms) return terms.error();
    terms->bind(1, event_id);
    int rc;
    while ((rc = terms->step()) == SQLITE_ROW)
        (terms->column_text(0) == "banned" ? into.banned : into.suspect)
            .push_back(terms->column_text(1));
    if (rc != SQLITE_DONE) return db.last_error("read word lists");
    return status::ok();
}

status read_event_tags(sqlite_connection& db, std::int64_t event_id, event_policy& into) {
    auto tags = db.prepare("SELECT tag FROM event_tags WHERE event_id = ? ORDER BY position");
    if (!tags) return tags.error();
    tags->bind(1, event_id);
    int rc;
    while ((rc = tags->step()) == SQLITE_ROW) into.canonical.event_tags.push_back(tags->column_text(0));
    if (rc != SQLITE_DONE) return db.last_error("read event tags");
    return status::ok();
}

// REQUIRES: a transaction open on `db`.
status replace_event_tags(sqlite_connection& db, std::int64_t event_id, const event_policy& p) {
    auto del = db.prepare("DELETE FROM event_tags WHERE event_id = ?");
    if (!del) return del.error();
    del->bind(1, event_id);
    if (status s = step_done(db, *del, "replace event tags"); !s) return s;
    auto ins = db.prepare(
        "INSERT OR IGNORE INTO event_tags (event_id, tag, position) VALUES (?, ?, ?)");
    if (!ins) return ins.error();
    std::int64_t pos = 0;
    for (const std::string& tag : p.canonical.event_tags) {
        ins->reset();
        ins->bind(1, event_id);
        ins->bind(2, std::string_view(tag));
        ins->bind(3, pos++);
        if (status s = step_done(db, *ins, "insert event tag"); !s) return s;
    }
    return status::ok();
}

// REQUIRES: a transaction open on `db`.
status replace_thresholds(sqlite_connection& db, std::int64_t event_id, const triage_policy& t) {
    auto del = db.prepare("DELETE FROM event_thresholds WHERE event_id = ?");
    if (!del) return del.error();
    del->bind(1, event_id);
    if (status s = step_done(db, *del, "replace thresholds"); !s) return s;
    auto th = db.prepare(
        "INSERT INTO event_thresholds (event_id, attribute, review_above, reject_above) "
        "VALUES (?, ?, ?, ?)");
    if (!th) return th.error();
    for (attribute a : all_attributes) {
        th->reset();
        th->bind(1, event_id);
        th->bind(2, to_string(a));
        th->bind(3, static_cast<double>(t.at(a).review_above));
        th->bind(4, static_cast<double>(t.at(a).reject_above));
        if (status s = step_done(db, *th, "insert threshold"); !s) return s;
    }
    return status::ok();
}

// REQUIRES: a transaction open on `db`.
status replace_terms(sqlite_connection& db, std::int64_t event_id, const event_policy& p) {
    auto del = db.prepare("DELETE FROM event_terms WHERE event_id = ?");
    if (!del) return del.error();
    del->bind(1, event_id);
    if (status s = step_done(db, *del, "replace word lists"); !s) return s;
    auto ins = db.prepare(
        "INSERT OR IGNORE INTO event_terms (event_id, kind, term, position) VALUES (?, ?, ?, ?)");
    if (!ins) return ins.error();
    for (const auto* list : {&p.banned, &p.suspect}) {
        const char* kind = list == &p.banned ? "banned" : "suspect";
        std::int64_t pos = 0;
        for (const std::string& term : *list) {
            ins->reset();
            ins->bind(1, event_id);
            ins->bind(2, std::string_view(kind));
            ins->bind(3, std::string_view(term));
            ins->bind(4, pos++);
            if (status s = step_done(db, *ins, "insert term"); !s) return s;
        }
    }
    return status::ok();
}

}  // namespace

result<event_policy> sqlite_store::get_policy(std::int64_t event_id) {
    reader_lease db(*this);
    event_policy p;
    auto ev = db->prepare(
        "SELECT premoderate, canonical_enabled, drop_trailing_tags, drop_mentions, drop_links, "
        "inherit_group_decisions, learn_from_decisions, narrow_review_band, auto_decide_unsure FROM events WHERE id = ?");
    if (!ev) return ev.error();
    ev->bind(1, event_id);
    int rc = ev->step();
    if (rc == SQLITE_DONE)
        return status::error(error_kind::not_found, "event_not_found", "no such event");
    if (rc != SQLITE_ROW) return db->last_error("read event");
    p.premoderate = ev->column_int(0) != 0;
    p.canonical.enabled = ev->column_int(1) != 0;
    p.canonical.drop_trailing_tags = ev->column_int(2) != 0;
    p.canonical.drop_mentions = ev->column_int(3) != 0;
    p.canonical.drop_links = ev->column_int(4) != 0;
    p.inherit_group_decisions = ev->column_int(5) != 0;
    p.learn_from_decisions = ev->column_int(6) != 0;
    p.narrow_review_band = ev->column_int(7) != 0;
    p.auto_decide_unsure = ev->column_int(8) != 0;
    if (status s = read_thresholds(*db, event_id, p.thresholds); !s) return s;
    if (status s = read_terms(*db, event_id, p); !s) return s;
    if (status s = read_event_tags(*db, event_id, p); !s) return s;
    return p;
}

status sqlite_store::save_policy(std::int64_t event_id, const event_policy& p) {
    std::lock_guard lock(write_mutex_);
    return in_transaction_status(writer_, [&]() -> status {
        auto ev = writer_.prepare(
            "UPDATE events SET premoderate = ?, canonical_enabled = ?, drop_trailing_tags = ?, "
            "drop_mentions = ?, drop_links = ?, inherit_group_decisions = ?, "
            "learn_from_decisions = ?, narrow_review_band = ?, auto_decide_unsure = ? WHERE id = ?");
        if (!ev) return ev.error();
        int i = 1;
        for (bool flag : {p.premoderate, p.canonical.enabled, p.canonical.drop_trailing_tags,
                          p.canonical.drop_mentions, p.canonical.drop_links,
                          p.inherit_group_decisions, p.learn_from_decisions, p.narrow_review_band,
                          p.auto_decide_unsure})
            ev->bind(i++, std::int64_t{flag ? 1 : 0});
        ev->bind(i, event_id);
        if (status s = step_done(writer_, *ev, "update event"); !s) return s;
        if (sqlite3_changes(writer_.get()) == 0)
            return status::error(error_kind::not_found, "event_not_found", "no such event");
        if (status s = replace_thresholds(writer_, event_id, p.thresholds); !s) return s;
        if (status s = replace_event_tags(writer_, event_id, p); !s) return s;
        return replace_terms(writer_, event_id, p);
    });
}

namespace {

// REQUIRES: `db` held by the caller.
status check_event_exists(sqlite_connection& db, std::int64_t event_id) {
    auto ev = db.prepare("SELECT 1 FROM events WHERE id = ?");
    if (!ev) return ev.error();
    ev->bind(1, event_id);
    int rc = ev->step();
    if (rc == SQLITE_DONE)
        return status::error(error_kind::not_found, "event_not_found", "no such event");
    if (rc != SQLITE_ROW) return db.last_error("read event");
    return status::ok();
}

}  // namespace

result<event_settings> sqlite_store::get_settings(std::int64_t event_id) {
    reader_lease db(*this);
    if (status s = check_event_exists(*db, event_id); !s) return s;
    auto st = db->prepare("SELECT name, value FROM event_settings WHERE event_id = ?");
    if (!st) return st.error();
    st->bind(1, event_id);
    event_settings out;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
        const std::string name = st->column_text(0);
        for (const event_setting_flag& f : event_setting_flags)
            if (f.name == name) out.*f.member = st->column_text(1) == "true";
    }
    if (rc != SQLITE_DONE) return db->last_error("read settings");
    return out;
}

status sqlite_store::save_settings(std::int64_t event_id, const event_settings& s) {
    std::lock_guard lock(write_mutex_);
    return in_transaction_status(writer_, [&]() -> status {
        if (status e = check_event_exists(writer_, event_id); !e) return e;
        auto put = writer_.prepare(
            "INSERT INTO event_settings (event_id, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT (event_id, name) DO UPDATE SET value = excluded.value");
        if (!put) return put.error();
        for (const event_setting_flag& f : event_setting_flags) {
            put->reset();
            put->bind(1, event_id);
            put->bind(2, f.name);
            put->bind(3, std::string_view(s.*f.member ? "true" : "false"));
            if (status st = step_done(writer_, *put, "save setting"); !st) return st;
        }
        return status::ok();
    });
}

}  // namespace tribune
