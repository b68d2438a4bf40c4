#pragma once
// enum_names: an enum's stable wire names in one table, and the two lookups every such enum
// needs (to its name, from a name) written once for attribute, question_status and role.
//
// Thread safety: constexpr tables and pure functions.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace tribune {

template <typename E, std::size_t N>
using enum_name_table = std::array<std::pair<E, std::string_view>, N>;

// The name of `value` in `table`; `fallback` for a value the table lacks.
template <typename E, std::size_t N>
constexpr std::string_view name_in(const enum_name_table<E, N>& table, E value,
                                   std::string_view fallback) {
    for (const auto& [v, name] : table)
        if (v == value) return name;
    return fallback;
}

// The value named `name` in `table`; empty when no entry has that name.
template <typename E, std::size_t N>
constexpr std::optional<E> value_in(const enum_name_table<E, N>& table, std::string_view name) {
    for (const auto& [v, n] : table)
        if (n == name) return v;
    return std::nullopt;
}

}  // namespace tribune
