// postgres_store as a feedback_store: the scores clients suggest.

#include <map>

#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/util/split.hpp"

namespace tribune {

using namespace pg_rows;

namespace {

std::string join_languages(const std::vector<std::string>& langs) {
    std::string out;
    for (const std::string& l : langs) {
        if (!out.empty()) out += ',';
        out += l;
    }
    return out;
}

status insert_details(pg_connection& db, std::int64_t id, const suggestion& s) {
    for (const suggested_score& sc : s.scores) {
        pg_params p;
        p.add(id).add(sc.attribute);
        if (sc.span_begin) p.add(static_cast<std::int64_t>(*sc.span_begin));
        else p.add_null();
        if (sc.span_end) p.add(static_cast<std::int64_t>(*sc.span_end));
        else p.add_null();
        p.add(static_cast<double>(sc.value));
        if (status r = db.run("INSERT INTO suggestion_scores (suggestion_id, attribute, span_begin, "
                              "span_end, value) VALUES ($1, $2, $3, $4, $5)",
                              p, "store suggested score");
            !r)
            return r;
    }
    for (std::size_t i = 0; i < s.context.size(); ++i) {
        pg_params p;
        p.add(id).add(static_cast<std::int64_t>(i)).add(s.context[i].text);
        if (!s.context[i].type.empty()) p.add(s.context[i].type);
        else p.add_null();
        if (status r = db.run("INSERT INTO suggestion_context (suggestion_id, position, text, type) "
                              "VALUES ($1, $2, $3, $4)",
                              p, "store suggestion context");
            !r)
            return r;
    }
    return status::ok();
}

status load_details(pg_connection& db, std::vector<suggestion>& out) {
    std::map<std::int64_t, suggestion*> by_id;
    for (suggestion& s : out) by_id[s.id] = &s;
    auto range = pg_params().add(out.front().id).add(out.back().id);
    auto scores = db.exec("SELECT suggestion_id, attribute, span_begin, span_end, value FROM "
                          "suggestion_scores WHERE suggestion_id BETWEEN $1 AND $2 "
                          "ORDER BY suggestion_id, id",
                          range, "list suggested scores");
    if (!scores) return scores.error();
    for (int i = 0; i < scores->rows(); ++i) {
        suggested_score sc;
        sc.attribute = scores->text(i, 1);
        if (!scores->is_null(i, 2)) sc.span_begin = static_cast<std::size_t>(scores->integer(i, 2));
        if (!scores->is_null(i, 3)) sc.span_end = static_cast<std::size_t>(scores->integer(i, 3));
        sc.value = static_cast<float>(scores->real(i, 4));
        if (auto it = by_id.find(scores->integer(i, 0)); it != by_id.end())
            it->second->scores.push_back(std::move(sc));
    }
    auto ctx = db.exec("SELECT suggestion_id, text, coalesce(type, '') FROM suggestion_context "
                       "WHERE suggestion_id BETWEEN $1 AND $2 ORDER BY suggestion_id, position",
                       range, "list suggestion context");
    if (!ctx) return ctx.error();
    for (int i = 0; i < ctx->rows(); ++i)
        if (auto it = by_id.find(ctx->integer(i, 0)); it != by_id.end())
            it->second->context.push_back({ctx->text(i, 1), ctx->text(i, 2)});
    return status::ok();
}

}  // namespace

result<std::int64_t> postgres_store::add_suggestion(const suggestion& s) {
    lease db(*this);
    return in_transaction<std::int64_t>(*db, [&]() -> result<std::int64_t> {
        auto ins = db->exec(
            "INSERT INTO suggestions (text, languages, community_id, client_token, session_id, "
            "submitted_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            pg_params().add(s.text).add(join_languages(s.languages)).add(s.community_id)
                .add(s.client_token).add(s.session_id).add(s.submitted_by).add(s.created_at),
            "store suggestion");
        if (!ins) return ins.error();
        const std::int64_t id = ins->integer(0, 0);
        if (status r = insert_details(*db, id, s); !r) return r;
        return id;
    });
}

result<std::vector<suggestion>> postgres_store::list_suggestions(std::int64_t after_id,
                                                                 std::size_t limit) {
    lease db(*this);
    auto q = db->exec("SELECT id, text, languages, community_id, client_token, session_id, "
                      "submitted_by, created_at FROM suggestions WHERE id > $1 ORDER BY id LIMIT $2",
                      pg_params().add(after_id).add(static_cast<std::int64_t>(limit)),
                      "list suggestions");
    if (!q) return q.error();
    std::vector<suggestion> out;
    for (int i = 0; i < q->rows(); ++i) {
        suggestion s;
        s.id = q->integer(i, 0);
        s.text = q->text(i, 1);
        s.languages = split_nonempty(q->text(i, 2), ',');
        s.community_id = q->optional_text(i, 3);
        s.client_token = q->optional_text(i, 4);
        s.session_id = q->optional_text(i, 5);
        s.submitted_by = q->text(i, 6);
        s.created_at = q->integer(i, 7);
        out.push_back(std::move(s));
    }
    if (out.empty()) return out;
    if (status st = load_details(*db, out); !st) return st;
    return out;
}

}  // namespace tribune
