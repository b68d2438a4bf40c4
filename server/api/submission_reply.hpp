#pragma once
// submission_reply: how a new question is answered, for every route that takes one (a
// client's ingest, the audience's question): the decoded submission goes to
// question_service::submit, and the answer leaves after the group commit, from a scoring
// worker — 201 with the question as `encode` shows it, 200 for a retry of a stored
// (source, external_id) — or at once when the submission is refused (invalid, unknown
// event, queue full).
//
// Thread safety: as question_service::submit.

#include "core/service/question_service.hpp"
#include "server/api/request_context.hpp"

namespace tribune::server {

// The answer's body, encoded (question_writer: no nlohmann tree per question).
using question_encoder = std::string (*)(const question&);

// `minimal`: the client asked for `Prefer: return=minimal` and `encode` writes the minimal
// answer; the answer then says `Preference-Applied: return=minimal`.
void submit_and_reply(request_context& ctx, question_service& questions, submission sub,
                      question_encoder encode, bool minimal = false);

}  // namespace tribune::server
