#pragma once
// analysis_service: the Perspective API use cases over Tribune's classifier (docs/perspective.md).
//
//   analyze: validate the text, the requested attributes and languages -> classify (once,
//            plus once per sentence when span scores are asked for) -> the requested
//            attributes at or above their thresholds. Nothing is stored or logged: the text
//            lives only in this call (doNotStore holds whatever the client asked).
//   suggest: validate -> store the suggested scores as a labelled example (feedback_store).
//
// Errors are statuses with these codes (the wire layer maps them to Google's error shape):
// invalid_argument: text_required, text_too_long, invalid_utf8, attributes_required,
// unknown_attribute, attribute_not_offered, language_not_supported, invalid_score_type,
// invalid_threshold, invalid_text_type, invalid_field; internal: classifier_failed.
//
// Ownership: borrows the classifier and the feedback store; they outlive the service.
// Thread safety: every method is safe from any thread (the classifier and the store are).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/classify/classifier.hpp"
#include "core/domain/attribute.hpp"
#include "core/domain/status.hpp"
#include "core/store/feedback_store.hpp"

namespace tribune {

struct requested_attribute {
    std::string name;                      // as the client spelled it: the response's key
    std::optional<float> score_threshold;  // omit the attribute when its score is below
    std::string score_type;                // "", "SCORE_TYPE_UNSPECIFIED" or "PROBABILITY"
};

struct analysis_request {
    std::string text;
    std::string text_type;  // "", "TEXT_TYPE_UNSPECIFIED" or "PLAIN_TEXT"
    std::vector<requested_attribute> attributes;
    std::vector<std::string> languages;  // ISO 639-1 or BCP-47 ("en", "en-US"); empty: detect
    bool span_annotations = false;
    // Perspective's dropUnsupportedAttributes: attributes Tribune does not offer are left out
    // of the answer instead of failing the request.
    bool drop_unsupported = false;
};

// A score for a part of the text, offsets in UTF-16 code units, end exclusive.
struct span_score {
    std::size_t begin = 0;
    std::size_t end = 0;
    float value = 0.0f;
};

struct attribute_score {
    std::string name;  // the requested name
    float summary = 0.0f;
    std::vector<span_score> spans;  // per sentence, when span annotations were asked for
};

struct analysis_result {
    std::vector<attribute_score> scores;  // in request order, minus those below threshold
    std::vector<std::string> languages;   // the request's, else the detected one (if any)
    std::vector<std::string> detected_languages;  // "en" or "fr"; empty when undetermined
};

struct analysis_options {
    // Perspective's own limit ("Comment text was too many bytes ... exceeded limit (20480)").
    std::size_t max_text_bytes = 20480;
    std::size_t max_context_bytes = 64 * 1024;  // all context entries of a suggestion
    std::size_t max_field_bytes = 1000;         // communityId, clientToken, sessionId
};

class analysis_service {
public:
    analysis_service(const classifier& model, feedback_store& feedback, analysis_options options);

    result<analysis_result> analyze(const analysis_request& r) const;

    // REQUIRES: s.submitted_by set. Validates the text, the attribute names, the values (0..1)
    // and the spans (begin < end <= the text's UTF-16 length); stores it. Returns its id.
    result<std::int64_t> suggest(suggestion s);
    // The stored suggestions with an id above `after_id`, oldest first, at most `limit` (the
    // admin's export).
    result<std::vector<suggestion>> suggestions(std::int64_t after_id, std::size_t limit);

    // The attribute a Perspective name scores: the six attributes and their _EXPERIMENTAL
    // names. Empty for any other name.
    static std::optional<attribute> attribute_for(std::string_view perspective_name);
    // Perspective attributes Tribune knows of but does not score (SEXUALLY_EXPLICIT, ...).
    static bool is_not_offered(std::string_view perspective_name);
    // Languages Tribune's model was trained on (ISO 639-1).
    static const std::vector<std::string>& supported_languages();

private:
    status check_text(std::string_view text) const;
    // Resolves names; dropped ones (not offered, drop_unsupported) are left out.
    result<std::vector<std::pair<const requested_attribute*, attribute>>> resolve(
        const analysis_request& r) const;

    const classifier& model_;
    feedback_store& feedback_;
    const analysis_options options_;
};

}  // namespace tribune
