// The bulk path of postgres_store's group commit (prefer_bulk_writes, `tribune import`): the
// questions of a batch are sent with COPY FROM STDIN into a temporary staging table (one per
// connection, emptied at COMMIT or ROLLBACK), then moved into questions with the same
// INSERT ... ON CONFLICT DO NOTHING as the array path, so the unique index on (event,
// source, external_id) still decides idempotency; every other step of the batch (groups,
// spans, audit rows, webhooks, numbered announcements) is insert_batch's.

#include "core/domain/question_filter.hpp"
#include "core/postgres/pg_rows.hpp"
#include "core/store/store_rules.hpp"

namespace tribune::pg_rows {

namespace {

std::string copy_field(const std::optional<std::string>& v) {
    return v ? pg_connection::copy_escape(*v) : std::string("\\N");
}

template <typename T>
std::string copy_number(const std::optional<T>& v) {
    return v ? pg_connection::real_text(static_cast<double>(*v)) : std::string("\\N");
}

// One staging row: the columns of question_stage, tab-separated, ending in a newline.
std::string stage_row(std::size_t order, const question_insert& in, std::int64_t id,
                      std::int64_t group, timestamp_ms now) {
    const question& q = in.q;
    std::string row = std::to_string(order) + '\t' + std::to_string(id) + '\t' +
                      std::to_string(q.event_id) + '\t' + pg_connection::copy_escape(q.text) +
                      '\t' + copy_field(q.author) + '\t' + copy_field(q.source) + '\t' +
                      copy_field(q.external_id) + '\t' + std::to_string(asked_at(q, now)) + '\t' +
                      std::string(to_string(q.status)) + '\t' +
                      pg_connection::copy_escape(q.scored.lang) + '\t' +
                      pg_connection::copy_escape(q.verdict);
    for (std::size_t a = 0; a < attribute_count; ++a)
        row += '\t' + pg_connection::real_text(q.scored.values.values[a]);
    row += '\t' + std::to_string(severity_milli(q)) + '\t' +
           pg_connection::copy_escape(in.search_text) + '\t' + std::to_string(group) + '\t' +
           (in.group_text.empty() ? std::string("\\N") : pg_connection::copy_escape(in.group_text)) +
           '\t' + copy_number(q.correction ? std::optional(q.correction->delta) : std::nullopt) +
           '\t' +
           (q.correction && q.correction->moved_from
                ? std::string(to_string(*q.correction->moved_from))
                : std::string("\\N")) +
           '\t' + copy_number(q.question_probability) + '\t' + copy_field(q.origin_url) + '\n';
    return row;
}

}  // namespace

result<std::unordered_set<std::int64_t>> copy_questions(pg_connection& db,
                                                        const std::vector<question_insert>& batch,
                                                        const std::vector<std::int64_t>& ids,
                                                        const std::vector<std::int64_t>& groups,
                                                        timestamp_ms now) {
    if (status s = db.run_script(
            "CREATE TEMP TABLE IF NOT EXISTS question_stage (o bigint, id bigint, ev bigint, "
            "tx text, au text, so text, ex text, ca bigint, st text, la text, ve text, "
            "s1 float8, s2 float8, s3 float8, s4 float8, s5 float8, s6 float8, se bigint, "
            "sx text, cl bigint, gt text, co float8, cf text, qp float8, ou text) "
            "ON COMMIT DELETE ROWS",
            "create staging table");
        !s)
        return s;
    std::string rows;
    for (std::size_t i = 0; i < batch.size(); ++i) rows += stage_row(i, batch[i], ids[i], groups[i], now);
    if (status s = db.copy_in("COPY question_stage FROM STDIN", rows, "copy questions"); !s) return s;
    auto r = db.exec(
        "INSERT INTO questions (id, event_id, text, author, source, external_id, created_at, "
        "updated_at, status, version, lang, verdict, s_toxicity, s_severe_toxicity, s_insult, "
        "s_profanity, s_threat, s_identity_attack, severity, search_text, cluster_id, group_text, "
        "correction, correction_from, question_probability, origin_url) "
        "SELECT id, ev, tx, au, so, ex, ca, $1::bigint, st, 1, la, ve, s1, s2, s3, s4, s5, s6, se, "
        "sx, cl, gt, co, cf, qp, ou FROM question_stage ORDER BY o ON CONFLICT DO NOTHING "
        "RETURNING id",
        pg_params().add(now), "insert staged questions");
    if (!r) return r.error();
    std::unordered_set<std::int64_t> stored;
    for (int i = 0; i < r->rows(); ++i) stored.insert(r->integer(i, 0));
    return stored;
}

}  // namespace tribune::pg_rows
