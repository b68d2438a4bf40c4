#pragma once
// sqlite_statement: an owned prepared statement with typed bind/column helpers.
// Binding indices are 1-based (SQLite's convention); column indices 0-based. A statement made
// by sqlite_connection::prepare() goes back to the connection's statement_cache (reset) when
// it is destroyed; one made by prepare_uncached() is finalized.
//
// Thread safety: none; a statement belongs to the connection that made it and is used by
// the one thread holding that connection. REQUIRES: destroyed before its connection.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/sqlite/statement_cache.hpp"

namespace tribune {

class sqlite_statement {
public:
    sqlite_statement() = default;
    // `home`: the cache it goes back to when destroyed; nullptr: finalized then.
    explicit sqlite_statement(sqlite3_stmt* s, statement_cache* home = nullptr)
        : stmt_(s), home_(home) {}
    ~sqlite_statement() { release(); }
    sqlite_statement(sqlite_statement&& o) noexcept : stmt_(o.stmt_), home_(o.home_) {
        o.stmt_ = nullptr;
    }
    sqlite_statement& operator=(sqlite_statement&& o) noexcept {
        if (this != &o) {
            release();
            stmt_ = o.stmt_;
            home_ = o.home_;
            o.stmt_ = nullptr;
        }
        return *this;
    }
    sqlite_statement(const sqlite_statement&) = delete;
    sqlite_statement& operator=(const sqlite_statement&) = delete;

    // True until a statement is prepared into it.
    bool empty() const { return stmt_ == nullptr; }

    void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
    void bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
    void bind(int i, std::string_view v) {
        sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    void bind(int i, const std::optional<std::string>& v) {
        if (v) bind(i, std::string_view(*v));
        else sqlite3_bind_null(stmt_, i);
    }
    void bind_null(int i) { sqlite3_bind_null(stmt_, i); }

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(stmt_); }
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

    std::int64_t column_int(int c) const { return sqlite3_column_int64(stmt_, c); }
    double column_double(int c) const { return sqlite3_column_double(stmt_, c); }
    bool column_is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
    std::string column_text(int c) const {
        auto* p = sqlite3_column_text(stmt_, c);
        if (p == nullptr) return {};
        return std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c)));
    }
    std::optional<std::string> column_optional_text(int c) const {
        if (column_is_null(c)) return std::nullopt;
        return column_text(c);
    }

    sqlite3_stmt* get() const { return stmt_; }

private:
    void release() {
        if (home_ != nullptr) home_->give_back(stmt_);
        else sqlite3_finalize(stmt_);
        stmt_ = nullptr;
    }

    sqlite3_stmt* stmt_ = nullptr;
    statement_cache* home_ = nullptr;
};

}  // namespace tribune
