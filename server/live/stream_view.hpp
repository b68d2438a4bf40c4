#pragma once
// stream_view: what one live-stream subscriber looks at — a filter (states, attribute score
// range, language, author, source, search words), an order, and the size of the first page.
// The first page comes from moderation_query::page with the same filter and order; later
// changes are matched against the filter with tribune::matches().
//
// Thread safety: a plain value.

#include <cstddef>

#include "core/domain/question_filter.hpp"

namespace tribune::server {

struct stream_view {
    question_filter filter;
    question_sort sort = question_sort::newest;
    std::size_t limit = 50;  // first page size, 1..max_stream_page
};

inline constexpr std::size_t max_stream_page = 500;

}  // namespace tribune::server
