#include "core/sqlite/migrator.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace tribune {
namespace fs = std::filesystem;

result<std::vector<migration_file>> migrator::scan(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return status::error(error_kind::invalid_argument, "migrations_missing",
                             "migrations directory not found: " + dir);
    std::vector<migration_file> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".sql") continue;
        std::string name = entry.path().filename().string();
        std::size_t digits = 0;
        while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits])))
            ++digits;
        if (digits == 0 || digits > 6 || digits >= name.size() || name[digits] != '_')
            return status::error(error_kind::invalid_argument, "migration_name",
                                 "migration file name must look like 0001_name.sql: " + name);
        files.push_back({std::stoi(name.substr(0, digits)), entry.path().string()});
    }
    if (ec)
        return status::error(error_kind::invalid_argument, "migrations_unreadable",
                             "cannot read " + dir + ": " + ec.message());
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.number < b.number; });
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (files[i].number != static_cast<int>(i) + 1)
            return status::error(error_kind::invalid_argument, "migration_numbering",
                                 "migrations must be numbered 1, 2, 3... without gaps; found " +
                                     files[i].path);
    }
    return files;
}

result<migration_report> migrator::apply(sqlite_connection& db,
                                         const std::vector<migration_file>& files) {
    auto stmt = db.prepare("PRAGMA user_version");
    if (!stmt) return stmt.error();
    if (stmt->step() != SQLITE_ROW) return db.last_error("read user_version");
    const int current = static_cast<int>(stmt->column_int(0));
    stmt = sqlite_statement();

    const int known = files.empty() ? 0 : files.back().number;
    if (current > known)
        return status::error(error_kind::conflict, "database_too_new",
                             "database schema version " + std::to_string(current) +
                                 " is newer than this build knows (" + std::to_string(known) +
                                 "); use a newer tribune");

    migration_report report{current, current};
    for (const auto& f : files) {
        if (f.number <= current) continue;
        std::ifstream in(f.path, std::ios::binary);
        if (!in)
            return status::error(error_kind::internal, "migration_failed",
                                 "cannot read migration " + f.path);
        std::stringstream sql;
        sql << in.rdbuf();
        if (status s = db.exec("BEGIN IMMEDIATE"); !s) return s;
        status s = db.exec(sql.str());
        if (s) s = db.exec("PRAGMA user_version = " + std::to_string(f.number));
        if (s) s = db.exec("COMMIT");
        if (!s) {
            db.exec("ROLLBACK");
            return status::error(error_kind::internal, "migration_failed",
                                 "migration " + f.path + " failed and was rolled back: " +
                                     s.message());
        }
        report.to_version = f.number;
    }
    return report;
}

}  // namespace tribune
