// postgres_store as a question_store, reading: questions by id and by external identity,
// filtered pages (the SQL of a page is built here, every value bound), scans and counts.

#include "core/domain/question_filter.hpp"
#include "core/postgres/pg_rows.hpp"
#include "core/postgres/postgres_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace pg_rows;

namespace {

// A tsquery of the 'simple' configuration: every term must match; "term*" is a prefix.
// Each term is quoted as a tsquery lexeme ('' and \\ escaped).
std::string ts_query(const std::vector<std::string>& terms) {
    std::string q;
    for (const std::string& t : terms) {
        const bool prefix = !t.empty() && t.back() == '*';
        const std::string word = prefix ? t.substr(0, t.size() - 1) : t;
        if (word.empty()) continue;
        if (!q.empty()) q += " & ";
        q += '\'';
        for (char c : word) {
            if (c == '\'' || c == '\\') q += c;
            q += c;
        }
        q += '\'';
        if (prefix) q += ":*";
    }
    return q;
}

const char* key_column(question_sort s) {
    return s == question_sort::severity ? "q.severity"
           : s == question_sort::votes  ? "q.votes"
                                        : nullptr;
}

// The WHERE and ORDER BY of a page after "WHERE q.event_id = $1", its values added to `p`.
std::string page_tail(const question_query& q, const std::vector<std::string>& terms, pg_params& p) {
    const question_filter& f = q.filter;
    std::string sql;
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "$" + std::to_string(n).
    auto numbered = [](std::size_t n) {
        std::string out(1, '$');
        out += std::to_string(n);
        return out;
    };
    auto param = [&]() { return numbered(p.size()); };
    if (!f.statuses.empty()) {
        sql += " AND q.status IN (";
        for (std::size_t i = 0; i < f.statuses.size(); ++i) {
            p.add(to_string(f.statuses[i]));
            sql += (i == 0 ? "" : ", ") + param();
        }
        sql += ")";
    }
    if (f.score_attr) {
        const std::string col = "q.s_" + std::string(to_string(*f.score_attr));
        // Scores are stored from floats: compare in the same precision as SQLite does.
        p.add(static_cast<double>(f.min_score) - 1e-7);
        sql += " AND " + col + " >= " + param();
        p.add(static_cast<double>(f.max_score) + 1e-7);
        sql += " AND " + col + " <= " + param();
    }
    if (f.lang) sql += " AND q.lang = " + (p.add(*f.lang), param());
    if (f.author) sql += " AND q.author = " + (p.add(*f.author), param());
    if (f.source) sql += " AND q.source = " + (p.add(*f.source), param());
    if (f.cluster) sql += " AND q.cluster_id = " + (p.add(*f.cluster), param());
    if (!terms.empty())
        sql += " AND to_tsvector('simple', q.search_text) @@ to_tsquery('simple', " +
               (p.add(ts_query(terms)), param()) + ")";
    const char* key = key_column(q.sort);
    if (impact_over_review_states(q.sort, q.filter.statuses)) {
        // Every question has a group (its own id when it starts one): impact's columns as they are.
        if (q.after) {
            p.add(q.after->key).add(q.after->heat).add(q.after->group).add(q.after->id);
            sql += " AND (c.review, c.heat, c.id, q.id) < (" + placeholders(4, static_cast<int>(p.size()) - 3) + ")";
        }
        sql += " ORDER BY c.review DESC, c.heat DESC, c.id DESC, q.id DESC";
    } else if (q.sort == question_sort::impact) {
        if (q.after) {
            p.add(q.after->key).add(q.after->heat).add(q.after->group).add(q.after->id);
            sql += " AND (coalesce(c.review, 0), coalesce(c.heat, 0), coalesce(q.cluster_id, q.id), "
                   "q.id) < (" + placeholders(4, static_cast<int>(p.size()) - 3) + ")";
        }
        sql += " ORDER BY coalesce(c.review, 0) DESC, coalesce(c.heat, 0) DESC, "
               "coalesce(q.cluster_id, q.id) DESC, q.id DESC";
    } else {
        if (q.after) {
            if (q.sort == question_sort::newest) sql += " AND q.id < " + (p.add(q.after->id), param());
            else if (q.sort == question_sort::oldest) sql += " AND q.id > " + (p.add(q.after->id), param());
            else {
                p.add(q.after->key).add(q.after->id);
                const std::string k = numbered(p.size() - 1);
                sql += std::string(" AND (") + key + " < " + k + " OR (" + key + " = " + k +
                       " AND q.id < " + param() + "))";
            }
        }
        if (q.sort == question_sort::oldest) sql += " ORDER BY q.id ASC";
        else if (key != nullptr) sql += std::string(" ORDER BY ") + key + " DESC, q.id DESC";
        else sql += " ORDER BY q.id DESC";
    }
    return sql + " LIMIT " + (p.add(static_cast<std::int64_t>(q.limit + 1)), param());
}

}  // namespace

result<question> postgres_store::get_question(std::int64_t id) {
    lease db(*this);
    return load_question(*db, id);
}

result<std::optional<question>> postgres_store::find_external(std::int64_t event_id,
                                                              const std::string& source,
                                                              const std::string& external_id) {
    lease db(*this);
    return load_external(*db, event_id, source, external_id);
}

