// sqlite_store as a question_store, reading: questions by id and by external identity,
// filtered pages, scans and counts.

#include "core/sqlite/sqlite_question_query.hpp"
#include "core/sqlite/sqlite_rows.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/store_rules.hpp"

namespace tribune {

using namespace sqlite_rows;

result<question> sqlite_store::get_question(std::int64_t id) {
    reader_lease db(*this);
    return load_question(*db, id);
}

result<std::optional<question>> sqlite_store::find_external(std::int64_t event_id,
                                                            const std::string& source,
                                                            const std::string& external_id) {
    reader_lease db(*this);
    return load_external(*db, event_id, source, external_id);
}

result<question_page> sqlite_store::list_questions(const question_query& q) {
    // A search sees every committed question: the full-text rows still pending are written
    // first (sqlite_store::pending_search_).
    if (!q.filter.search.empty()) {
        if (status s = flush_search_rows(); !s) return s;
    }
    reader_lease db(*this);
    auto ev = load_event(*db, q.event_slug);
    if (!ev) return ev.error();
    const auto terms = search_terms(q.filter.search);
    auto st = db->prepare_uncached(page_sql(q, terms));
    if (!st) return st.error();
    bind_page(*st, q, ev->id, terms);

    question_page page;
    std::vector<std::int64_t> severities;  // the stored sort key, exact
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
        page.items.push_back(read_question(*st));
        severities.push_back(st->column_int(severity_column));
    }
    if (rc != SQLITE_DONE) return db->last_error("list questions");
    if (page.items.size() > q.limit) {
        page.items.resize(q.limit);
        page.next = next_page_cursor(page.items.back(), q.sort, severities[q.limit - 1]);
    }
    if (status s = load_spans(*db, page.items); !s) return s;
    return page;
}

result<status_counts> sqlite_store::count_by_status(std::int64_t event_id) {
    reader_lease db(*this);
    auto st = db->prepare("SELECT status, count(*) FROM questions WHERE event_id = ? GROUP BY status");
    if (!st) return st.error();
    st->bind(1, event_id);
    status_counts counts;
    for (question_status s : all_statuses) counts[s] = 0;
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) {
        if (auto s = status_from_string(st->column_text(0))) counts[*s] = st->column_int(1);
    }
    if (rc != SQLITE_DONE) return db->last_error("count questions");
    return counts;
}

status sqlite_store::scan_questions(std::int64_t event_id,
                                    const std::function<void(const question&)>& f) {
    reader_lease db(*this);
    auto st = db->prepare(std::string(question_columns) + "WHERE q.event_id = ? ORDER BY q.id");
    if (!st) return st.error();
    st->bind(1, event_id);
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) f(read_question(*st));
    if (rc != SQLITE_DONE) return db->last_error("scan questions");
    return status::ok();
}

status sqlite_store::scan_external_ids(const external_id_visitor& f) {
    reader_lease db(*this);
    // Read from the unique index questions_external alone (it covers these columns).
    auto st = db->prepare(
        "SELECT event_id, coalesce(source, ''), external_id FROM questions "
        "WHERE external_id IS NOT NULL");
    if (!st) return st.error();
    int rc;
    while ((rc = st->step()) == SQLITE_ROW) f(st->column_int(0), st->column_text(1), st->column_text(2));
    if (rc != SQLITE_DONE) return db->last_error("scan external ids");
    return status::ok();
}

status sqlite_store::scan_recent_groups(std::size_t limit,
                                        const std::function<void(const grouping_row&)>& f) {
    reader_lease db(*this);
    auto st = db->prepare(
        "SELECT id, event_id, coalesce(cluster_id, id), coalesce(group_text, search_text) FROM "
        "(SELECT id, event_id, cluster_id, search_text, group_text FROM questions "
        "ORDER BY id DESC LIMIT ?) ORDER BY id");
    if (!st) return st.error();
    st->bind(1, static_cast<std::int64_t>(limit));
    int rc;
    grouping_row row;
    while ((rc = st->step()) == SQLITE_ROW) {
        row.id = st->column_int(0);
        row.event_id = st->column_int(1);
        row.cluster_id = st->column_int(2);
        row.group_text = st->column_text(3);
        f(row);
    }
    if (rc != SQLITE_DONE) return db->last_error("scan recent questions");
    return status::ok();
}

result<std::optional<grouping_row>> sqlite_store::grouping_of(std::int64_t id) {
    reader_lease db(*this);
    auto st = db->prepare("SELECT id, event_id, coalesce(cluster_id, id), "
                          "coalesce(group_text, search_text) FROM questions WHERE id = ?");
    if (!st) return st.error();
    st->bind(1, id);
    const int rc = st->step();
    if (rc == SQLITE_ROW)
        return std::optional<grouping_row>(grouping_row{st->column_int(0), st->column_int(1),
                                                        st->column_int(2), st->column_text(3)});
    if (rc != SQLITE_DONE) return db->last_error("read grouping");
    return std::optional<grouping_row>();
}

}  // namespace tribune
