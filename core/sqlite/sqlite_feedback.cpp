// sqlite_store as a feedback_store: the scores clients suggest (POST
// /v1alpha1/comments:suggestscore), tables of migration 0007.

#include <map>

#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/util/split.hpp"

namespace tribune {

using namespace sqlite_rows;

namespace {

std::string join_languages(const std::vector<std::string>& langs) {
    std::string out;
    for (const std::string& l : langs) {
        if (!out.empty()) out += ',';
        out += l;
    }
    return out;
}

status insert_scores(sqlite_connection& db, std::int64_t id, const suggestion& s) {
    auto score = db.prepare(
        "INSERT INTO suggestion_scores (suggestion_id, attribute, span_begin, span_end, value) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!score) return score.error();
    for (const suggested_score& sc : s.scores) {
        score->reset();
        score->bind(1, id);
        score->bind(2, std::string_view(sc.attribute));
        if (sc.span_begin) score->bind(3, static_cast<std::int64_t>(*sc.span_begin));
        if (sc.span_end) score->bind(4, static_cast<std::int64_t>(*sc.span_end));
        score->bind(5, static_cast<double>(sc.value));
        if (status r = step_done(db, *score, "store suggested score"); !r) return r;
    }
    auto ctx = db.prepare(
        "INSERT INTO suggestion_context (suggestion_id, position, text, type) VALUES (?, ?, ?, ?)");
    if (!ctx) return ctx.error();
    for (std::size_t i = 0; i < s.context.size(); ++i) {
        ctx->reset();
        ctx->bind(1, id);
        ctx->bind(2, static_cast<std::int64_t>(i));
        ctx->bind(3, std::string_view(s.context[i].text));
        if (!s.context[i].type.empty()) ctx->bind(4, std::string_view(s.context[i].type));
        if (status r = step_done(db, *ctx, "store suggestion context"); !r) return r;
    }
    return status::ok();
}

// Adds the scores and context of the suggestions in `out` (ids ascending, not empty).
status load_details(sqlite_connection& db, std::vector<suggestion>& out) {
    std::map<std::int64_t, suggestion*> by_id;
    for (suggestion& s : out) by_id[s.id] = &s;
    auto scores = db.prepare(
        "SELECT suggestion_id, attribute, span_begin, span_end, value FROM suggestion_scores "
        "WHERE suggestion_id BETWEEN ? AND ? ORDER BY suggestion_id, rowid");
    if (!scores) return scores.error();
    scores->bind(1, out.front().id);
    scores->bind(2, out.back().id);
    int rc;
    while ((rc = scores->step()) == SQLITE_ROW) {
        suggested_score sc;
        sc.attribute = scores->column_text(1);
        if (!scores->column_is_null(2))
            sc.span_begin = static_cast<std::size_t>(scores->column_int(2));
        if (!scores->column_is_null(3))
            sc.span_end = static_cast<std::size_t>(scores->column_int(3));
        sc.value = static_cast<float>(scores->column_double(4));
        if (auto it = by_id.find(scores->column_int(0)); it != by_id.end())
            it->second->scores.push_back(std::move(sc));
    }
    if (rc != SQLITE_DONE) return db.last_error("list suggested scores");
    auto ctx = db.prepare(
        "SELECT suggestion_id, text, coalesce(type, '') FROM suggestion_context "
        "WHERE suggestion_id BETWEEN ? AND ? ORDER BY suggestion_id, position");
    if (!ctx) return ctx.error();
    ctx->bind(1, out.front().id);
    ctx->bind(2, out.back().id);
    while ((rc = ctx->step()) == SQLITE_ROW)
        if (auto it = by_id.find(ctx->column_int(0)); it != by_id.end())
            it->second->context.push_back({ctx->column_text(1), ctx->column_text(2)});
    if (rc != SQLITE_DONE) return db.last_error("list suggestion context");
    return status::ok();
}

}  // namespace

result<std::int64_t> sqlite_store::add_suggestion(const suggestion& s) {
    std::lock_guard lock(write_mutex_);
    return in_transaction<std::int64_t>(writer_, [&]() -> result<std::int64_t> {
        auto ins = writer_.prepare(
            "INSERT INTO suggestions (text, languages, community_id, client_token, session_id, "
            "submitted_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        if (!ins) return ins.error();
        ins->bind(1, std::string_view(s.text));
        ins->bind(2, std::string_view(join_languages(s.languages)));
        ins->bind(3, s.community_id);
        ins->bind(4, s.client_token);
        ins->bind(5, s.session_id);
        ins->bind(6, std::string_view(s.submitted_by));
        ins->bind(7, s.created_at);
        if (status r = step_done(writer_, *ins, "store suggestion"); !r) return r;
        const std::int64_t id = sqlite3_last_insert_rowid(writer_.get());
        if (status r = insert_scores(writer_, id, s); !r) return r;
        return id;
    });
}

result<std::vector<suggestion>> sqlite_store::list_suggestions(std::int64_t after_id,
                                                               std::size_t limit) {
    reader_lease db(*this);
    auto q = db->prepare(
        "SELECT id, text, languages, community_id, client_token, session_id, submitted_by, "
        "created_at FROM suggestions WHERE id > ? ORDER BY id LIMIT ?");
    if (!q) return q.error();
    q->bind(1, after_id);
    q->bind(2, static_cast<std::int64_t>(limit));
    std::vector<suggestion> out;
    int rc;
    while ((rc = q->step()) == SQLITE_ROW) {
        suggestion s;
        s.id = q->column_int(0);
        s.text = q->column_text(1);
        s.languages = split_nonempty(q->column_text(2), ',');
        s.community_id = q->column_optional_text(3);
        s.client_token = q->column_optional_text(4);
        s.session_id = q->column_optional_text(5);
        s.submitted_by = q->column_text(6);
        s.created_at = q->column_int(7);
        out.push_back(std::move(s));
    }
    if (rc != SQLITE_DONE) return db->last_error("list suggestions");
    if (out.empty()) return out;
    if (status st = load_details(*db, out); !st) return st;
    return out;
}

}  // namespace tribune
