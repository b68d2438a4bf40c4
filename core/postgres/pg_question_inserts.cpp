// postgres_store as a question_store, writing: the group commit of new questions. Grouping is
// decided by the caller's near_duplicate_index; this file only writes the group down. With
// insert_planned_batch the caller decides it inside the transaction, after the numbering locks
// (question_store.hpp): each instance keeps its own index in memory, so two near-duplicates
// committed at once on two instances would otherwise each miss the other and start two
// groups. The lock orders the two batches; the second reads (read_missed, one statement, only
// when its caller is behind) the questions and group decisions the first committed, and its
// planner adds them to its index before grouping. Its caller usually is not behind: it
// accounts for what its change listener delivered (group_commit::absorb).
//
// A batch is written set-wise, each step ONE statement over unnest() of array parameters
// (pg_array), whatever the batch's size: BEGIN + numbering locks + ids (one round trip), the
// questions, their groups' counters (read FOR UPDATE only when joining stored groups, one
// upsert), spans, audit rows, webhook deliveries, then the numbered changes + COMMIT (one
// round trip) — 7 to 8 round trips per batch instead of about 8 per question, under one
// acquisition of each event's numbering lock (taken first, held to COMMIT).
//
// Idempotency across instances: the insert meets the unique index questions_external with
// ON CONFLICT DO NOTHING, so two instances storing the same (event, source, external_id) at
// once store it once — the second waits for the first's transaction, then stores nothing and
// answers with the stored question. Inside one batch the first of two equal identities is
// stored and the second answers with it.

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "core/domain/group_heat.hpp"
#include "core/domain/question_filter.hpp"
#include "core/postgres/pg_array.hpp"
#include "core/postgres/pg_group_decisions.hpp"
#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/store/store_rules.hpp"
#include "core/triage/decision_inheritance.hpp"

