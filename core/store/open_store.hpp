#pragma once
// open_store: opens the database `--db` names (database_location.hpp) — an SQLite file
// (sqlite_store, migrations from `migrations_dir`) or a PostgreSQL database (postgres_store,
// migrations from `migrations_dir`/postgresql) — and brings it to the schema this code needs.
//
// Thread safety: pure function; the store it returns is safe to share.

#include <cstddef>
#include <memory>
#include <string>

#include "core/domain/status.hpp"
#include "core/store/store_backend.hpp"

namespace tribune {

// `connections`: SQLite's reader connections, PostgreSQL's pooled connections.
// Errors: those of parse_database_location() and of the backend's open().
result<std::unique_ptr<store_backend>> open_store(const std::string& db,
                                                  const std::string& migrations_dir,
                                                  std::size_t connections);

}  // namespace tribune
