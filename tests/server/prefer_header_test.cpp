// Prefer: return=minimal (RFC 7240) on POST .../questions: which header values ask for it, and
// the minimal answer's members, as the full question's JSON names them.

#include <gtest/gtest.h>

#include "server/http/prefer_header.hpp"
#include "server/wire/json_codec.hpp"
#include "server/wire/question_writer.hpp"

namespace tribune::test {
namespace {

using server::json;
using server::prefers_minimal_return;

TEST(prefer_header, return_minimal_is_found_among_other_preferences_in_any_case) {
    EXPECT_TRUE(prefers_minimal_return("return=minimal"));
    EXPECT_TRUE(prefers_minimal_return("  return = minimal  "));
    EXPECT_TRUE(prefers_minimal_return("RETURN=Minimal"));
    EXPECT_TRUE(prefers_minimal_return("return=\"minimal\""));
    EXPECT_TRUE(prefers_minimal_return("respond-async, wait=10, return=minimal"));
    EXPECT_TRUE(prefers_minimal_return("return=minimal; foo=bar, handling=lenient"));
}

TEST(prefer_header, other_values_parameters_and_lookalikes_do_not_count) {
    EXPECT_FALSE(prefers_minimal_return(""));
    EXPECT_FALSE(prefers_minimal_return("return=representation"));
    EXPECT_FALSE(prefers_minimal_return("return=minimalist"));
    EXPECT_FALSE(prefers_minimal_return("return"));
    EXPECT_FALSE(prefers_minimal_return("areturn=minimal"));
    EXPECT_FALSE(prefers_minimal_return("return=\"minimal"));
    // A parameter of another preference is not a preference.
    EXPECT_FALSE(prefers_minimal_return("handling=lenient; return=minimal"));
    EXPECT_FALSE(prefers_minimal_return(",,;,="));
}

TEST(prefer_header, the_minimal_answer_has_the_full_questions_id_status_version_and_group) {
    question q;
    q.id = 42;
    q.event = "demo";
    q.text = "Why \"now\"?";
    q.status = question_status::auto_rejected;
    q.version = 3;
    q.cluster_id = 40;
    q.cluster_size = 5;
    q.cluster_review = 2;
    const json full = server::to_json(q);
    const json minimal = json::parse(server::encode_question_minimal(q));
    EXPECT_EQ(minimal.size(), 4u) << minimal.dump();
    for (const char* k : {"id", "status", "version"}) EXPECT_EQ(minimal[k], full[k]) << k;
    EXPECT_EQ(minimal["cluster"],
              (json{{"id", full["cluster"]["id"]}, {"size", full["cluster"]["size"]}}));
    EXPECT_EQ(minimal["status"], "auto_rejected");
    EXPECT_EQ(minimal["cluster"]["size"], 5);
}

}  // namespace
}  // namespace tribune::test