namespace tribune {

using namespace pg_rows;

namespace {

// A batch item that was not stored: the stored question with its identity, and its group.
struct known_question {
    std::int64_t id = 0;
    std::int64_t group = 0;
};
using known_items = std::unordered_map<std::size_t, known_question>;

// The group of each item: its own id, a stored group, or an earlier item's group. A known
// identity's group is the stored question's — resolved like the item's when that question
// is an earlier item of this batch (its group as read may be about to change).
result<std::vector<std::int64_t>> resolve_groups(const std::vector<question_insert>& batch,
                                                 const std::vector<std::int64_t>& ids,
                                                 const known_items& known) {
    std::unordered_map<std::int64_t, std::size_t> item_of;
    if (!known.empty())
        for (std::size_t i = 0; i < ids.size(); ++i) item_of[ids[i]] = i;
    std::vector<std::int64_t> groups(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (auto k = known.find(i); k != known.end()) {
            auto earlier = item_of.find(k->second.id);
            groups[i] = earlier != item_of.end() && earlier->second < i ? groups[earlier->second]
                                                                        : k->second.group;
            continue;
        }
        const group_choice& g = batch[i].group;
        switch (g.k) {
            case group_choice::kind::own: groups[i] = ids[i]; break;
            case group_choice::kind::existing: groups[i] = g.cluster_id; break;
            case group_choice::kind::batch_item:
                if (g.item >= i)
                    return status::error(error_kind::internal, "invalid_group",
                                         "a question's group names a later item of its batch");
                groups[i] = groups[g.item];
                break;
        }
    }
    return groups;
}

// INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING: the ids actually stored.
result<std::unordered_set<std::int64_t>> insert_questions(pg_connection& db,
                                                          const std::vector<question_insert>& batch,
                                                          const std::vector<std::int64_t>& ids,
                                                          const std::vector<std::int64_t>& groups,
                                                          timestamp_ms now) {
    constexpr std::size_t columns = 23;
    std::vector<pg_array> a(columns);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const question& q = batch[i].q;
        a[0].add(ids[i]);
        a[1].add(q.event_id);
        a[2].add(std::string_view(q.text));
        a[3].add(q.author);
        a[4].add(q.source);
        a[5].add(q.external_id);
        a[6].add(asked_at(q, now));
        a[7].add(to_string(q.status));
        a[8].add(std::string_view(q.scored.lang));
        a[9].add(std::string_view(q.verdict));
        for (std::size_t k = 0; k < attribute_count; ++k)
            a[10 + k].add(static_cast<double>(q.scored.values.values[k]));
        a[16].add(static_cast<std::int64_t>(severity_milli(q)));
        a[17].add(std::string_view(batch[i].search_text));
        a[18].add(groups[i]);
        if (!batch[i].group_text.empty()) a[19].add(std::string_view(batch[i].group_text));
        else a[19].add_null();
        if (q.correction) a[20].add(static_cast<double>(q.correction->delta));
        else a[20].add_null();
        if (q.correction && q.correction->moved_from) a[21].add(to_string(*q.correction->moved_from));
        else a[21].add_null();
        if (q.question_probability) a[22].add(static_cast<double>(*q.question_probability));
        else a[22].add_null();
    }
    pg_params p;
    for (const pg_array& column : a) p.add(column.literal());
    p.add(now);
    pg_array urls;
    for (const question_insert& in : batch) urls.add(in.q.origin_url);
    p.add(urls.literal());
    auto r = db.exec(
        "INSERT INTO questions (id, event_id, text, author, source, external_id, created_at, "
        "updated_at, status, version, lang, verdict, s_toxicity, s_severe_toxicity, s_insult, "
        "s_profanity, s_threat, s_identity_attack, severity, search_text, cluster_id, group_text, "
        "correction, correction_from, question_probability, origin_url) "
        "SELECT id, ev, tx, au, so, ex, ca, $24::bigint, st, 1, la, ve, s1, s2, s3, s4, s5, s6, se, "
        "sx, cl, gt, co, cf, qp, ou FROM unnest($1::bigint[], $2::bigint[], $3::text[], "
        "$4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], "
        "$11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[], "
        "$16::float8[], $17::bigint[], $18::text[], $19::bigint[], $20::text[], $21::float8[], "
        "$22::text[], $23::float8[], $25::text[]) WITH ORDINALITY AS r(id, ev, tx, au, so, ex, "
        "ca, st, la, ve, s1, s2, s3, s4, s5, s6, se, sx, cl, gt, co, cf, qp, ou, o) ORDER BY o "
        "ON CONFLICT DO NOTHING RETURNING id",
        p, "insert questions");
    if (!r) return r.error();
    std::unordered_set<std::int64_t> stored;
    for (int i = 0; i < r->rows(); ++i) stored.insert(r->integer(i, 0));
    return stored;
}

// The items not stored (known identities): the stored questions with their identities.
result<known_items> find_known(
    pg_connection& db, const std::vector<question_insert>& batch, const std::vector<std::size_t>& items) {
    pg_array events, sources, externals, index;
    for (std::size_t i : items) {
        events.add(batch[i].q.event_id);
        sources.add(std::string_view(batch[i].q.source.value_or("")));
        externals.add(batch[i].q.external_id);
        index.add(static_cast<std::int64_t>(i));
    }
    auto r = db.exec(
        "SELECT k.i, q.id, coalesce(q.cluster_id, q.id) FROM unnest($1::bigint[], $2::text[], "
        "$3::text[], $4::bigint[]) AS k(e, s, x, i) JOIN questions q ON q.event_id = k.e "
        "AND coalesce(q.source, '') = k.s AND q.external_id = k.x",
        pg_params().add(events.literal()).add(sources.literal()).add(externals.literal())
            .add(index.literal()),
        "read known questions");
    if (!r) return r.error();
    known_items known;
    for (int row = 0; row < r->rows(); ++row)
        known[static_cast<std::size_t>(r->integer(row, 0))] = {r->integer(row, 1), r->integer(row, 2)};
    if (known.size() != items.size())
        return status::error(error_kind::internal, "storage_error",
                             "insert ignored but no existing question found");
    return known;
}

// Stored items whose group changed once known identities were resolved.
status regroup(pg_connection& db, const std::vector<std::int64_t>& ids,
               const std::vector<bool>& stored, const std::vector<std::int64_t>& before,
               const std::vector<std::int64_t>& after) {
    pg_array moved, to;
    for (std::size_t i = 0; i < ids.size(); ++i)
        if (stored[i] && before[i] != after[i]) {
            moved.add(ids[i]);
            to.add(after[i]);
        }
    if (moved.size() == 0) return status::ok();
    return db.run("UPDATE questions q SET cluster_id = u.c FROM unnest($1::bigint[], "
                  "$2::bigint[]) AS u(id, c) WHERE q.id = u.id",
                  pg_params().add(moved.literal()).add(to.literal()), "regroup questions");
}

struct group_counters {
    std::int64_t size = 0, review = 0, heat = 0, event = 0;
};

// Counts each stored question in its group, in batch order: `out[i]` gets its group's size,
// review count and heat as of its own arrival. Stored groups are read FOR UPDATE, the new
// values written by one upsert.
status count_groups(pg_connection& db, std::vector<insert_outcome>& out, const std::vector<bool>& stored) {
    std::set<std::int64_t> earlier;  // groups not started by this batch
    for (std::size_t i = 0; i < out.size(); ++i)
        if (stored[i] && out[i].stored.cluster_id != out[i].stored.id) earlier.insert(out[i].stored.cluster_id);
    std::map<std::int64_t, group_counters> groups;
    if (!earlier.empty()) {
        pg_array ids;
        for (std::int64_t g : earlier) ids.add(g);
        auto r = db.exec("SELECT id, size, review, heat FROM question_clusters "
                         "WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE",
                         pg_params().add(ids.literal()), "read groups");
        if (!r) return r.error();
        for (int row = 0; row < r->rows(); ++row)
            groups[r->integer(row, 0)] = {r->integer(row, 1), r->integer(row, 2), r->integer(row, 3)};
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (!stored[i]) continue;
        question& q = out[i].stored;
        group_counters& g = groups[q.cluster_id];
        g.event = q.event_id;
        const std::int64_t arrival = arrival_heat(q.created_at);
        g.heat = g.size == 0 ? arrival : add_heat(g.heat, arrival);
        g.size += 1;
        g.review += in_review(q.status) ? 1 : 0;
        q.cluster_size = g.size;
        q.cluster_review = g.review;
        q.cluster_heat = g.heat;
    }
    pg_array ids, sizes, reviews, heats, events;
    for (const auto& [id, g] : groups) {
        if (g.size == 0) continue;
        ids.add(id);
        sizes.add(g.size);
        reviews.add(g.review);
        heats.add(g.heat);
        events.add(g.event);
    }
    if (ids.size() == 0) return status::ok();
    return db.run(
        "INSERT INTO question_clusters (id, size, review, heat, event_id) SELECT * FROM unnest("
        "$1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) ON CONFLICT (id) DO UPDATE "
        "SET size = excluded.size, review = excluded.review, heat = excluded.heat, event_id = excluded.event_id",
        pg_params().add(ids.literal()).add(sizes.literal()).add(reviews.literal()).add(heats.literal())
            .add(events.literal()),
        "count groups");
}

// The stored questions' spans, then their audit rows; returns each audit row's id by question.
result<std::unordered_map<std::int64_t, std::int64_t>> write_spans_and_audit(
    pg_connection& db, const std::vector<question_insert>& batch,
    const std::vector<insert_outcome>& out, const std::vector<bool>& stored, timestamp_ms now) {
    pg_array sq, ss, se, sa, sw, sr;
    pg_array aq, aa, at, ar;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (!stored[i]) continue;
        const question& q = out[i].stored;
        for (const span& sp : q.scored.spans) {
            sq.add(q.id);
            ss.add(static_cast<std::int64_t>(sp.start));
            se.add(static_cast<std::int64_t>(sp.end));
            sa.add(to_string(sp.attr));
            sw.add(static_cast<double>(sp.weight));
            sr.add(std::string_view(sp.rule));
        }
        aq.add(q.id);
        aa.add(insert_action(batch[i].inherited, batch[i].unsure));
        at.add(to_string(q.status));
        ar.add(std::string_view(q.verdict));
    }
    if (sq.size() > 0) {
        status s = db.run(
            "INSERT INTO question_spans (question_id, start, \"end\", attribute, weight, rule) "
            "SELECT q, s, e, a, w, r FROM unnest($1::bigint[], $2::int[], $3::int[], $4::text[], "
            "$5::float8[], $6::text[]) WITH ORDINALITY AS x(q, s, e, a, w, r, o) ORDER BY o",
            pg_params().add(sq.literal()).add(ss.literal()).add(se.literal()).add(sa.literal())
                .add(sw.literal()).add(sr.literal()),
            "insert spans");
        if (!s) return s;
    }
    std::unordered_map<std::int64_t, std::int64_t> audit;
    if (aq.size() == 0) return audit;
    auto r = db.exec(
        "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
        "SELECT q, 'triage', a, NULL, t, r, $5::bigint FROM unnest($1::bigint[], $2::text[], "
        "$3::text[], $4::text[]) WITH ORDINALITY AS x(q, a, t, r, o) ORDER BY o "
        "RETURNING id, question_id",
        pg_params().add(aq.literal()).add(aa.literal()).add(at.literal()).add(ar.literal()).add(now),
        "insert audit rows");
    if (!r) return r.error();
    for (int row = 0; row < r->rows(); ++row) audit[r->integer(row, 1)] = r->integer(row, 0);
    return audit;
}

