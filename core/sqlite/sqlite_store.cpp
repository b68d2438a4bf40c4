// sqlite_store: opening the database, its migrations, and the pool of reader connections.
// The store's methods live in one file per concern (see the header).

#include "core/sqlite/sqlite_store.hpp"

#include <filesystem>

#include "core/domain/group_heat.hpp"

namespace tribune {
namespace {

void add_heat_sql(sqlite3_context* ctx, int, sqlite3_value** v) {
    sqlite3_result_int64(ctx, add_heat(sqlite3_value_int64(v[0]), sqlite3_value_int64(v[1])));
}

}  // namespace

result<std::unique_ptr<sqlite_store>> sqlite_store::open(const std::string& path,
                                                         const std::string& migrations_dir,
                                                         std::size_t readers) {
    auto files = migrator::scan(migrations_dir);
    if (!files) return files.error();

    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
        return status::error(error_kind::unavailable, "database_unavailable",
                             "cannot create directory " + parent.string() + ": " + ec.message());

    auto writer = sqlite_connection::open(path, false);
    if (!writer) return writer.error();
    auto report = migrator::apply(*writer, *files);
    if (!report) return report.error();
    if (report->to_version < required_schema_version)
        return status::error(error_kind::unavailable, "database_outdated",
                             "the database is at schema version " +
                                 std::to_string(report->to_version) + " but this server needs " +
                                 std::to_string(required_schema_version) + "; " + migrations_dir +
                                 " lacks the newer migrations");

    // The group commit keeps each group's heat with it (group_heat.hpp).
    if (int rc = sqlite3_create_function_v2(writer->get(), "tribune_add_heat", 2,
                                            SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
                                            add_heat_sql, nullptr, nullptr, nullptr);
        rc != SQLITE_OK)
        return sqlite_connection::error_for(rc, "register tribune_add_heat",
                                            sqlite3_errmsg(writer->get()));

    // Full-text rows a crash left out (sqlite_store::pending_search_): the questions after the
    // largest id questions_fts holds.
    if (status s = writer->exec(
            "INSERT INTO questions_fts (rowid, search_text) SELECT id, search_text FROM questions "
            "WHERE id > (SELECT coalesce(max(id), 0) FROM questions_fts_docsize) ORDER BY id");
        !s)
        return s;

    std::unique_ptr<sqlite_store> s(new sqlite_store());
    s->writer_ = std::move(writer.value());
    s->schema_version_ = report->to_version;
    s->wal_sync_ = std::make_unique<wal_sync>(path);
    {
        std::lock_guard lock(s->write_mutex_);
        s->reload_hooked_events();
    }
    for (std::size_t i = 0; i < readers; ++i) {
        auto r = sqlite_connection::open(path, true);
        if (!r) return r.error();
        s->readers_.push_back(std::move(r.value()));
    }
    return s;
}

sqlite_store::~sqlite_store() {
    if (writer_.get() != nullptr) (void)flush_search_rows();
}

sqlite_connection sqlite_store::acquire_reader() {
    std::unique_lock lock(readers_mutex_);
    readers_cv_.wait(lock, [this] { return !readers_.empty(); });
    sqlite_connection c = std::move(readers_.back());
    readers_.pop_back();
    return c;
}

void sqlite_store::release_reader(sqlite_connection c) {
    {
        std::lock_guard lock(readers_mutex_);
        readers_.push_back(std::move(c));
    }
    readers_cv_.notify_one();
}

}  // namespace tribune
