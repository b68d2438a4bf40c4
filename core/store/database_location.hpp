#pragma once
// database_location: what `--db` (or TRIBUNE_DB) names — an SQLite file, or a PostgreSQL
// database by its URL. A value that starts like a URL ("scheme://") is a URL: PostgreSQL's
// two schemes select the PostgreSQL backend, every other scheme is refused, so that
// "mysql://host/db" never becomes a folder named "mysql:" holding a new SQLite file. Anything
// else is a file path, as it always was.
//
// Thread safety: pure functions.

#include <string>
#include <string_view>

#include "core/domain/status.hpp"

namespace tribune {

enum class database_kind { sqlite_file, postgresql };

struct database_location {
    database_kind kind = database_kind::sqlite_file;
    std::string target;  // the file path, or the URL as given (libpq reads it as a conninfo)
};

// Errors: invalid_argument (code "unsupported_database_url") for a URL of another scheme,
// (code "bad_database") for an empty value.
result<database_location> parse_database_location(std::string_view value);

// For logs: "PostgreSQL postgresql://user:***@host/db" (the password hidden), or the file's
// path as given.
std::string describe_database(const database_location& where);

}  // namespace tribune
