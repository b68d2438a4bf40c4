#include "core/sqlite/sqlite_feedback_store.hpp"

#include <map>

#include "core/util/split.hpp"

namespace tribune {
namespace {

std::string join_languages(const std::vector<std::string>& langs) {
    std::string out;
    for (const std::string& l : langs) {
        if (!out.empty()) out += ',';
        out += l;
    }
    return out;
}

status step_done(sqlite_connection& db, sqlite_statement& st, std::string_view what) {
    if (st.step() != SQLITE_DONE) return db.last_error(what);
    st.reset();
    return status::ok();
}

}  // namespace

result<std::int64_t> sqlite_feedback_store::add_suggestion(const suggestion& s) {
    std::int64_t id = 0;
    status st = db_.write_transaction([&](sqlite_connection& db) -> status {
        auto ins = db.prepare(
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
        if (status r = step_done(db, *ins, "store suggestion"); !r) return r;
        id = sqlite3_last_insert_rowid(db.get());
        auto score = db.prepare(
            "INSERT INTO suggestion_scores (suggestion_id, attribute, span_begin, span_end, value) "
            "VALUES (?, ?, ?, ?, ?)");
        if (!score) return score.error();
        for (const suggested_score& sc : s.scores) {
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
            ctx->bind(1, id);
            ctx->bind(2, static_cast<std::int64_t>(i));
            ctx->bind(3, std::string_view(s.context[i].text));
            if (!s.context[i].type.empty()) ctx->bind(4, std::string_view(s.context[i].type));
            if (status r = step_done(db, *ctx, "store suggestion context"); !r) return r;
        }
        return status::ok();
    });
    if (!st) return st;
    return id;
}

result<std::vector<suggestion>> sqlite_feedback_store::list_suggestions(std::int64_t after_id,
                                                                        std::size_t limit) {
    std::vector<suggestion> out;
    status st = db_.read([&](sqlite_connection& db) -> status {
        auto q = db.prepare(
            "SELECT id, text, languages, community_id, client_token, session_id, submitted_by, "
            "created_at FROM suggestions WHERE id > ? ORDER BY id LIMIT ?");
        if (!q) return q.error();
        q->bind(1, after_id);
        q->bind(2, static_cast<std::int64_t>(limit));
        int rc;
        std::map<std::int64_t, suggestion*> by_id;
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
        if (rc != SQLITE_DONE) return db.last_error("list suggestions");
        if (out.empty()) return status::ok();
        for (suggestion& s : out) by_id[s.id] = &s;
        auto scores = db.prepare(
            "SELECT suggestion_id, attribute, span_begin, span_end, value FROM suggestion_scores "
            "WHERE suggestion_id BETWEEN ? AND ? ORDER BY suggestion_id, rowid");
        if (!scores) return scores.error();
        scores->bind(1, out.front().id);
        scores->bind(2, out.back().id);
        while ((rc = scores->step()) == SQLITE_ROW) {
            suggested_score sc;
            sc.attribute = scores->column_text(1);
            if (!scores->column_is_null(2)) sc.span_begin = static_cast<std::size_t>(scores->column_int(2));
            if (!scores->column_is_null(3)) sc.span_end = static_cast<std::size_t>(scores->column_int(3));
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
    });
    if (!st) return st;
    return out;
}

status sqlite_feedback_store::set_token_quota(std::int64_t token_id,
                                              const std::optional<token_quota>& q) {
    return db_.write_transaction([&](sqlite_connection& db) -> status {
        auto upd = db.prepare("UPDATE tokens SET quota_requests = ?, quota_period_s = ? WHERE id = ?");
        if (!upd) return upd.error();
        if (q) {
            upd->bind(1, q->requests);
            upd->bind(2, q->period_s);
        }
        upd->bind(3, token_id);
        if (upd->step() != SQLITE_DONE) return db.last_error("set token quota");
        if (sqlite3_changes(db.get()) == 0)
            return status::error(error_kind::not_found, "token_not_found",
                                 "no token with id " + std::to_string(token_id));
        return status::ok();
    });
}

}  // namespace tribune
