#pragma once
// export_codec: the bytes of an event's export (docs/api.md "Export"), a page at a time.
//
//  - jsonl: one question per line, the question as GET /api/v1/questions/{id} gives it to a
//    moderator, with "trail": its audit trail, oldest first.
//  - csv (RFC 4180, CRLF line ends, a header line): the columns of csv_columns; "trail" holds
//    the audit trail as a JSON array. A field is quoted when it holds a comma, a quote, CR
//    or LF. A text field that begins with = + - @ TAB or CR gets a leading ' so that a
//    spreadsheet does not run it as a formula (the JSONL export keeps every byte).
//
// Thread safety: pure functions.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "core/service/export_service.hpp"

namespace tribune::server {

enum class export_format { csv, jsonl };

std::optional<export_format> export_format_from_string(std::string_view s);
std::string_view content_type_of(export_format f);
std::string_view extension_of(export_format f);

inline constexpr std::array<std::string_view, 21> csv_columns = {
    "id", "created_at", "updated_at", "status", "version", "author", "source", "external_id",
    "lang", "toxicity", "severe_toxicity", "insult", "profanity", "threat", "identity_attack",
    "verdict", "question_probability", "cluster_id", "cluster_size", "votes", "text",
};

// What begins the export: the CSV header line ("trail" last); nothing for JSONL.
std::string export_preamble(export_format f);
// One page's lines.
std::string encode_page(const export_page& page, export_format f);
// One CSV field as written (quoted and guarded as above).
std::string csv_field(std::string_view value, bool guard_formula);

}  // namespace tribune::server
