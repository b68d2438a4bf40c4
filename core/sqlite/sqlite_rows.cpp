#include "core/sqlite/sqlite_rows.hpp"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/domain/question_filter.hpp"
#include "core/store/store_rules.hpp"

namespace tribune::sqlite_rows {

question read_question(const sqlite_statement& s) {
    question q;
    q.id = s.column_int(0);
    q.event_id = s.column_int(1);
    q.event = s.column_text(2);
    q.text = s.column_text(3);
    q.author = s.column_optional_text(4);
    q.source = s.column_optional_text(5);
    q.external_id = s.column_optional_text(6);
    q.created_at = s.column_int(7);
    q.updated_at = s.column_int(8);
    q.status = status_from_string(s.column_text(9)).value_or(question_status::pending);
    q.version = s.column_int(10);
    q.scored.lang = s.column_text(11);
    q.verdict = s.column_text(12);
    for (std::size_t i = 0; i < attribute_count; ++i)
        q.scored.values.values[i] = static_cast<float>(s.column_double(13 + static_cast<int>(i)));
    q.votes = s.column_int(19);
    q.cluster_id = s.column_int(21);
    q.cluster_size = s.column_int(22);
    q.cluster_review = s.column_int(23);
    q.cluster_heat = s.column_int(24);
    if (!s.column_is_null(25)) {
        q.correction = correction_note{static_cast<float>(s.column_double(25)), std::nullopt};
        if (auto from = s.column_optional_text(26)) q.correction->moved_from = status_from_string(*from);
    }
    if (!s.column_is_null(27)) q.question_probability = static_cast<float>(s.column_double(27));
    q.origin_url = s.column_optional_text(28);
    return q;
}

event_info read_event(const sqlite_statement& s) {
    return {s.column_int(0), s.column_text(1), s.column_text(2), s.column_int(3) != 0,
            s.column_int(4)};
}

bool is_public_row(const std::string& stored_status) {
    return is_public(status_from_string(stored_status).value_or(question_status::pending));
}

namespace {

// The IN lists load_spans binds come in a few fixed lengths, so their statements are prepared
// once per connection and reused from its statement cache (parsing a statement per read was
// 18 % of the network threads' CPU when a flood was replayed a second time). A chunk shorter
// than its list repeats its last id; IN ignores the repeats.
constexpr std::size_t span_list_lengths[] = {1, 8, 64};
constexpr std::size_t span_chunk = 64;

// The statement of list `k` of span_list_lengths.
const std::string& spans_sql(std::size_t k) {
    static const std::vector<std::string> texts = [] {
        std::vector<std::string> out;
        for (std::size_t n : span_list_lengths) {
            std::string sql =
                "SELECT question_id, start, \"end\", attribute, weight, rule FROM question_spans "
                "WHERE question_id IN (";
            for (std::size_t i = 0; i < n; ++i) sql += i == 0 ? "?" : ",?";
            sql += ") ORDER BY question_id, rowid";
            out.push_back(std::move(sql));
        }
        return out;
    }();
    return texts[k];
}

status load_span_chunk(sqlite_connection& db, std::vector<question>& qs, std::size_t from,
                       std::size_t count) {
    std::size_t k = 0;
    while (span_list_lengths[k] < count) ++k;  // count <= span_chunk, the last length
    const std::size_t length = span_list_lengths[k];
    auto st = db.prepare(spans_sql(k));
    if (!st) return st.error();
    std::unordered_map<std::int64_t, question*> by_id;
    for (std::size_t i = 0; i < length; ++i) {
        question& q = qs[from + std::min(i, count - 1)];
        st->bind(static_cast<int>(i) + 1, q.id);
        by_id[q.id] = &q;
    }
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
        auto it = by_id.find(st->column_int(0));
        if (it == by_id.end()) continue;
        span sp;
        sp.start = static_cast<std::size_t>(st->column_int(1));
        sp.end = static_cast<std::size_t>(st->column_int(2));
        sp.attr = attribute_from_string(st->column_text(3)).value_or(attribute::toxicity);
        sp.weight = static_cast<float>(st->column_double(4));
        sp.rule = st->column_text(5);
        it->second->scored.spans.push_back(std::move(sp));
    }
    if (rc != SQLITE_DONE) return db.last_error("read spans");
    return status::ok();
}

}  // namespace

status load_spans(sqlite_connection& db, std::vector<question>& qs) {
    for (std::size_t from = 0; from < qs.size(); from += span_chunk) {
        const std::size_t count = std::min(span_chunk, qs.size() - from);
        if (status s = load_span_chunk(db, qs, from, count); !s) return s;
    }
    return status::ok();
}

result<question> load_question(sqlite_connection& db, std::int64_t id) {
    auto st = db.prepare(std::string(question_columns) + "WHERE q.id = ?");
    if (!st) return st.error();
    st->bind(1, id);
    int rc = st->step();
    if (rc == SQLITE_DONE) return question_missing(id);
    if (rc != SQLITE_ROW) return db.last_error("read question");
    std::vector<question> one{read_question(*st)};
    if (status s = load_spans(db, one); !s) return s;
    return std::move(one.front());
}

result<event_info> load_event(sqlite_connection& db, const std::string& slug) {
    auto st = db.prepare("SELECT id, slug, title, premoderate, created_at FROM events WHERE slug = ?");
    if (!st) return st.error();
    st->bind(1, std::string_view(slug));
    int rc = st->step();
    if (rc == SQLITE_DONE)
        return status::error(error_kind::not_found, "event_not_found", "no event '" + slug + "'");
    if (rc != SQLITE_ROW) return db.last_error("read event");
    return read_event(*st);
}

result<std::optional<question>> load_external(sqlite_connection& db, std::int64_t event_id,
                                              const std::string& source,
                                              const std::string& external_id) {
    auto st = db.prepare(std::string(question_columns) +
                         "WHERE q.event_id = ? AND coalesce(q.source, '') = ? AND q.external_id = ?");
    if (!st) return st.error();
    st->bind(1, event_id);
    st->bind(2, std::string_view(source));
    st->bind(3, std::string_view(external_id));
    int rc = st->step();
    if (rc == SQLITE_DONE) return std::optional<question>{};
    if (rc != SQLITE_ROW) return db.last_error("read question");
    std::vector<question> one{read_question(*st)};
    if (status s = load_spans(db, one); !s) return s;
    return std::optional<question>(std::move(one.front()));
}

status prepare_into(sqlite_connection& db, sqlite_statement& into, std::string_view sql) {
    auto st = db.prepare(sql);
    if (!st) return st.error();
    into = std::move(st.value());
    return status::ok();
}

status run_control(sqlite_connection& db, std::string_view sql) {
    auto st = db.prepare(sql);
    if (!st) return st.error();
    return step_done(db, *st, sql);
}

status step_done(sqlite_connection& db, sqlite_statement& st, std::string_view what) {
    if (st.step() != SQLITE_DONE) return db.last_error(what);
    return status::ok();
}

}  // namespace tribune::sqlite_rows
