// postgres_store: opening the database, its migrations, and the pool of connections. The
// store's methods live in one file per concern (see the header).

#include "core/postgres/postgres_store.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/postgres/pg_change_listener.hpp"
#include "core/postgres/pg_rows.hpp"
#include "core/sqlite/migrator.hpp"

namespace tribune {

namespace {

// Any fixed number: every instance takes the same advisory lock while it migrates.
constexpr const char* migration_lock = "SELECT pg_advisory_lock(7346501)";
constexpr const char* migration_unlock = "SELECT pg_advisory_unlock(7346501)";

result<int> current_version(pg_connection& db) {
    if (status s = db.run("CREATE TABLE IF NOT EXISTS tribune_schema_version ("
                          "version INTEGER NOT NULL, applied_at BIGINT NOT NULL)",
                          {}, "create the version table");
        !s)
        return s;
    auto r = db.exec("SELECT coalesce(max(version), 0) FROM tribune_schema_version", {},
                     "read the schema version");
    if (!r) return r.error();
    return static_cast<int>(r->integer(0, 0));
}

// Applies the files above the database's version, each in its own transaction together with
// its row in the version table.
result<int> migrate(pg_connection& db, const std::vector<migration_file>& files) {
    auto version = current_version(db);
    if (!version) return version.error();
    if (*version > static_cast<int>(files.size()))
        return status::error(error_kind::conflict, "database_too_new",
                             "the database is at schema version " + std::to_string(*version) +
                                 ", newer than this build knows (" +
                                 std::to_string(files.size()) + ")");
    for (const migration_file& f : files) {
        if (f.number <= *version) continue;
        std::ifstream in(f.path);
        std::stringstream sql;
        sql << in.rdbuf();
        if (!in)
            return status::error(error_kind::internal, "migration_failed", "cannot read " + f.path);
        const std::string script = "BEGIN;\n" + sql.str() +
                                   "\n;INSERT INTO tribune_schema_version (version, applied_at) "
                                   "VALUES (" + std::to_string(f.number) +
                                   ", (extract(epoch FROM now()) * 1000)::BIGINT);\nCOMMIT;";
        if (status s = db.run_script(script, f.path); !s) {
            db.run_script("ROLLBACK", "rollback");
            return status::error(error_kind::internal, "migration_failed",
                                 "migration " + f.path + " failed: " + s.message());
        }
        *version = f.number;
    }
    return *version;
}

}  // namespace

result<std::unique_ptr<postgres_store>> postgres_store::open(const std::string& url,
                                                             const std::string& migrations_dir,
                                                             std::size_t connections) {
    auto files = migrator::scan(migrations_dir);
    if (!files) return files.error();
    auto first = pg_connection::open(url);
    if (!first) return first.error();
    if (status s = first->run(migration_lock, {}, "lock migrations"); !s) return s;
    auto version = migrate(*first, *files);
    first->run(migration_unlock, {}, "unlock migrations");
    if (!version) return version.error();
    if (*version < required_schema_version)
        return status::error(error_kind::unavailable, "database_outdated",
                             "the database is at schema version " + std::to_string(*version) +
                                 " but this server needs " +
                                 std::to_string(required_schema_version) + "; " + migrations_dir +
                                 " lacks the newer migrations");
    std::unique_ptr<postgres_store> s(new postgres_store());
    s->url_ = url;
    s->schema_version_ = *version;
    s->pool_.push_back(std::move(first.value()));
    for (std::size_t i = 1; i < connections; ++i) {
        auto c = pg_connection::open(url);
        if (!c) return c.error();
        s->pool_.push_back(std::move(c.value()));
    }
    return s;
}

pg_connection postgres_store::acquire() {
    std::unique_lock lock(pool_mutex_);
    pool_cv_.wait(lock, [this] { return !pool_.empty(); });
    pg_connection c = std::move(pool_.back());
    pool_.pop_back();
    lock.unlock();
    // A connection PostgreSQL dropped (a restart) is reconnected on its next use; when that
    // fails, the call's statement answers unavailable and the next use tries again.
    if (!c.ok()) c.reset();
    return c;
}

status postgres_store::announce_shortlist(const shortlist_change& change) {
    lease db(*this);
    return pg_rows::in_transaction_status(*db, [&] {
        return pg_rows::notify_shortlist(*db, change.event, change.action, change.question_id,
                                         change.actor);
    });
}

status postgres_store::prune_changes(timestamp_ms before) {
    lease db(*this);
    return db->run("DELETE FROM event_changes WHERE at < $1", pg_params().add(before),
                   "prune changes");
}

std::unique_ptr<change_source> postgres_store::open_change_source() {
    return std::make_unique<pg_change_listener>(*this);
}

void postgres_store::release(pg_connection c) {
    {
        std::lock_guard lock(pool_mutex_);
        pool_.push_back(std::move(c));
    }
    pool_cv_.notify_one();
}

}  // namespace tribune
