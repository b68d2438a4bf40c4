// postgres_store as a question_store, writing: the group commit of new questions, and the
// bulk import through COPY. Grouping is decided before (near_duplicate_index); this file only
// writes the group down.
//
// Idempotency across instances: the insert meets the unique index questions_external with
// ON CONFLICT DO NOTHING, so two instances storing the same (event, source, external_id) at
// once store it once — the second waits for the first's transaction, then stores nothing and
// answers with the stored question.

#include <set>

#include "core/domain/group_heat.hpp"
#include "core/domain/question_filter.hpp"
#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/store/store_rules.hpp"
#include "core/triage/decision_inheritance.hpp"

namespace tribune {

using namespace pg_rows;

namespace {

// `n` fresh question ids from the table's sequence (one round trip for the batch). An id not
// used (a known identity) is a gap, as with any sequence.
result<std::vector<std::int64_t>> reserve_ids(pg_connection& db, std::size_t n) {
    auto r = db.exec("SELECT nextval(pg_get_serial_sequence('questions', 'id')) "
                     "FROM generate_series(1, $1)",
                     pg_params().add(static_cast<std::int64_t>(n)), "reserve question ids");
    if (!r) return r.error();
    std::vector<std::int64_t> ids;
    for (int i = 0; i < r->rows(); ++i) ids.push_back(r->integer(i, 0));
    return ids;
}

pg_params question_row(const question_insert& in, std::int64_t id, std::int64_t cluster,
                       timestamp_ms now) {
    const question& q = in.q;
    pg_params p;
    p.add(id).add(q.event_id).add(q.text).add(q.author).add(q.source).add(q.external_id);
    p.add(asked_at(q, now)).add(now).add(to_string(q.status)).add(q.scored.lang).add(q.verdict);
    for (std::size_t i = 0; i < attribute_count; ++i)
        p.add(static_cast<double>(q.scored.values.values[i]));
    p.add(severity_milli(q)).add(in.search_text).add(cluster);
    if (!in.group_text.empty()) p.add(in.group_text);
    else p.add_null();
    if (q.correction) p.add(static_cast<double>(q.correction->delta));
    else p.add_null();
    if (q.correction && q.correction->moved_from) p.add(to_string(*q.correction->moved_from));
    else p.add_null();
    if (q.question_probability) p.add(static_cast<double>(*q.question_probability));
    else p.add_null();
    p.add(q.origin_url);
    return p;
}

constexpr const char* insert_question_sql =
    "INSERT INTO questions (id, event_id, text, author, source, external_id, created_at, "
    "updated_at, status, version, lang, verdict, s_toxicity, s_severe_toxicity, s_insult, "
    "s_profanity, s_threat, s_identity_attack, severity, search_text, cluster_id, group_text, "
    "correction, correction_from, question_probability, origin_url) VALUES ($1, $2, $3, $4, $5, "
    "$6, $7, $8, $9, 1, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, "
    "$25) "
    "ON CONFLICT DO NOTHING RETURNING id";

// Counts the stored question `q` in its group and reads the group's new size, review count
// and heat.
status write_group(pg_connection& db, question& q, std::int64_t group) {
    auto r = db.exec(
        "INSERT INTO question_clusters (id, size, review, heat) VALUES ($1, 1, $2, $3) "
        "ON CONFLICT (id) DO UPDATE SET size = question_clusters.size + 1, "
        "review = question_clusters.review + excluded.review, "
        "heat = tribune_add_heat(question_clusters.heat, excluded.heat) "
        "RETURNING size, review, heat",
        pg_params().add(group).add(std::int64_t{in_review(q.status) ? 1 : 0}).add(arrival_heat(q.created_at)),
        "count group");
    if (!r) return r.error();
    q.cluster_id = group;
    q.cluster_size = r->integer(0, 0);
    q.cluster_review = r->integer(0, 1);
    q.cluster_heat = r->integer(0, 2);
    return status::ok();
}

// The question's spans, then its audit row; returns the audit row's id.
result<std::int64_t> write_spans_and_audit(pg_connection& db, const question& q, std::string_view action,
                                           timestamp_ms now) {
    if (!q.scored.spans.empty()) {
        std::string sql =
            "INSERT INTO question_spans (question_id, start, \"end\", attribute, weight, rule) VALUES ";
        pg_params p;
        for (std::size_t i = 0; i < q.scored.spans.size(); ++i) {
            const span& sp = q.scored.spans[i];
            p.add(q.id).add(static_cast<std::int64_t>(sp.start)).add(static_cast<std::int64_t>(sp.end));
            p.add(to_string(sp.attr)).add(static_cast<double>(sp.weight)).add(sp.rule);
            sql += (i == 0 ? "(" : ", (") + placeholders(6, static_cast<int>(i * 6 + 1)) + ")";
        }
        if (status s = db.run(sql, p, "insert spans"); !s) return s;
    }
    auto r = db.exec(
        "INSERT INTO decisions (question_id, actor, action, from_status, to_status, reason, at) "
        "VALUES ($1, 'triage', $2, NULL, $3, $4, $5) RETURNING id",
        pg_params()
            .add(q.id)
            .add(action)
            .add(to_string(q.status))
            .add(q.verdict)
            .add(now),
        "insert audit row");
    if (!r) return r.error();
    return r->integer(0, 0);
}

}  // namespace

result<std::vector<insert_outcome>> postgres_store::insert_batch(
    const std::vector<question_insert>& batch) {
    lease db(*this);
    return in_transaction<std::vector<insert_outcome>>(
        *db, [&]() -> result<std::vector<insert_outcome>> {
            std::set<std::int64_t> events;  // in order: two batches lock them alike
            for (const question_insert& in : batch) events.insert(in.q.event_id);
            for (std::int64_t e : events)
                if (status s = lock_numbering_of_event(*db, e); !s) return s;
            auto ids = reserve_ids(*db, batch.size());
            if (!ids) return ids.error();
            std::vector<insert_outcome> out;
            out.reserve(batch.size());
            const timestamp_ms now = now_ms();
            for (std::size_t i = 0; i < batch.size(); ++i) {
                const question_insert& in = batch[i];
                auto group = group_of(in.group, out);
                if (!group) return group.error();
                const std::int64_t id = (*ids)[i];
                const std::int64_t cluster = *group != 0 ? *group : id;
                auto inserted = db->exec(insert_question_sql, question_row(in, id, cluster, now),
                                         "insert question");
                if (!inserted) return inserted.error();
                if (inserted->empty()) {
                    // Same (source, external_id) already stored: answer with the existing one.
                    auto existing = load_external(*db, in.q.event_id, in.q.source.value_or(""),
                                                  in.q.external_id.value_or(""));
                    if (!existing) return existing.error();
                    if (!existing->has_value())
                        return status::error(error_kind::internal, "storage_error",
                                             "insert ignored but no existing question found");
                    out.push_back({std::move(**existing), false});
                    continue;
                }
                question stored = in.q;
                stored.id = id;
                stored.created_at = asked_at(in.q, now);
                stored.updated_at = now;
                stored.version = 1;
                if (status s = write_group(*db, stored, cluster); !s) return s;
                auto audit = write_spans_and_audit(*db, stored, insert_action(in.inherited, in.unsure), now);
                if (!audit) return audit.error();
                if (status s = queue_webhooks(*db, stored.event_id, stored.id, *audit, "auto",
                                              std::nullopt, stored.status);
                    !s)
                    return s;
                if (status s = notify_change(*db, stored.id); !s) return s;
                out.push_back({std::move(stored), true});
            }
            return out;
        });
}

result<std::size_t> postgres_store::import_questions(const std::vector<question_insert>& batch) {
    if (batch.empty()) return std::size_t{0};
    lease db(*this);
    return in_transaction<std::size_t>(*db, [&]() -> result<std::size_t> {
        auto ids = reserve_ids(*db, batch.size());
        if (!ids) return ids.error();
        const timestamp_ms now = now_ms();
        auto field = [](const std::optional<std::string>& v) {
            return v ? pg_connection::copy_escape(*v) : std::string("\\N");
        };
        std::string questions, clusters, audit;
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const question& q = batch[i].q;
            const std::int64_t id = (*ids)[i];
            std::string row = std::to_string(id) + '\t' + std::to_string(q.event_id) + '\t' +
                              pg_connection::copy_escape(q.text) + '\t' + field(q.author) + '\t' +
                              field(q.source) + '\t' + field(q.external_id) + '\t' +
                              std::to_string(now) + '\t' + std::to_string(now) + '\t' +
                              std::string(to_string(q.status)) + '\t' +
                              pg_connection::copy_escape(q.scored.lang) + '\t' +
                              pg_connection::copy_escape(q.verdict);
            for (std::size_t a = 0; a < attribute_count; ++a)
                row += '\t' + pg_connection::real_text(q.scored.values.values[a]);
            row += '\t' + std::to_string(severity_milli(q)) + '\t' +
                   pg_connection::copy_escape(batch[i].search_text) + '\t' + std::to_string(id) + '\n';
            questions += row;
            clusters += std::to_string(id) + "\t1\t" + (in_review(q.status) ? "1" : "0") + '\t' +
                        std::to_string(arrival_heat(now)) + '\n';
            audit += std::to_string(id) + "\ttriage\tauto\t" + std::string(to_string(q.status)) +
                     '\t' + pg_connection::copy_escape(q.verdict) + '\t' + std::to_string(now) + '\n';
        }
        if (status s = db->copy_in(
                "COPY questions (id, event_id, text, author, source, external_id, created_at, "
                "updated_at, status, lang, verdict, s_toxicity, s_severe_toxicity, s_insult, "
                "s_profanity, s_threat, s_identity_attack, severity, search_text, cluster_id) "
                "FROM STDIN",
                questions, "import questions");
            !s)
            return s;
        if (status s = db->copy_in("COPY question_clusters (id, size, review, heat) FROM STDIN",
                                   clusters, "import groups");
            !s)
            return s;
        if (status s = db->copy_in(
                "COPY decisions (question_id, actor, action, to_status, reason, at) FROM STDIN",
                audit, "import audit rows");
            !s)
            return s;
        return batch.size();
    });
}

}  // namespace tribune
