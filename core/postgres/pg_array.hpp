#pragma once
// pg_array: one PostgreSQL array literal ('{1,"a b",NULL}') built element by element, sent as
// ONE text parameter and cast in SQL ($1::bigint[], $2::text[]) — so a batch of n rows is
// written by one statement over unnest() of a few such arrays, whatever n is, instead of n
// statements (the group commit, pg_question_inserts.cpp).
//
// Every element is written double-quoted with backslash and double quote escaped, so any
// text (commas, braces, quotes, "NULL") reads back as itself; add_null() writes SQL NULL.
//
// Thread safety: none (a value being built by one thread).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/postgres/pg_connection.hpp"

namespace tribune {

class pg_array {
public:
    pg_array& add(std::string_view v) {
        next();
        text_ += '"';
        for (char c : v) {
            if (c == '"' || c == '\\') text_ += '\\';
            text_ += c;
        }
        text_ += '"';
        return *this;
    }
    pg_array& add(const std::string& v) { return add(std::string_view(v)); }
    pg_array& add(const char* v) { return add(std::string_view(v)); }
    pg_array& add(std::int64_t v) {
        next();
        text_ += std::to_string(v);
        return *this;
    }
    pg_array& add(double v) {
        next();
        text_ += pg_connection::real_text(v);
        return *this;
    }
    pg_array& add(const std::optional<std::string>& v) { return v ? add(std::string_view(*v)) : add_null(); }
    pg_array& add_null() {
        next();
        text_ += "NULL";
        return *this;
    }
    std::size_t size() const { return size_; }
    // The literal: '{' elements '}'.
    std::string literal() const { return "{" + text_ + "}"; }

private:
    void next() {
        if (size_++ > 0) text_ += ',';
    }
    std::string text_;
    std::size_t size_ = 0;
};

}  // namespace tribune
