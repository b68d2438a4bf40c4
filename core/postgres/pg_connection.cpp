#include "core/postgres/pg_connection.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>

namespace tribune {

namespace {

status unavailable(std::string message) {
    return status::error(error_kind::unavailable, "database_unavailable", std::move(message));
}

std::string trimmed(const char* s) {
    std::string out = s == nullptr ? "" : s;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
}

}  // namespace

pg_params& pg_params::add(double v) { return put(pg_connection::real_text(v)); }

std::string pg_connection::real_text(double v) {
    char buf[64];
    // 17 significant digits: a double read back is the same double.
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::int64_t pg_result::affected() const {
    const char* n = PQcmdTuples(r_.get());
    return n == nullptr || *n == '\0' ? 0 : std::strtoll(n, nullptr, 10);
}

std::int64_t pg_result::integer(int row, int col) const {
    if (is_null(row, col)) return 0;
    const char* v = PQgetvalue(r_.get(), row, col);
    return std::strtoll(v, nullptr, 10);
}

double pg_result::real(int row, int col) const {
    if (is_null(row, col)) return 0;
    return std::strtod(PQgetvalue(r_.get(), row, col), nullptr);
}

result<pg_connection> pg_connection::open(const std::string& conninfo) {
    PGconn* c = PQconnectdb(conninfo.c_str());
    if (c == nullptr) return unavailable("cannot allocate a PostgreSQL connection");
    pg_connection conn(c);
    if (PQstatus(c) != CONNECTION_OK)
        return unavailable("cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(c)));
    // Quiet NOTICEs (e.g. "relation already exists, skipping") instead of libpq's stderr.
    PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);
    return conn;
}

bool pg_connection::reset() {
    if (!conn_) return false;
    PQreset(conn_.get());
    return ok();
}

status pg_connection::error_of(PGresult* r, std::string_view what) const {
    const std::string message =
        std::string(what) + ": " +
        trimmed(r != nullptr ? PQresultErrorMessage(r) : PQerrorMessage(conn_.get()));
    if (!ok()) return unavailable(message);
    const char* state = r != nullptr ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    const std::string_view sqlstate = state == nullptr ? "" : state;
    if (sqlstate == "23505")
        return status::error(error_kind::conflict, "unique_violation", message);
    if (sqlstate == "40001" || sqlstate == "40P01")
        return status::error(error_kind::unavailable, "database_busy", message);
    // Class 08 (connection exception), 57P (operator intervention: shutdown), 53 (resources).
    if (sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("57P", 0) == 0 ||
        sqlstate.rfind("53", 0) == 0)
        return unavailable(message);
    return status::error(error_kind::internal, "storage_error", message);
}

result<pg_result> pg_connection::exec(std::string_view sql, const pg_params& params,
                                      std::string_view what) {
    if (!conn_) return unavailable(std::string(what) + ": no connection");
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& v : params.values()) values.push_back(v ? v->c_str() : nullptr);
    const std::string text(sql);
    PGresult* r = PQexecParams(conn_.get(), text.c_str(), static_cast<int>(values.size()), nullptr,
                               values.data(), nullptr, nullptr, 0);
    const ExecStatusType st = r == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        status s = error_of(r, what);
        PQclear(r);
        return s;
    }
    return pg_result(r);
}

status pg_connection::run(std::string_view sql, const pg_params& params, std::string_view what) {
    auto r = exec(sql, params, what);
    return r ? status::ok() : r.error();
}

status pg_connection::run_script(const std::string& sql, std::string_view what) {
    auto r = exec_script(sql, what);
    return r ? status::ok() : r.error();
}

result<pg_result> pg_connection::exec_script(const std::string& sql, std::string_view what) {
    if (!conn_) return unavailable(std::string(what) + ": no connection");
    PGresult* r = PQexec(conn_.get(), sql.c_str());
    const ExecStatusType st = r == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        status s = error_of(r, what);
        PQclear(r);
        return s;
    }
    return pg_result(r);
}

status pg_connection::copy_in(std::string_view copy_sql, const std::string& rows,
                              std::string_view what) {
    if (!conn_) return unavailable(std::string(what) + ": no connection");
    const std::string text(copy_sql);
    PGresult* r = PQexec(conn_.get(), text.c_str());
    if (r == nullptr || PQresultStatus(r) != PGRES_COPY_IN) {
        status s = error_of(r, what);
        PQclear(r);
        return s;
    }
    PQclear(r);
    if (!rows.empty() &&
        PQputCopyData(conn_.get(), rows.data(), static_cast<int>(rows.size())) != 1) {
        PQputCopyEnd(conn_.get(), "send failed");
        while (PGresult* x = PQgetResult(conn_.get())) PQclear(x);
        return error_of(nullptr, what);
    }
    if (PQputCopyEnd(conn_.get(), nullptr) != 1) return error_of(nullptr, what);
    status out = status::ok();
    while (PGresult* x = PQgetResult(conn_.get())) {
        if (PQresultStatus(x) != PGRES_COMMAND_OK && out) out = error_of(x, what);
        PQclear(x);
    }
    return out;
}

status pg_connection::consume_input() {
    if (!conn_ || PQconsumeInput(conn_.get()) != 1)
        return unavailable("PostgreSQL connection lost: " +
                           trimmed(conn_ ? PQerrorMessage(conn_.get()) : "no connection"));
    return status::ok();
}

std::optional<pg_connection::notification> pg_connection::next_notification() {
    if (!conn_) return std::nullopt;
    PGnotify* n = PQnotifies(conn_.get());
    if (n == nullptr) return std::nullopt;
    notification out{n->relname, n->extra == nullptr ? "" : n->extra, n->be_pid};
    PQfreemem(n);
    return out;
}

std::string pg_connection::copy_escape(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\t': out += "\\t"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace tribune
