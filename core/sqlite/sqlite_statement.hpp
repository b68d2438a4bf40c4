#pragma once
// sqlite_statement: an owned prepared statement with typed bind/column helpers.
// Binding indices are 1-based (SQLite's convention); column indices 0-based.
//
// Thread safety: none; a statement belongs to the connection that made it and is used by
// the one thread holding that connection.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tribune {

class sqlite_statement {
public:
    sqlite_statement() = default;
    explicit sqlite_statement(sqlite3_stmt* s) : stmt_(s) {}
    ~sqlite_statement() { sqlite3_finalize(stmt_); }
    sqlite_statement(sqlite_statement&& o) noexcept : stmt_(o.stmt_) { o.stmt_ = nullptr; }
    sqlite_statement& operator=(sqlite_statement&& o) noexcept {
        if (this != &o) {
            sqlite3_finalize(stmt_);
            stmt_ = o.stmt_;
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
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace tribune
