#pragma once
// participant: a member of the audience as the server knows them — a random id their browser
// made and keeps (the same id votes, see voter.hpp; the same length rule). A question asked
// with a participant id carries, as its external_id, the reference "p:<tag>:<nonce>": <tag>
// is the first 32 hex digits of the SHA-256 of the id, <nonce> 16 hex digits that make the
// reference unique per question. The id itself is never stored, and only a holder of the id
// can learn the status of the questions it asked (audience_service::own_questions).
//
// Thread safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/domain/question.hpp"

namespace tribune {

// The external_id of a question asked by `participant_id`.
// REQUIRES: check_voter_id(participant_id) is ok.
std::string participant_reference(std::string_view participant_id, std::uint64_t nonce);

// True when `q` came from the audience with a reference made from `participant_id`.
bool asked_by(const question& q, std::string_view participant_id);

}  // namespace tribune
