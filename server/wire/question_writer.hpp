#pragma once
// question_writer: a question's JSON text written straight into a string, byte for byte what
// `to_json(q, f).dump()` (json_codec) gives — same members, same sorted order, same numbers
// (nlohmann's shortest round-trip doubles), same escaping — without building the nlohmann tree
// first. Used where every ingested question is encoded: the 201 answer and the live stream's
// change. Measured with callgrind (bench/ingest_instructions): building the tree, dumping it
// and freeing it cost about 90,000 instructions per question per encoding; this writer about a
// tenth. to_json() stays the reference; tests compare the two on varied questions.
//
// Thread safety: pure functions.

#include <string>
#include <string_view>

#include "core/domain/question.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// Appends `s` as a JSON string (quoted and escaped as nlohmann's dump() escapes valid UTF-8).
void append_json_string(std::string& out, std::string_view s);
// Appends the question object, as to_json(q, f).dump() writes it.
void append_question(std::string& out, const question& q, question_fields f = {});
// The question object's text, as to_json(q, f).dump() writes it.
std::string encode_question(const question& q, question_fields f = {});
// The answer to a POST asked with `Prefer: return=minimal` (prefer_header.hpp): the members
// id, status and version, and the group as cluster {id, size}, as to_json() names them, in
// the same sorted order.
std::string encode_question_minimal(const question& q);

}  // namespace tribune::server