// The answers for known identities: the stored questions as they are now.
status answer_known(pg_connection& db, std::vector<insert_outcome>& out,
                    const std::vector<bool>& stored) {
    pg_array ids;
    for (std::size_t i = 0; i < out.size(); ++i)
        if (!stored[i]) ids.add(out[i].stored.id);
    if (ids.size() == 0) return status::ok();
    auto r = db.exec(std::string(question_columns) + "WHERE q.id = ANY($1::bigint[])",
                     pg_params().add(ids.literal()), "read known questions");
    if (!r) return r.error();
    auto known = questions_of(db, *r);
    if (!known) return known.error();
    std::unordered_map<std::int64_t, const question*> by_id;
    for (const question& q : *known) by_id[q.id] = &q;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (stored[i]) continue;
        auto it = by_id.find(out[i].stored.id);
        if (it == by_id.end()) return question_missing(out[i].stored.id);
        out[i] = {*it->second, false};
    }
    return status::ok();
}

// Everything of a batch between opening its transaction (numbering locked, ids reserved) and
// announcing its changes: the questions, known identities, groups, spans, audit rows and
// webhook deliveries.
// `bulk`: the questions go through COPY (copy_questions) instead of unnest() arrays.
result<std::vector<insert_outcome>> write_batch(pg_connection& db,
                                                const std::vector<question_insert>& batch,
                                                const std::vector<std::int64_t>& ids, bool bulk) {
    if (ids.size() != batch.size())
        return status::error(error_kind::internal, "storage_error", "question ids not reserved");
    auto groups = resolve_groups(batch, ids, {});
    if (!groups) return groups.error();
    const timestamp_ms now = now_ms();
    auto inserted = bulk ? copy_questions(db, batch, ids, *groups, now)
                         : insert_questions(db, batch, ids, *groups, now);
    if (!inserted) return inserted.error();
    std::vector<bool> stored(batch.size());
    std::vector<std::size_t> skipped;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        stored[i] = inserted->count(ids[i]) > 0;
        if (!stored[i]) skipped.push_back(i);
    }
    std::vector<std::int64_t> final_ids = ids;
    std::vector<std::int64_t> final_groups = *groups;
    if (!skipped.empty()) {
        auto known = find_known(db, batch, skipped);
        if (!known) return known.error();
        for (const auto& [i, k] : *known) final_ids[i] = k.id;
        auto regrouped = resolve_groups(batch, ids, *known);
        if (!regrouped) return regrouped.error();
        if (status s = regroup(db, ids, stored, *groups, *regrouped); !s) return s;
        final_groups = std::move(*regrouped);
    }
    std::vector<insert_outcome> out(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) {
        question& q = out[i].stored;
        out[i].inserted = stored[i];
        if (stored[i]) {
            q = batch[i].q;
            q.created_at = asked_at(batch[i].q, now);
            q.updated_at = now;
            q.version = 1;
        }
        q.id = final_ids[i];
        q.cluster_id = final_groups[i];
    }
    if (status s = count_groups(db, out, stored); !s) return s;
    auto audit = write_spans_and_audit(db, batch, out, stored, now);
    if (!audit) return audit.error();
    std::vector<audited_change> owed;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (!stored[i]) continue;
        const question& q = out[i].stored;
        owed.push_back({q.event_id, q.id, (*audit)[q.id], "auto", std::nullopt, q.status});
    }
    if (status s = queue_webhooks(db, owed); !s) return s;
    if (status s = answer_known(db, out, stored); !s) return s;
    return out;
}

