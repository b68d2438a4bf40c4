// postgres_store as a source_store: the social-network sources of each event and their resume
// cursors (migration postgresql/0003_bridge_sources).

#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace pg_rows;

namespace {

constexpr std::string_view source_columns =
    "SELECT s.id, s.event_id, e.slug, s.kind, s.endpoint, s.tag, s.access_token, s.paused, "
    "s.cursor, s.created_by, s.created_at FROM bridge_sources s JOIN events e ON e.id = s.event_id ";

bridge_source read_source(const pg_result& r, int row) {
    bridge_source s;
    s.id = r.integer(row, 0);
    s.event_id = r.integer(row, 1);
    s.event_slug = r.text(row, 2);
    s.kind = source_kind_from_string(r.text(row, 3)).value_or(source_kind::mastodon);
    s.endpoint = r.text(row, 4);
    s.tag = r.text(row, 5);
    s.access_token = r.text(row, 6);
    s.paused = r.flag(row, 7);
    s.cursor = r.text(row, 8);
    s.created_by = r.text(row, 9);
    s.created_at = r.integer(row, 10);
    return s;
}

result<bridge_source> load_source(pg_connection& db, std::int64_t id) {
    auto r = db.exec(std::string(source_columns) + "WHERE s.id = $1", pg_params().add(id),
                     "read source");
    if (!r) return r.error();
    if (r->empty()) return source_missing(id);
    return read_source(*r, 0);
}

}  // namespace

result<bridge_source> postgres_store::create_source(const new_bridge_source& s) {
    lease db(*this);
    auto r = db->exec(
        "INSERT INTO bridge_sources (event_id, kind, endpoint, tag, access_token, created_by, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        pg_params()
            .add(s.event_id)
            .add(std::string(to_string(s.kind)))
            .add(s.endpoint)
            .add(s.tag)
            .add(s.access_token)
            .add(s.created_by)
            .add(std::int64_t{s.created_at}),
        "create source");
    if (!r) return r.error();
    return load_source(*db, r->integer(0, 0));
}

result<std::vector<bridge_source>> postgres_store::list_sources(std::optional<std::int64_t> event_id) {
    lease db(*this);
    auto r = event_id ? db->exec(std::string(source_columns) + "WHERE s.event_id = $1 ORDER BY s.id",
                                 pg_params().add(*event_id), "list sources")
                      : db->exec(std::string(source_columns) + "ORDER BY s.id", {}, "list sources");
    if (!r) return r.error();
    std::vector<bridge_source> out;
    for (int i = 0; i < r->rows(); ++i) out.push_back(read_source(*r, i));
    return out;
}

result<bridge_source> postgres_store::get_source(std::int64_t id) {
    lease db(*this);
    return load_source(*db, id);
}

result<bridge_source> postgres_store::set_source_paused(std::int64_t id, bool paused) {
    lease db(*this);
    auto r = db->exec("UPDATE bridge_sources SET paused = $1 WHERE id = $2",
                      pg_params().add(paused ? 1 : 0).add(id), "pause source");
    if (!r) return r.error();
    return load_source(*db, id);  // not_found when no row was updated
}

status postgres_store::delete_source(std::int64_t id) {
    lease db(*this);
    auto r = db->exec("DELETE FROM bridge_sources WHERE id = $1", pg_params().add(id),
                      "delete source");
    if (!r) return r.error();
    if (r->affected() == 0) return source_missing(id);
    return status::ok();
}

status postgres_store::save_source_cursor(std::int64_t id, const std::string& cursor) {
    lease db(*this);
    return db->run("UPDATE bridge_sources SET cursor = $1 WHERE id = $2",
                   pg_params().add(cursor).add(id), "save source cursor");
}

}  // namespace tribune
