#include "core/service/analysis_service.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/text/sentence_splitter.hpp"
#include "core/text/text_normalizer.hpp"
#include "core/text/utf8.hpp"
#include "core/util/wall_clock.hpp"

namespace tribune {
namespace {

struct named_attribute {
    std::string_view name;
    attribute attr;
};

// Perspective's names for what Tribune scores. The _EXPERIMENTAL names were Perspective's
// earlier names for the same attributes; they are scored by the same heads.
constexpr std::array<named_attribute, 12> offered = {{
    {"TOXICITY", attribute::toxicity},
    {"SEVERE_TOXICITY", attribute::severe_toxicity},
    {"IDENTITY_ATTACK", attribute::identity_attack},
    {"INSULT", attribute::insult},
    {"PROFANITY", attribute::profanity},
    {"THREAT", attribute::threat},
    {"TOXICITY_EXPERIMENTAL", attribute::toxicity},
    {"SEVERE_TOXICITY_EXPERIMENTAL", attribute::severe_toxicity},
    {"IDENTITY_ATTACK_EXPERIMENTAL", attribute::identity_attack},
    {"INSULT_EXPERIMENTAL", attribute::insult},
    {"PROFANITY_EXPERIMENTAL", attribute::profanity},
    {"THREAT_EXPERIMENTAL", attribute::threat},
}};

// Perspective attributes (production, experimental and the New York Times models) that
// Tribune has no model for.
constexpr std::array<std::string_view, 19> not_offered = {
    "SEXUALLY_EXPLICIT",  "FLIRTATION",           "ATTACK_ON_AUTHOR",
    "ATTACK_ON_COMMENTER", "ATTACK_ON_PUBLISHER", "INCOHERENT",
    "INFLAMMATORY",       "LIKELY_TO_REJECT",     "OBSCENE",
    "OFF_TOPIC",          "SPAM",                 "UNSUBSTANTIAL",
    "TOXICITY_FAST",      "AFFINITY_EXPERIMENTAL", "COMPASSION_EXPERIMENTAL",
    "CURIOSITY_EXPERIMENTAL", "NUANCE_EXPERIMENTAL", "PERSONAL_STORY_EXPERIMENTAL",
    "REASONING_EXPERIMENTAL",
};

// "en-US", "EN", "en_GB" -> "en".
std::string primary_subtag(std::string_view tag) {
    std::string out;
    for (char c : tag) {
        if (c == '-' || c == '_') break;
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
}

std::string offered_list() {
    return "TOXICITY, SEVERE_TOXICITY, IDENTITY_ATTACK, INSULT, PROFANITY and THREAT";
}

}  // namespace

analysis_service::analysis_service(const classifier& model, feedback_store& feedback,
                                   analysis_options options)
    : model_(model), feedback_(feedback), options_(options) {}

std::optional<attribute> analysis_service::attribute_for(std::string_view name) {
    for (const auto& a : offered)
        if (a.name == name) return a.attr;
    return std::nullopt;
}

bool analysis_service::is_not_offered(std::string_view name) {
    return std::find(not_offered.begin(), not_offered.end(), name) != not_offered.end() ||
           name.starts_with("RESPECT_");  // bridging attributes were all *_EXPERIMENTAL
}

const std::vector<std::string>& analysis_service::supported_languages() {
    static const std::vector<std::string> langs = {"en", "fr"};
    return langs;
}

status analysis_service::check_text(std::string_view text) const {
    if (!is_valid_utf8(text)) return invalid("invalid_utf8", "comment.text is not valid UTF-8");
    if (text.size() > options_.max_text_bytes)
        return invalid("text_too_long", "Comment text was too many bytes. Value (" +
                                            std::to_string(text.size()) + ") exceeded limit (" +
                                            std::to_string(options_.max_text_bytes) + ").");
    if (is_blank(text)) return invalid("text_required", "Comment must be non-empty.");
    return status::ok();
}

result<std::vector<std::pair<const requested_attribute*, attribute>>> analysis_service::resolve(
    const analysis_request& r) const {
    if (r.attributes.empty())
        return invalid("attributes_required", "requestedAttributes must name at least one attribute");
    std::vector<std::pair<const requested_attribute*, attribute>> out;
    for (const requested_attribute& ra : r.attributes) {
        if (!ra.score_type.empty() && ra.score_type != "SCORE_TYPE_UNSPECIFIED" &&
            ra.score_type != "PROBABILITY")
            return invalid("invalid_score_type", "Attribute " + ra.name + ": scoreType " +
                                                     ra.score_type +
                                                     " is not supported; Tribune answers PROBABILITY");
        if (ra.score_threshold && !(*ra.score_threshold >= 0.0f && *ra.score_threshold <= 1.0f))
            return invalid("invalid_threshold",
                           "Attribute " + ra.name + ": scoreThreshold must be between 0 and 1");
        if (auto a = attribute_for(ra.name)) {
            out.emplace_back(&ra, *a);
            continue;
        }
        if (!is_not_offered(ra.name))
            return invalid("unknown_attribute", "Unknown attribute: " + ra.name + ". Tribune scores " +
                                                    offered_list() + ".");
        if (r.drop_unsupported) continue;
        return invalid("attribute_not_offered",
                       "Attribute " + ra.name + " is not offered by this server (Tribune scores " +
                           offered_list() + "); send dropUnsupportedAttributes: true to leave it out");
    }
    return out;
}

result<analysis_result> analysis_service::analyze(const analysis_request& r) const {
    if (!r.text_type.empty() && r.text_type != "TEXT_TYPE_UNSPECIFIED" && r.text_type != "PLAIN_TEXT")
        return invalid("invalid_text_type",
                       "comment.type " + r.text_type + " is not supported; send PLAIN_TEXT");
    if (status st = check_text(r.text); !st) return st;
    auto wanted = resolve(r);
    if (!wanted) return wanted.error();

    analysis_result out;
    for (const std::string& lang : r.languages) {
        const std::string primary = primary_subtag(lang);
        const auto& ok = supported_languages();
        if (std::find(ok.begin(), ok.end(), primary) != ok.end()) continue;
        if (r.drop_unsupported) {
            wanted->clear();  // every attribute supports the same languages
            break;
        }
        const std::string first = r.attributes.front().name;
        return invalid("language_not_supported",
                       "Attribute " + first + " does not support request languages: " + lang);
    }

    auto whole = model_.classify(r.text);
    if (!whole)
        return status::error(error_kind::internal, "classifier_failed", whole.error().message());
    if (whole->lang == "en" || whole->lang == "fr") out.detected_languages.push_back(whole->lang);
    out.languages = r.languages.empty() ? out.detected_languages : r.languages;

    // Per-sentence classifications, only when span scores are asked for.
    std::vector<std::pair<span_score, classification>> sentences;
    if (r.span_annotations) {
        for (const byte_range& b : split_sentences(r.text)) {
            span_score s;
            s.begin = utf16_length(std::string_view(r.text).substr(0, b.begin));
            s.end = s.begin + utf16_length(std::string_view(r.text).substr(b.begin, b.end - b.begin));
            auto c = model_.classify(std::string_view(r.text).substr(b.begin, b.end - b.begin));
            if (!c) return status::error(error_kind::internal, "classifier_failed", c.error().message());
            sentences.emplace_back(s, std::move(c.value()));
        }
    }

    for (const auto& [ra, attr] : *wanted) {
        const float threshold = ra->score_threshold.value_or(0.0f);
        attribute_score a;
        a.name = ra->name;
        a.summary = whole->values[attr];
        if (a.summary < threshold) continue;
        for (const auto& [s, c] : sentences) {
            if (c.values[attr] < threshold) continue;
            span_score scored = s;
            scored.value = c.values[attr];
            a.spans.push_back(scored);
        }
        out.scores.push_back(std::move(a));
    }
    return out;
}

result<std::int64_t> analysis_service::suggest(suggestion s) {
    if (status st = check_text(s.text); !st) return st;
    if (s.scores.empty())
        return invalid("attributes_required", "attributeScores must hold at least one score");
    const std::size_t length = utf16_length(s.text);
    for (const suggested_score& sc : s.scores) {
        if (!attribute_for(sc.attribute))
            return invalid(is_not_offered(sc.attribute) ? "attribute_not_offered" : "unknown_attribute",
                           "Attribute " + sc.attribute + " is not scored by this server (Tribune scores " +
                               offered_list() + ")");
        if (!(sc.value >= 0.0f && sc.value <= 1.0f))
            return invalid("invalid_field", "Attribute " + sc.attribute +
                                                ": a suggested score must be between 0 and 1");
        if (sc.span_begin.has_value() != sc.span_end.has_value() ||
            (sc.span_begin && (*sc.span_begin >= *sc.span_end || *sc.span_end > length)))
            return invalid("invalid_field",
                           "Attribute " + sc.attribute + ": a span score needs begin < end <= " +
                               std::to_string(length) + " (UTF-16 code units of the text)");
    }
    std::size_t context_bytes = 0;
    for (const context_entry& e : s.context) {
        if (!is_valid_utf8(e.text) || !is_valid_utf8(e.type))
            return invalid("invalid_utf8", "context.entries must be valid UTF-8");
        context_bytes += e.text.size();
    }
    if (context_bytes > options_.max_context_bytes)
        return invalid("invalid_field", "context.entries hold more than " +
                                            std::to_string(options_.max_context_bytes) + " bytes");
    for (const auto* f : {&s.community_id, &s.client_token, &s.session_id})
        if (*f && (f->value().size() > options_.max_field_bytes || !is_valid_utf8(**f)))
            return invalid("invalid_field", "communityId, clientToken and sessionId must be valid UTF-8 of at most " +
                                                std::to_string(options_.max_field_bytes) + " bytes");
    s.created_at = wall_clock_ms();
    return feedback_.add_suggestion(s);
}

result<std::vector<suggestion>> analysis_service::suggestions(std::int64_t after_id,
                                                               std::size_t limit) {
    return feedback_.list_suggestions(after_id, limit);
}

}  // namespace tribune