// What committed to the batch's events after the numbers the caller gave, for those behind:
// the new questions (their grouping rows) and, for each moderator's change, its group's
// decision as stored now. Payloads as pg_rows::notify_change writes them: "id|new|state|
// version", "id|moved|from|state|version|actor", "s|..." (a shortlist: nothing to group), and
// "id|created" / "id|updated|from|actor" from earlier versions.
// REQUIRES: a transaction open on `db` holding the events' numbering locks.
status read_missed(pg_connection& db, const batch_events& events, committed_elsewhere& since) {
    pg_array ev, after;
    for (const auto& [event, known] : events) {
        auto last = since.through.find(event);
        if (!known || last == since.through.end() || *known >= last->second) continue;
        ev.add(event);
        after.add(static_cast<std::int64_t>(*known));
    }
    if (ev.size() == 0) return status::ok();
    auto r = db.exec(
        "SELECT c.event_id, c.payload, q.id, coalesce(q.cluster_id, q.id), "
        "coalesce(q.group_text, q.search_text) FROM unnest($1::bigint[], $2::bigint[]) AS k(e, s) "
        "JOIN event_changes c ON c.event_id = k.e AND c.seq > k.s "
        "LEFT JOIN questions q ON q.id = CASE WHEN split_part(c.payload, '|', 1) ~ '^[0-9]{1,18}$' "
        "THEN split_part(c.payload, '|', 1)::bigint END ORDER BY c.event_id, c.seq",
        pg_params().add(ev.literal()).add(after.literal()), "read changes committed elsewhere");
    if (!r) return r.error();
    std::set<std::int64_t> decided;
    for (int row = 0; row < r->rows(); ++row) {
        if (r->is_null(row, 2)) continue;  // a shortlist's change, or a question gone since
        const std::string payload = r->text(row, 1);
        const std::string_view rest = payload_after(payload, 1);
        const std::string_view kind = rest.substr(0, rest.find('|'));
        if (kind == "new" || kind == "created") {
            since.created.push_back(
                {r->integer(row, 2), r->integer(row, 0), r->integer(row, 3), r->text(row, 4)});
        } else if (!payload_after(payload, kind == "moved" ? 5 : 3).empty()) {
            decided.insert(r->integer(row, 3));  // a moderator's: the group's decision may move
        }
    }
    for (std::int64_t cluster : decided) {
        auto d = decided_one(db, cluster);
        if (!d) return d.error();
        since.decisions.push_back({cluster, std::move(*d)});
    }
    return status::ok();
}

}  // namespace

