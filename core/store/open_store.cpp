#include "core/store/open_store.hpp"

#include "core/postgres/postgres_store.hpp"
#include "core/sqlite/sqlite_store.hpp"
#include "core/store/database_location.hpp"

namespace tribune {

result<std::unique_ptr<store_backend>> open_store(const std::string& db,
                                                  const std::string& migrations_dir,
                                                  std::size_t connections) {
    auto where = parse_database_location(db);
    if (!where) return where.error();
    if (where->kind == database_kind::postgresql) {
        auto pg = postgres_store::open(where->target, migrations_dir + "/postgresql", connections);
        if (!pg) return pg.error();
        return std::unique_ptr<store_backend>(std::move(pg).value());
    }
    auto s = sqlite_store::open(where->target, migrations_dir, connections);
    if (!s) return s.error();
    return std::unique_ptr<store_backend>(std::move(s).value());
}

}  // namespace tribune
