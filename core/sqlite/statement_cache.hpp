#pragma once
// statement_cache: the prepared statements of one SQLite connection, kept for reuse. Parsing
// and planning a statement costs far more than running a small one (a profile of ingest had
// sqlite3_prepare at a third of all instructions), so sqlite_connection::prepare() takes a
// statement from here when one with the same SQL text is free, and a sqlite_statement gives
// its statement back here, reset and unbound, when it goes out of scope.
//
// Bounded: at most max_texts distinct SQL texts and max_per_text idle statements per text; a
// statement given back beyond that is finalized. SQL built per call (IN lists, filtered
// pages) should use sqlite_connection::prepare_uncached() so it does not crowd out the rest.
//
// Thread safety: none; it belongs to one connection, used by one thread at a time.
// Ownership: owns the idle statements and finalizes them when destroyed, which must happen
// before the connection closes (sqlite_connection does so). A statement taken from it must be
// given back (or finalized) before the cache is destroyed.

#include <sqlite3.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tribune {

class statement_cache {
public:
    static constexpr std::size_t max_texts = 128;
    static constexpr std::size_t max_per_text = 4;

    statement_cache() = default;
    ~statement_cache();
    statement_cache(const statement_cache&) = delete;
    statement_cache& operator=(const statement_cache&) = delete;

    // An idle statement prepared from exactly `sql`, or nullptr.
    sqlite3_stmt* take(std::string_view sql);
    // Resets `s`, clears its bindings and keeps it for the next take() of its SQL, or
    // finalizes it when the cache is full.
    void give_back(sqlite3_stmt* s);

    // Statements kept idle now (for tests).
    std::size_t idle() const;

private:
    struct text_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>, text_hash, std::equal_to<>> idle_;
};

}  // namespace tribune
