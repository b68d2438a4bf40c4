#pragma once
// perspective_codec: Perspective API's wire format (commentanalyzer v1alpha1): its request and
// response bodies, Google's error shape, the discovery document, and the admin's export of
// suggested scores. Field names are Perspective's (camelCase); see docs/perspective.md.
//
// Thread safety: pure functions.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/service/analysis_service.hpp"
#include "core/store/feedback_store.hpp"
#include "server/wire/json_codec.hpp"

namespace tribune::server {

// What an analyze request carries beyond the analysis itself.
struct analyze_envelope {
    analysis_request request;
    std::optional<std::string> client_token;  // echoed
    bool do_not_store = false;  // Tribune stores no analyzed text either way
};

// Errors: invalid_field naming the member (wrong type), text_required (no comment.text).
result<analyze_envelope> decode_analyze(const json& body);
json encode_analyze(const analysis_result& r, const std::optional<std::string>& client_token);

// Errors: invalid_field, text_required. `submitted_by` is left for the caller.
result<suggestion> decode_suggest(const json& body);
json encode_suggest(const std::optional<std::string>& client_token);

// {"error": {"code": 400, "message": ..., "status": "INVALID_ARGUMENT", "details": [...]}}:
// `http_status` is the answer's status code (http_status_for(s)).
json google_error(const status& s, unsigned http_status);
// Google's canonical status name for an error kind ("INVALID_ARGUMENT", ...).
std::string google_status(error_kind k);

// The discovery document Google's API client libraries read: requests go to
// root_url + service_path + "v1alpha1/comments:analyze". REQUIRES: root_url ends with '/',
// service_path is "" or ends with '/'.
json discovery_document(const std::string& root_url, const std::string& service_path);

// One stored suggestion as the admin export shows it (Perspective's request shape plus id,
// submittedBy and createdAt).
json to_json(const suggestion& s);
// A page of the export: {"items": [...], "next_after": the last id when the page is full,
// else null}.
json suggestion_page(const std::vector<suggestion>& page, std::size_t limit);

}  // namespace tribune::server
