// The discovery document of the Perspective-compatible API (part of perspective_codec.hpp):
// the shape of Google's "discovery#restDescription" for commentanalyzer v1alpha1, so that
// Google's API client libraries build a client from it. Descriptions are Tribune's own.

#include "server/wire/perspective_codec.hpp"

namespace tribune::server {
namespace {

json string_prop(const char* description) { return {{"type", "string"}, {"description", description}}; }

json ref_prop(const char* ref, const char* description) {
    return {{"$ref", ref}, {"description", description}};
}

json score_type_enum() {
    return {{"type", "string"},
            {"enum", {"SCORE_TYPE_UNSPECIFIED", "PROBABILITY"}},
            {"enumDescriptions",
             {"Unspecified: Tribune answers PROBABILITY.", "A probability in [0, 1]."}}};
}

json schemas() {
    json s = json::object();
    s["TextEntry"] = {{"id", "TextEntry"}, {"type", "object"}, {"description", "A text."},
                      {"properties",
                       {{"text", string_prop("UTF-8 text.")},
                        {"type", {{"type", "string"},
                                  {"enum", {"TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT"}},
                                  {"enumDescriptions", {"Plain text.", "Plain text."}}}}}}};
    s["Context"] = {{"id", "Context"}, {"type", "object"},
                    {"description", "What the comment refers to. Accepted; not used for scores."},
                    {"properties",
                     {{"entries", {{"type", "array"}, {"items", {{"$ref", "TextEntry"}}},
                                   {"description", "Earlier messages or the article."}}}}}};
    json score_type = score_type_enum();
    score_type["description"] = "Always PROBABILITY.";
    s["AttributeParameters"] = {
        {"id", "AttributeParameters"}, {"type", "object"},
        {"description", "Options for one requested attribute."},
        {"properties",
         {{"scoreType", score_type},
          {"scoreThreshold", {{"type", "number"}, {"format", "float"},
                              {"description", "Leave the attribute out when its score is below."}}}}}};
    s["Score"] = {{"id", "Score"}, {"type", "object"}, {"description", "A score and its type."},
                  {"properties", {{"value", {{"type", "number"}, {"format", "float"}}}, {"type", score_type}}}};
    s["SpanScore"] = {
        {"id", "SpanScore"}, {"type", "object"},
        {"description", "The score of one sentence. begin and end count UTF-16 code units; end is exclusive."},
        {"properties",
         {{"begin", {{"type", "integer"}, {"format", "int32"}}},
          {"end", {{"type", "integer"}, {"format", "int32"}}},
          {"score", ref_prop("Score", "The sentence's score.")}}}};
    s["AttributeScores"] = {
        {"id", "AttributeScores"}, {"type", "object"}, {"description", "Scores of one attribute."},
        {"properties",
         {{"summaryScore", ref_prop("Score", "The score of the whole comment.")},
          {"spanScores", {{"type", "array"}, {"items", {{"$ref", "SpanScore"}}},
                          {"description", "Per sentence, when spanAnnotations was true."}}}}}};
    const json langs = {{"type", "array"}, {"items", {{"type", "string"}}},
                        {"description", "ISO 639-1 or BCP-47 codes; Tribune scores en and fr."}};
    s["AnalyzeCommentRequest"] = {
        {"id", "AnalyzeCommentRequest"}, {"type", "object"}, {"description", "A comment to score."},
        {"properties",
         {{"comment", ref_prop("TextEntry", "The comment.")},
          {"context", ref_prop("Context", "Accepted; not used.")},
          {"requestedAttributes", {{"type", "object"}, {"additionalProperties", {{"$ref", "AttributeParameters"}}},
                                   {"description", "TOXICITY, SEVERE_TOXICITY, IDENTITY_ATTACK, INSULT, PROFANITY, THREAT."}}},
          {"languages", langs},
          {"doNotStore", {{"type", "boolean"}, {"description", "Tribune never stores analyzed text."}}},
          {"spanAnnotations", {{"type", "boolean"}, {"description", "Also score each sentence."}}},
          {"dropUnsupportedAttributes", {{"type", "boolean"}, {"description", "Leave out attributes not offered."}}},
          {"clientToken", string_prop("Echoed in the response.")},
          {"communityId", string_prop("Accepted; not used.")},
          {"sessionId", string_prop("Accepted; not used.")}}}};
    s["AnalyzeCommentResponse"] = {
        {"id", "AnalyzeCommentResponse"}, {"type", "object"}, {"description", "The scores."},
        {"properties",
         {{"attributeScores", {{"type", "object"}, {"additionalProperties", {{"$ref", "AttributeScores"}}}}},
          {"languages", langs},
          {"detectedLanguages", langs},
          {"clientToken", string_prop("The request's clientToken.")}}}};
    s["SuggestCommentScoreRequest"] = {
        {"id", "SuggestCommentScoreRequest"}, {"type", "object"},
        {"description", "Scores the client believes right for a comment; stored as a labelled example."},
        {"properties",
         {{"comment", ref_prop("TextEntry", "The comment.")},
          {"context", ref_prop("Context", "Stored with the example.")},
          {"attributeScores", {{"type", "object"}, {"additionalProperties", {{"$ref", "AttributeScores"}}}}},
          {"languages", langs},
          {"communityId", string_prop("Stored with the example.")},
          {"clientToken", string_prop("Echoed in the response.")},
          {"sessionId", string_prop("Stored with the example.")}}}};
    s["SuggestCommentScoreResponse"] = {
        {"id", "SuggestCommentScoreResponse"}, {"type", "object"}, {"description", "The echo."},
        {"properties", {{"clientToken", string_prop("The request's clientToken.")}}}};
    return s;
}

json method(const char* name, const char* description, const char* request, const char* response) {
    const std::string path = std::string("v1alpha1/comments:") + name;
    return {{"id", std::string("commentanalyzer.comments.") + name},
            {"description", description},
            {"path", path},
            {"flatPath", path},
            {"httpMethod", "POST"},
            {"parameters", json::object()},
            {"parameterOrder", json::array()},
            {"request", {{"$ref", request}}},
            {"response", {{"$ref", response}}}};
}

json query_param(const char* description, const char* type = "string") {
    return {{"type", type}, {"location", "query"}, {"description", description}};
}

}  // namespace

json discovery_document(const std::string& root_url, const std::string& service_path) {
    json params = {{"key", query_param("The API key: a Tribune token of role analyst or admin.")},
                   {"alt", query_param("Response format; only json.")},
                   {"fields", query_param("Accepted; the whole response is returned.")},
                   {"prettyPrint", query_param("Accepted; ignored.", "boolean")},
                   {"quotaUser", query_param("Accepted; quotas are per key.")}};
    json methods = {
        {"analyze", method("analyze", "Scores a comment for the requested attributes.",
                           "AnalyzeCommentRequest", "AnalyzeCommentResponse")},
        {"suggestscore", method("suggestscore", "Stores suggested scores as a labelled example.",
                                "SuggestCommentScoreRequest", "SuggestCommentScoreResponse")}};
    return {{"kind", "discovery#restDescription"},
            {"discoveryVersion", "v1"},
            {"id", "commentanalyzer:v1alpha1"},
            {"name", "commentanalyzer"},
            {"canonicalName", "Comment Analyzer"},
            {"version", "v1alpha1"},
            {"revision", "tribune"},
            {"title", "Tribune's Perspective-compatible Comment Analyzer API"},
            {"description", "Tribune scores comments locally with its own model, in the shape of "
                            "Perspective API's v1alpha1 (docs/perspective.md)."},
            {"documentationLink", root_url + "api/v1/openapi.yaml"},
            {"protocol", "rest"},
            {"rootUrl", root_url},
            {"servicePath", service_path},
            {"baseUrl", root_url + service_path},
            {"basePath", "/" + service_path},
            {"batchPath", "batch"},
            {"ownerDomain", "tribune"},
            {"ownerName", "Tribune"},
            {"parameters", std::move(params)},
            {"resources", {{"comments", {{"methods", std::move(methods)}}}}},
            {"schemas", schemas()}};
}

}  // namespace tribune::server