result<question_page> postgres_store::list_questions(const question_query& q) {
    lease db(*this);
    auto ev = load_event(*db, q.event_slug);
    if (!ev) return ev.error();
    pg_params p;
    p.add(ev->id);
    std::string sql;
    if (impact_over_review_states(q.sort, q.filter.statuses)) {
        // The leading groups in order, then each one's questions newest first.
        const std::string_view columns = question_columns.substr(0, question_columns.find("FROM "));
        sql = std::string(columns) +
              "FROM question_clusters c JOIN questions q ON q.event_id = c.event_id AND q.cluster_id = c.id "
              "JOIN events e ON e.id = q.event_id WHERE c.event_id = $1 AND c.review > 0";
    } else {
        sql = std::string(question_columns) + "WHERE q.event_id = $1";
    }
    sql += page_tail(q, search_terms(q.filter.search), p);
    auto r = db->exec(sql, p, "list questions");
    if (!r) return r.error();
    question_page page;
    for (int i = 0; i < r->rows(); ++i) page.items.push_back(read_question(*r, i));
    if (page.items.size() > q.limit) {
        page.items.resize(q.limit);
        page.next = next_page_cursor(page.items.back(), q.sort,
                                     r->integer(static_cast<int>(q.limit) - 1, severity_column));
    }
    if (status s = load_spans(*db, page.items); !s) return s;
    return page;
}

result<status_counts> postgres_store::count_by_status(std::int64_t event_id) {
    lease db(*this);
    auto r = db->exec("SELECT status, count(*) FROM questions WHERE event_id = $1 GROUP BY status",
                      pg_params().add(event_id), "count questions");
    if (!r) return r.error();
    status_counts counts;
    for (question_status s : all_statuses) counts[s] = 0;
    for (int i = 0; i < r->rows(); ++i)
        if (auto s = status_from_string(r->text(i, 0))) counts[*s] = r->integer(i, 1);
    return counts;
}

result<numbered_counts> postgres_store::count_by_status_numbered(std::int64_t event_id) {
    lease db(*this);
    // ONE statement, so one snapshot: a commit's questions and its numbers are both in it or
    // both not (they are written in one transaction).
    auto r = db->exec("SELECT status, count(*) FROM questions WHERE event_id = $1 GROUP BY status "
                      "UNION ALL SELECT NULL, coalesce((SELECT seq FROM event_sequences "
                      "WHERE event_id = $1), 0)",
                      pg_params().add(event_id), "count questions");
    if (!r) return r.error();
    numbered_counts out;
    for (question_status s : all_statuses) out.counts[s] = 0;
    for (int i = 0; i < r->rows(); ++i) {
        if (r->is_null(i, 0)) out.through = static_cast<std::uint64_t>(r->integer(i, 1));
        else if (auto s = status_from_string(r->text(i, 0))) out.counts[*s] = r->integer(i, 1);
    }
    return out;
}

status postgres_store::scan_questions(std::int64_t event_id,
                                      const std::function<void(const question&)>& f) {
    lease db(*this);
    // In pages by id, so an event of millions of questions never sits in memory at once.
    std::int64_t after = 0;
    for (;;) {
        auto r = db->exec(std::string(question_columns) +
                              "WHERE q.event_id = $1 AND q.id > $2 ORDER BY q.id LIMIT 5000",
                          pg_params().add(event_id).add(after), "scan questions");
        if (!r) return r.error();
        for (int i = 0; i < r->rows(); ++i) f(read_question(*r, i));
        if (r->rows() < 5000) return status::ok();
        after = r->integer(r->rows() - 1, 0);
    }
}

status postgres_store::scan_external_ids(const external_id_visitor& f) {
    lease db(*this);
    // In pages by id, so that a large event is never one result in memory.
    constexpr std::int64_t page = 20000;
    std::int64_t after = 0;
    for (;;) {
        auto r = db->exec(
            "SELECT id, event_id, coalesce(source, ''), external_id FROM questions "
            "WHERE external_id IS NOT NULL AND id > $1 ORDER BY id LIMIT $2",
            pg_params().add(after).add(page), "scan external ids");
        if (!r) return r.error();
        for (int i = 0; i < r->rows(); ++i) f(r->integer(i, 1), r->text(i, 2), r->text(i, 3));
        if (r->rows() < page) return status::ok();
        after = r->integer(r->rows() - 1, 0);
    }
}

status postgres_store::scan_recent_groups(std::size_t limit,
                                          const std::function<void(const grouping_row&)>& f) {
    lease db(*this);
    auto r = db->exec(
        "SELECT id, event_id, coalesce(cluster_id, id), coalesce(group_text, search_text) FROM "
        "(SELECT id, event_id, cluster_id, search_text, group_text FROM questions "
        "ORDER BY id DESC LIMIT $1) recent ORDER BY id",
        pg_params().add(static_cast<std::int64_t>(limit)), "scan recent questions");
    if (!r) return r.error();
    grouping_row row;
    for (int i = 0; i < r->rows(); ++i) {
        row.id = r->integer(i, 0);
        row.event_id = r->integer(i, 1);
        row.cluster_id = r->integer(i, 2);
        row.group_text = r->text(i, 3);
        f(row);
    }
    return status::ok();
}

result<std::optional<grouping_row>> postgres_store::grouping_of(std::int64_t id) {
    lease db(*this);
    auto r = db->exec("SELECT id, event_id, coalesce(cluster_id, id), "
                      "coalesce(group_text, search_text) FROM questions WHERE id = $1",
                      pg_params().add(id), "read grouping");
    if (!r) return r.error();
    if (r->rows() == 0) return std::optional<grouping_row>();
    return std::optional<grouping_row>(
        grouping_row{r->integer(0, 0), r->integer(0, 1), r->integer(0, 2), r->text(0, 3)});
}

}  // namespace tribune
