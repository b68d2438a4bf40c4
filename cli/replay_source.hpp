#pragma once
// replay_source: reads the recorded stream of `tribune replay` (JSON lines, one question
// each) one line at a time and turns each line into the body to POST. It never holds more
// than one line, so a file of any size replays in bounded memory.
//
// A line is {"text": "..."} with optional "author", "source", "external_id" (strings or null;
// an integer external_id is taken as its decimal string) and "created_at" (ISO-8601 with an
// optional fraction and zone, UTC when none; or epoch milliseconds as a number). Every other
// member is ignored. Blank lines are skipped silently; any other line that does not fit is
// malformed and reported with its number.
//
// Idempotent re-runs: a line without external_id gets
//   "replay-<line number>-<first 16 hex digits of SHA-256 of the line>"
// and every line without a source gets "replay". The id depends only on the line itself and
// where it sits, not on the rest of the file: a file that grew, or in which a malformed line
// was fixed, replays again without duplicating the lines that were already stored.
//
// Thread safety: none; one owner at a time (replay_dispatcher holds it under its mutex).

#include <cstddef>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain/status.hpp"

namespace tribune::cli {

struct replay_line {
    std::size_t number = 0;       // 1-based line number in the file
    std::string body;             // the JSON object to POST
    std::optional<double> at_ms;  // created_at, milliseconds since the Unix epoch
};

// The source given to lines that name none.
inline constexpr std::string_view default_replay_source = "replay";

// One raw line (without its newline) to the request body. nullopt for a blank line; an
// error (code "malformed_line") says what is wrong with it.
result<std::optional<replay_line>> parse_replay_line(std::string_view raw, std::size_t number);

// ISO-8601 ("2026-11-28T05:30:00.123Z", "2026-11-28T06:30:00+01:00", "2026-11-28 05:30:00")
// to milliseconds since the epoch; nullopt when it is not such a time.
std::optional<double> parse_iso8601_ms(std::string_view s);

class replay_source {
public:
    // Opens the file and counts its lines (for the progress bar). Error: cannot be read.
    static result<replay_source> open(const std::string& path);

    struct item {
        std::size_t number = 0;
        result<std::optional<replay_line>> parsed = std::optional<replay_line>();
    };
    // The next line; nullopt at the end of the file.
    std::optional<item> next();

    std::size_t total_lines() const { return total_lines_; }

private:
    std::ifstream in_;
    std::size_t number_ = 0;
    std::size_t total_lines_ = 0;
};

}  // namespace tribune::cli
