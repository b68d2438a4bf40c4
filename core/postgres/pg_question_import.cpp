// postgres_store's bulk import (COPY FROM STDIN): many new questions of one event in one
// transaction and three COPY streams (questions, their groups, their audit rows), for
// loading a fresh event. Each question starts its own group. No identity check beyond the
// unique index: a known (source, external_id) fails the whole import, which stores nothing.

#include "core/domain/group_heat.hpp"
#include "core/domain/question_filter.hpp"
#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace pg_rows;

result<std::size_t> postgres_store::import_questions(const std::vector<question_insert>& batch) {
    if (batch.empty()) return std::size_t{0};
    lease db(*this);
    return in_transaction<std::size_t>(*db, [&]() -> result<std::size_t> {
        auto ids = reserve_question_ids(*db, batch.size());
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
