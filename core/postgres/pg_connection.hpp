#pragma once
// pg_connection: one libpq connection, with the few calls the PostgreSQL store makes — a
// statement with parameters sent as text (PQexecParams), its rows read by typed getters,
// COPY FROM STDIN, LISTEN's notifications — and libpq's errors turned into the domain's:
//   unique violation (23505)                      conflict, code "unique_violation"
//   serialization failure / deadlock (40001/40P01) unavailable, code "database_busy"
//   connection lost or refused                    unavailable, code "database_unavailable"
//   anything else                                 internal, code "storage_error"
//
// Thread safety: none; a connection is used by the one thread that holds it (the store's
// pool hands it out). Movable, not copyable.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/status.hpp"

namespace tribune {

// The parameters of one statement, as text ($1, $2, ... in the order added).
class pg_params {
public:
    pg_params& add(std::int64_t v) { return put(std::to_string(v)); }
    pg_params& add(int v) { return put(std::to_string(v)); }
    pg_params& add(double v);
    pg_params& add(std::string_view v) { return put(std::string(v)); }
    pg_params& add(const char* v) { return put(std::string(v)); }
    pg_params& add(const std::string& v) { return put(v); }
    pg_params& add(const std::optional<std::string>& v) {
        return v ? put(*v) : add_null();
    }
    pg_params& add(const std::optional<std::int64_t>& v) { return v ? add(*v) : add_null(); }
    pg_params& add_null() {
        values_.emplace_back(std::nullopt);
        return *this;
    }
    std::size_t size() const { return values_.size(); }
    const std::vector<std::optional<std::string>>& values() const { return values_; }

private:
    pg_params& put(std::string v) {
        values_.emplace_back(std::move(v));
        return *this;
    }
    std::vector<std::optional<std::string>> values_;
};

// The rows of one statement (text format). Getters take 0-based row and column.
class pg_result {
public:
    explicit pg_result(PGresult* r) : r_(r, &PQclear) {}
    int rows() const { return PQntuples(r_.get()); }
    bool empty() const { return rows() == 0; }
    // Rows an INSERT/UPDATE/DELETE touched.
    std::int64_t affected() const;
    bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
    std::string text(int row, int col) const {
        return std::string(PQgetvalue(r_.get(), row, col),
                           static_cast<std::size_t>(PQgetlength(r_.get(), row, col)));
    }
    std::optional<std::string> optional_text(int row, int col) const {
        if (is_null(row, col)) return std::nullopt;
        return text(row, col);
    }
    std::int64_t integer(int row, int col) const;  // 0 for NULL
    double real(int row, int col) const;           // 0 for NULL
    bool flag(int row, int col) const { return integer(row, col) != 0; }

private:
    std::unique_ptr<PGresult, void (*)(PGresult*)> r_;
};

class pg_connection {
public:
    // Connects with a conninfo string or a postgresql:// URL.
    // Errors: unavailable (database_unavailable) with libpq's reason.
    static result<pg_connection> open(const std::string& conninfo);

    pg_connection() = default;
    pg_connection(pg_connection&&) noexcept = default;
    pg_connection& operator=(pg_connection&&) noexcept = default;

    // Runs one statement. `what` names it in errors.
    result<pg_result> exec(std::string_view sql, const pg_params& params = {},
                           std::string_view what = "query");
    // exec() for a statement whose rows do not matter.
    status run(std::string_view sql, const pg_params& params = {}, std::string_view what = "query");
    // Several statements without parameters (a migration file), in one round trip.
    status run_script(const std::string& sql, std::string_view what);
    // run_script() answering with the rows of the last statement (processing stops at the
    // first error, which is returned).
    result<pg_result> exec_script(const std::string& sql, std::string_view what);

    // COPY ... FROM STDIN: `copy_sql` starts it, `rows` is the whole data in COPY's text format.
    status copy_in(std::string_view copy_sql, const std::string& rows, std::string_view what);

    // Whether the connection is usable; reset() reconnects a broken one.
    bool ok() const { return conn_ && PQstatus(conn_.get()) == CONNECTION_OK; }
    bool reset();

    // LISTEN support: the socket to wait on, and the notifications received so far.
    int socket() const { return conn_ ? PQsocket(conn_.get()) : -1; }
    // Reads what arrived on the socket (never blocks). Errors: the connection broke.
    status consume_input();
    // The next notification received, if any.
    struct notification {
        std::string channel;
        std::string payload;
        int sender_pid = 0;  // the server process of the connection that sent it
    };
    std::optional<notification> next_notification();

    PGconn* get() const { return conn_.get(); }

    // A COPY text-format field: backslash, tab, newline and carriage return escaped.
    static std::string copy_escape(std::string_view v);
    // A double as text that reads back as the same double.
    static std::string real_text(double v);

private:
    explicit pg_connection(PGconn* c) : conn_(c, &PQfinish) {}
    status error_of(PGresult* r, std::string_view what) const;

    std::unique_ptr<PGconn, void (*)(PGconn*)> conn_{nullptr, &PQfinish};
};

}  // namespace tribune
