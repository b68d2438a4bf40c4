// postgres_store as an event_store: events, their triage policies and their settings.

#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"

namespace tribune {

using namespace pg_rows;

result<event_info> postgres_store::create_event(const new_event& e) {
    lease db(*this);
    auto r = db->exec(
        "INSERT INTO events (slug, title, premoderate, created_at, auto_decide_unsure) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING id, slug, title, premoderate, created_at",
        pg_params().add(e.slug).add(e.title).add(e.premoderate ? 1 : 0).add(now_ms())
            .add(event_policy{}.auto_decide_unsure ? 1 : 0),
        "create event");
    if (!r && r.error().code() == "unique_violation")
        return status::error(error_kind::conflict, "event_exists",
                             "an event with slug '" + e.slug + "' already exists");
    if (!r) return r.error();
    return read_event(*r, 0);
}

result<event_info> postgres_store::find_event(const std::string& slug) {
    lease db(*this);
    return load_event(*db, slug);
}

result<std::vector<event_info>> postgres_store::list_events() {
    lease db(*this);
    auto r = db->exec("SELECT id, slug, title, premoderate, created_at FROM events ORDER BY id", {},
                      "list events");
    if (!r) return r.error();
    std::vector<event_info> out;
    for (int i = 0; i < r->rows(); ++i) out.push_back(read_event(*r, i));
    return out;
}

namespace {

status read_lists(pg_connection& db, std::int64_t event_id, event_policy& p) {
    auto th = db.exec(
        "SELECT attribute, review_above, reject_above FROM event_thresholds WHERE event_id = $1",
        pg_params().add(event_id), "read thresholds");
    if (!th) return th.error();
    for (int i = 0; i < th->rows(); ++i)
        if (auto a = attribute_from_string(th->text(i, 0)))
            p.thresholds.at(*a) = {static_cast<float>(th->real(i, 1)),
                                   static_cast<float>(th->real(i, 2))};
    auto terms = db.exec(
        "SELECT kind, term FROM event_terms WHERE event_id = $1 ORDER BY kind, position",
        pg_params().add(event_id), "read word lists");
    if (!terms) return terms.error();
    for (int i = 0; i < terms->rows(); ++i)
        (terms->text(i, 0) == "banned" ? p.banned : p.suspect).push_back(terms->text(i, 1));
    auto tags = db.exec("SELECT tag FROM event_tags WHERE event_id = $1 ORDER BY position",
                        pg_params().add(event_id), "read event tags");
    if (!tags) return tags.error();
    for (int i = 0; i < tags->rows(); ++i) p.canonical.event_tags.push_back(tags->text(i, 0));
    return status::ok();
}

// REQUIRES: a transaction open on `db`.
status replace_lists(pg_connection& db, std::int64_t event_id, const event_policy& p) {
    for (const char* table : {"event_thresholds", "event_terms", "event_tags"})
        if (status s = db.run(std::string("DELETE FROM ") + table + " WHERE event_id = $1",
                              pg_params().add(event_id), "replace policy");
            !s)
            return s;
    for (attribute a : all_attributes)
        if (status s = db.run("INSERT INTO event_thresholds (event_id, attribute, review_above, "
                              "reject_above) VALUES ($1, $2, $3, $4)",
                              pg_params()
                                  .add(event_id)
                                  .add(to_string(a))
                                  .add(static_cast<double>(p.thresholds.at(a).review_above))
                                  .add(static_cast<double>(p.thresholds.at(a).reject_above)),
                              "insert threshold");
            !s)
            return s;
    std::int64_t pos = 0;
    for (const std::string& tag : p.canonical.event_tags)
        if (status s = db.run("INSERT INTO event_tags (event_id, tag, position) VALUES ($1, $2, $3) "
                              "ON CONFLICT DO NOTHING",
                              pg_params().add(event_id).add(tag).add(pos++), "insert event tag");
            !s)
            return s;
    for (const auto* list : {&p.banned, &p.suspect}) {
        const char* kind = list == &p.banned ? "banned" : "suspect";
        pos = 0;
        for (const std::string& term : *list)
            if (status s = db.run("INSERT INTO event_terms (event_id, kind, term, position) "
                                  "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                                  pg_params().add(event_id).add(kind).add(term).add(pos++),
                                  "insert term");
                !s)
                return s;
    }
    return status::ok();
}

}  // namespace

result<event_policy> postgres_store::get_policy(std::int64_t event_id) {
    lease db(*this);
    auto ev = db->exec(
        "SELECT premoderate, canonical_enabled, drop_trailing_tags, drop_mentions, drop_links, "
        "inherit_group_decisions, learn_from_decisions, narrow_review_band, auto_decide_unsure FROM events WHERE id = $1",
        pg_params().add(event_id), "read event");
    if (!ev) return ev.error();
    if (ev->empty()) return status::error(error_kind::not_found, "event_not_found", "no such event");
    event_policy p;
    p.premoderate = ev->flag(0, 0);
    p.canonical.enabled = ev->flag(0, 1);
    p.canonical.drop_trailing_tags = ev->flag(0, 2);
    p.canonical.drop_mentions = ev->flag(0, 3);
    p.canonical.drop_links = ev->flag(0, 4);
    p.inherit_group_decisions = ev->flag(0, 5);
    p.learn_from_decisions = ev->flag(0, 6);
    p.narrow_review_band = ev->flag(0, 7);
    p.auto_decide_unsure = ev->flag(0, 8);
    if (status s = read_lists(*db, event_id, p); !s) return s;
    return p;
}

// Every save replaces all of an event's event_thresholds rows in one transaction (replace_lists),
// so the rows' count and the sum of their inserting transaction ids change with every save
// committed, by any instance (a later transaction has a larger id). One aggregate over a few
// rows per event; no column is needed for it.
result<std::optional<std::pair<std::int64_t, std::int64_t>>> postgres_store::policy_mark() {
    lease db(*this);
    auto r = db->exec(
        "SELECT count(*), coalesce(sum(xmin::text::bigint), 0)::bigint FROM event_thresholds", {},
        "read policy mark");
    if (!r) return r.error();
    return std::optional(std::pair<std::int64_t, std::int64_t>{r->integer(0, 0), r->integer(0, 1)});
}

status postgres_store::save_policy(std::int64_t event_id, const event_policy& p) {
    lease db(*this);
    return in_transaction_status(*db, [&]() -> status {
        pg_params params;
        for (bool flag : {p.premoderate, p.canonical.enabled, p.canonical.drop_trailing_tags,
                          p.canonical.drop_mentions, p.canonical.drop_links,
                          p.inherit_group_decisions, p.learn_from_decisions, p.narrow_review_band,
                          p.auto_decide_unsure})
            params.add(flag ? 1 : 0);
        params.add(event_id);
        auto upd = db->exec(
            "UPDATE events SET premoderate = $1, canonical_enabled = $2, drop_trailing_tags = $3, "
            "drop_mentions = $4, drop_links = $5, inherit_group_decisions = $6, "
            "learn_from_decisions = $7, narrow_review_band = $8, auto_decide_unsure = $9 WHERE id = $10",
            params, "update event");
        if (!upd) return upd.error();
        if (upd->affected() == 0)
            return status::error(error_kind::not_found, "event_not_found", "no such event");
        return replace_lists(*db, event_id, p);
    });
}

result<event_settings> postgres_store::get_settings(std::int64_t event_id) {
    lease db(*this);
    if (status s = event_exists(*db, event_id); !s) return s;
    auto r = db->exec("SELECT name, value FROM event_settings WHERE event_id = $1",
                      pg_params().add(event_id), "read settings");
    if (!r) return r.error();
    event_settings out;
    for (int i = 0; i < r->rows(); ++i) {
        const std::string name = r->text(i, 0);
        for (const event_setting_flag& f : event_setting_flags)
            if (f.name == name) out.*f.member = r->text(i, 1) == "true";
    }
    return out;
}

status postgres_store::save_settings(std::int64_t event_id, const event_settings& s) {
    lease db(*this);
    return in_transaction_status(*db, [&]() -> status {
        if (status e = event_exists(*db, event_id); !e) return e;
        for (const event_setting_flag& f : event_setting_flags)
            if (status st = db->run(
                    "INSERT INTO event_settings (event_id, name, value) VALUES ($1, $2, $3) "
                    "ON CONFLICT (event_id, name) DO UPDATE SET value = excluded.value",
                    pg_params().add(event_id).add(f.name).add(s.*f.member ? "true" : "false"),
                    "save setting");
                !st)
                return st;
        return status::ok();
    });
}

}  // namespace tribune
