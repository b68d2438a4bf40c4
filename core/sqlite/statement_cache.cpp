#include "core/sqlite/statement_cache.hpp"

namespace tribune {

statement_cache::~statement_cache() {
    for (auto& [sql, list] : idle_)
        for (sqlite3_stmt* s : list) sqlite3_finalize(s);
}

sqlite3_stmt* statement_cache::take(std::string_view sql) {
    auto it = idle_.find(sql);
    if (it == idle_.end() || it->second.empty()) return nullptr;
    sqlite3_stmt* s = it->second.back();
    it->second.pop_back();
    return s;
}

void statement_cache::give_back(sqlite3_stmt* s) {
    if (s == nullptr) return;
    sqlite3_reset(s);  // also ends the read transaction a SELECT left open
    sqlite3_clear_bindings(s);
    const char* sql = sqlite3_sql(s);
    auto it = sql != nullptr ? idle_.find(std::string_view(sql)) : idle_.end();
    if (it == idle_.end() && sql != nullptr && idle_.size() < max_texts)
        it = idle_.emplace(sql, std::vector<sqlite3_stmt*>{}).first;
    if (it == idle_.end() || it->second.size() >= max_per_text) {
        sqlite3_finalize(s);
        return;
    }
    it->second.push_back(s);
}

std::size_t statement_cache::idle() const {
    std::size_t n = 0;
    for (const auto& [sql, list] : idle_) n += list.size();
    return n;
}

}  // namespace tribune
