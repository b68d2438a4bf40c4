// sqlite_store as a source_store: the social-network sources of each event and their resume
// cursors (migration 0013_bridge_sources).

#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace sqlite_rows;

const char* to_string(source_kind k) { return k == source_kind::bluesky ? "bluesky" : "mastodon"; }

std::optional<source_kind> source_kind_from_string(std::string_view s) {
    if (s == "mastodon") return source_kind::mastodon;
    if (s == "bluesky") return source_kind::bluesky;
    return std::nullopt;
}

namespace {

constexpr std::string_view source_columns =
    "SELECT s.id, s.event_id, e.slug, s.kind, s.endpoint, s.tag, s.access_token, s.paused, "
    "s.cursor, s.created_by, s.created_at FROM bridge_sources s JOIN events e ON e.id = s.event_id ";

bridge_source read_source(const sqlite_statement& q) {
    bridge_source s;
    s.id = q.column_int(0);
    s.event_id = q.column_int(1);
    s.event_slug = q.column_text(2);
    s.kind = source_kind_from_string(q.column_text(3)).value_or(source_kind::mastodon);
    s.endpoint = q.column_text(4);
    s.tag = q.column_text(5);
    s.access_token = q.column_text(6);
    s.paused = q.column_int(7) != 0;
    s.cursor = q.column_text(8);
    s.created_by = q.column_text(9);
    s.created_at = q.column_int(10);
    return s;
}

result<bridge_source> load_source(sqlite_connection& db, std::int64_t id) {
    auto q = db.prepare(std::string(source_columns) + "WHERE s.id = ?");
    if (!q) return q.error();
    q->bind(1, id);
    int rc = q->step();
    if (rc == SQLITE_DONE)
        return source_missing(id);
    if (rc != SQLITE_ROW) return db.last_error("read source");
    return read_source(*q);
}

}  // namespace

result<bridge_source> sqlite_store::create_source(const new_bridge_source& s) {
    std::lock_guard lock(write_mutex_);
    sqlite_connection& db = writer_;
    return in_transaction<bridge_source>(db, [&]() -> result<bridge_source> {
        auto ins = db.prepare(
            "INSERT INTO bridge_sources (event_id, kind, endpoint, tag, access_token, created_by, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!ins) return ins.error();
        ins->bind(1, s.event_id);
        ins->bind(2, std::string_view(to_string(s.kind)));
        ins->bind(3, std::string_view(s.endpoint));
        ins->bind(4, std::string_view(s.tag));
        ins->bind(5, std::string_view(s.access_token));
        ins->bind(6, std::string_view(s.created_by));
        ins->bind(7, s.created_at);
        if (status st = step_done(db, *ins, "create source"); !st) return st;
        return load_source(db, sqlite3_last_insert_rowid(db.get()));
    });
}

result<std::vector<bridge_source>> sqlite_store::list_sources(std::optional<std::int64_t> event_id) {
    reader_lease db(*this);
    auto q = db->prepare(std::string(source_columns) +
                         (event_id ? "WHERE s.event_id = ? ORDER BY s.id" : "ORDER BY s.id"));
    if (!q) return q.error();
    if (event_id) q->bind(1, *event_id);
    std::vector<bridge_source> out;
    int rc;
    while ((rc = q->step()) == SQLITE_ROW) out.push_back(read_source(*q));
    if (rc != SQLITE_DONE) return db->last_error("list sources");
    return out;
}

result<bridge_source> sqlite_store::get_source(std::int64_t id) {
    reader_lease db(*this);
    return load_source(*db, id);
}

result<bridge_source> sqlite_store::set_source_paused(std::int64_t id, bool paused) {
    std::lock_guard lock(write_mutex_);
    sqlite_connection& db = writer_;
    return in_transaction<bridge_source>(db, [&]() -> result<bridge_source> {
        if (auto s = load_source(db, id); !s) return s.error();
        auto upd = db.prepare("UPDATE bridge_sources SET paused = ? WHERE id = ?");
        if (!upd) return upd.error();
        upd->bind(1, static_cast<std::int64_t>(paused ? 1 : 0));
        upd->bind(2, id);
        if (status st = step_done(db, *upd, "pause source"); !st) return st;
        return load_source(db, id);
    });
}

status sqlite_store::delete_source(std::int64_t id) {
    std::lock_guard lock(write_mutex_);
    sqlite_connection& db = writer_;
    return in_transaction_status(db, [&]() -> status {
        if (auto s = load_source(db, id); !s) return s.error();
        auto del = db.prepare("DELETE FROM bridge_sources WHERE id = ?");
        if (!del) return del.error();
        del->bind(1, id);
        return step_done(db, *del, "delete source");
    });
}

status sqlite_store::save_source_cursor(std::int64_t id, const std::string& cursor) {
    std::lock_guard lock(write_mutex_);
    sqlite_connection& db = writer_;
    auto upd = db.prepare("UPDATE bridge_sources SET cursor = ? WHERE id = ?");
    if (!upd) return upd.error();
    upd->bind(1, std::string_view(cursor));
    upd->bind(2, id);
    return step_done(db, *upd, "save source cursor");
}

}  // namespace tribune