// One round trip opens the transaction, takes the numbering locks (events in order: two
// batches lock them alike), reserves the ids and reads the events' last numbers; one closes
// it, numbering and announcing the changes and committing. With a planner, between the two:
// one read of what committed elsewhere when the caller is behind, then the plan. A failure
// anywhere rolls everything back.
result<std::vector<insert_outcome>> postgres_store::insert_in_order(
    const batch_events& events, const std::vector<question_insert>& rows, const batch_planner* plan) {
    if (rows.empty()) return std::vector<insert_outcome>{};
    lease db(*this);
    std::string open = "BEGIN; ";
    std::string in;
    for (const auto& [e, known] : events) {
        open += lock_numbering_of_event_sql(e) + "; ";
        in += (in.empty() ? "" : ", ") + std::to_string(e);
    }
    // The ids (second column 0), then each event's last number (its id second).
    open += "SELECT nextval(pg_get_serial_sequence('questions', 'id')), 0::bigint FROM "
            "generate_series(1, " + std::to_string(rows.size()) + ") UNION ALL "
            "SELECT seq, event_id FROM event_sequences WHERE event_id IN (" + in + ")";
    auto opened = db->exec_script(open, "open batch");
    if (!opened) {
        db->run("ROLLBACK", {}, "rollback");
        return opened.error();
    }
    std::vector<std::int64_t> ids;
    committed_elsewhere since;
    for (int i = 0; i < opened->rows(); ++i) {
        if (opened->integer(i, 1) == 0) ids.push_back(opened->integer(i, 0));
        else since.through[opened->integer(i, 1)] = static_cast<std::uint64_t>(opened->integer(i, 0));
    }
    status planned = plan ? read_missed(*db, events, since) : status::ok();
    if (planned && plan) planned = (*plan)(since);
    result<std::vector<insert_outcome>> out = planned ? write_batch(*db, rows, ids, bulk_writes_.load())
                                                      : result<std::vector<insert_outcome>>(planned);
    if (!out) {
        db->run("ROLLBACK", {}, "rollback");
        return out;
    }
    std::vector<question> created;
    for (const insert_outcome& o : *out)
        if (o.inserted) created.push_back(o.stored);
    const std::string close = created.empty() ? "COMMIT" : notify_created_sql(created) + "; COMMIT";
    if (status s = db->run_script(close, "commit batch"); !s) {
        db->run("ROLLBACK", {}, "rollback");
        return s;
    }
    return out;
}

result<std::vector<insert_outcome>> postgres_store::insert_batch(
    const std::vector<question_insert>& batch) {
    batch_events events;
    for (const question_insert& in : batch) events.emplace(in.q.event_id, std::nullopt);
    return insert_in_order(events, batch, nullptr);
}

result<std::vector<insert_outcome>> postgres_store::insert_planned_batch(
    const batch_events& events, std::vector<question_insert>& rows, const batch_planner& plan) {
    for (const question_insert& in : rows)
        if (events.count(in.q.event_id) == 0)
            return status::error(error_kind::internal, "invalid_batch",
                                 "a question's event is not among the batch's events");
    return insert_in_order(events, rows, &plan);
}

result<std::map<std::int64_t, std::uint64_t>> postgres_store::last_change_numbers() {
    lease db(*this);
    auto r = db->exec("SELECT event_id, seq FROM event_sequences", {}, "read change numbers");
    if (!r) return r.error();
    std::map<std::int64_t, std::uint64_t> out;
    for (int i = 0; i < r->rows(); ++i)
        out[r->integer(i, 0)] = static_cast<std::uint64_t>(r->integer(i, 1));
    return out;
}

}  // namespace tribune
