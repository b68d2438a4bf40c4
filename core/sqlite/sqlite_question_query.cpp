#include "core/sqlite/sqlite_question_query.hpp"

#include "core/sqlite/sqlite_rows.hpp"
#include "core/store/store_rules.hpp"

namespace tribune::sqlite_rows {
namespace {

// An FTS5 query: every term must match; "term*" is a prefix query.
std::string fts_query(const std::vector<std::string>& terms) {
    std::string q;
    for (const std::string& t : terms) {
        if (!q.empty()) q += ' ';
        const bool prefix = t.back() == '*';
        q += '"' + (prefix ? t.substr(0, t.size() - 1) : t) + '"';
        if (prefix) q += '*';
    }
    return q;
}

// The sort key column of a keyed order; nullptr for newest/oldest (ordered by id).
const char* key_column(question_sort s) {
    return s == question_sort::severity ? "q.severity"
           : s == question_sort::votes  ? "q.votes"
                                        : nullptr;
}

std::string filter_sql(const question_filter& f, const std::vector<std::string>& terms) {
    std::string sql;
    if (!f.statuses.empty()) {
        sql += " AND q.status IN (";
        for (std::size_t i = 0; i < f.statuses.size(); ++i) sql += i == 0 ? "?" : ",?";
        sql += ")";
    }
    if (f.score_attr) {
        const std::string col = "q.s_" + std::string(to_string(*f.score_attr));
        sql += " AND " + col + " >= ? AND " + col + " <= ?";
    }
    if (f.lang) sql += " AND q.lang = ?";
    if (f.author) sql += " AND q.author = ?";
    if (f.source) sql += " AND q.source = ?";
    if (f.cluster) sql += " AND q.cluster_id = ?";
    if (!terms.empty())
        sql += " AND q.id IN (SELECT rowid FROM questions_fts WHERE questions_fts MATCH ?)";
    return sql;
}

// sort=impact (impact_key): the group's members in review, its heat, the group, the question.
constexpr const char* impact_columns =
    "(coalesce(c.review, 0), coalesce(c.heat, 0), coalesce(q.cluster_id, q.id), q.id)";

std::string order_sql(const question_query& q) {
    const char* key = key_column(q.sort);
    std::string sql;
    if (impact_over_review_states(q.sort, q.filter.statuses)) {
        // Every question has a group (its own id when it starts one), so the walk's columns
        // are impact_columns without their coalesce.
        if (q.after) sql += " AND (c.review, c.heat, c.id, q.id) < (?, ?, ?, ?)";
        return sql + " ORDER BY c.review DESC, c.heat DESC, c.id DESC, q.id DESC LIMIT ?";
    }
    if (q.sort == question_sort::impact) {
        if (q.after) sql += std::string(" AND ") + impact_columns + " < (?, ?, ?, ?)";
        return sql + " ORDER BY coalesce(c.review, 0) DESC, coalesce(c.heat, 0) DESC, "
                     "coalesce(q.cluster_id, q.id) DESC, q.id DESC LIMIT ?";
    }
    if (q.after) {
        if (q.sort == question_sort::newest) sql += " AND q.id < ?";
        else if (q.sort == question_sort::oldest) sql += " AND q.id > ?";
        else sql += std::string(" AND (") + key + " < ? OR (" + key + " = ? AND q.id < ?))";
    }
    if (q.sort == question_sort::oldest) sql += " ORDER BY q.id ASC";
    else if (key != nullptr) sql += std::string(" ORDER BY ") + key + " DESC, q.id DESC";
    else sql += " ORDER BY q.id DESC";
    return sql + " LIMIT ?";
}

}  // namespace

std::string page_sql(const question_query& q, const std::vector<std::string>& terms) {
    if (impact_over_review_states(q.sort, q.filter.statuses)) {
        // The leading groups in order, then each one's questions newest first.
        const std::string_view columns = question_columns.substr(0, question_columns.find("FROM "));
        return std::string(columns) +
               "FROM question_clusters c JOIN questions q ON q.event_id = c.event_id AND q.cluster_id = c.id "
               "JOIN events e ON e.id = q.event_id WHERE c.event_id = ? AND c.review > 0" +
               filter_sql(q.filter, terms) + order_sql(q);
    }
    return std::string(question_columns) + "WHERE q.event_id = ?" + filter_sql(q.filter, terms) +
           order_sql(q);
}

void bind_page(sqlite_statement& st, const question_query& q, std::int64_t event_id,
               const std::vector<std::string>& terms) {
    const question_filter& f = q.filter;
    int i = 1;
    st.bind(i++, event_id);
    for (question_status s : f.statuses) st.bind(i++, to_string(s));
    if (f.score_attr) {
        // Scores are stored as REAL from floats: compare in the same precision.
        st.bind(i++, static_cast<double>(f.min_score) - 1e-7);
        st.bind(i++, static_cast<double>(f.max_score) + 1e-7);
    }
    if (f.lang) st.bind(i++, std::string_view(*f.lang));
    if (f.author) st.bind(i++, std::string_view(*f.author));
    if (f.source) st.bind(i++, std::string_view(*f.source));
    if (f.cluster) st.bind(i++, *f.cluster);
    if (!terms.empty()) st.bind(i++, std::string_view(fts_query(terms)));
    if (q.after && q.sort == question_sort::impact) {
        st.bind(i++, q.after->key);
        st.bind(i++, q.after->heat);
        st.bind(i++, q.after->group);
        st.bind(i++, q.after->id);
    } else if (q.after) {
        if (key_column(q.sort) == nullptr) {
            st.bind(i++, q.after->id);
        } else {
            st.bind(i++, q.after->key);
            st.bind(i++, q.after->key);
            st.bind(i++, q.after->id);
        }
    }
    st.bind(i++, static_cast<std::int64_t>(q.limit + 1));
}

}  // namespace tribune::sqlite_rows
