#pragma once
// sqlite_question_query: the SQL of one filtered, sorted page of an event's questions
// (question_store::list_questions), built from a question_query. Column names come from
// enums, never from the client; every value is bound.
//
// Thread safety: pure functions; the statement belongs to the caller's connection.

#include <cstdint>
#include <string>
#include <vector>

#include "core/sqlite/sqlite_statement.hpp"
#include "core/store/question_store.hpp"

namespace tribune::sqlite_rows {

// The statement for `q` over question_columns, fetching q.limit + 1 rows (one more tells
// whether a next page exists). `terms` are search_terms(q.filter.search).
std::string page_sql(const question_query& q, const std::vector<std::string>& terms);

// Binds the values page_sql() left as parameters.
void bind_page(sqlite_statement& st, const question_query& q, std::int64_t event_id,
               const std::vector<std::string>& terms);

}  // namespace tribune::sqlite_rows
