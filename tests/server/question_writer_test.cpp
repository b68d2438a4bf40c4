// question_writer writes a question's JSON without nlohmann's tree; the answer of every ingest
// and every change of the live stream use it. It must write exactly what the reference,
// to_json(q, f).dump(), writes: same members, order, numbers and escaping.

#include <gtest/gtest.h>

#include "server/wire/question_writer.hpp"
#include "server/wire/stream_codec.hpp"

namespace tribune::test {
namespace {

using server::json;

question plain() {
    question q;
    q.id = 42;
    q.event = "demo";
    q.event_id = 3;
    q.text = "When does the bridge open?";
    q.created_at = 1'764'980'037'933;
    q.updated_at = 1'764'980'037'933;
    q.scored.lang = "en";
    q.verdict = "all scores below review";
    q.cluster_id = 42;
    return q;
}

question rich() {
    question q = plain();
    q.text = "Quote \" backslash \\ tab\t newline\n bell\x07 del\x7f caf\xc3\xa9 \xf0\x9f\x98\x80 </script>";
    q.author = "ana \"the\" mod";
    q.source = "bench";
    q.external_id = "x-1";
    q.origin_url = "https://social.example/@ana/110000000000000001";
    q.status = question_status::auto_rejected;
    q.version = 7;
    q.votes = 12;
    q.cluster_id = 40;
    q.cluster_size = 5;
    q.cluster_review = 2;
    q.cluster_heat = 123'456;
    q.question_probability = 0.73456f;
    q.correction = correction_note{-0.127f, question_status::pending};
    q.scored.values = scores{{0.9216f, 0.0244f, 0.4851f, 0.1843f, 0.0271f, 0.1139f}};
    q.scored.spans.push_back({48, 54, attribute::toxicity, 0.9107f, ""});
    q.scored.spans.push_back({0, 5, attribute::insult, 1.0f, "word list: \"idiot\""});
    q.verdict = "toxicity 0.92 >= review 0.48";
    return q;
}

TEST(question_writer, writes_what_the_reference_encoder_writes) {
    for (const question& q : {plain(), rich()}) {
        EXPECT_EQ(server::encode_question(q), server::to_json(q).dump());
        EXPECT_EQ(server::encode_question(q, {.scores = false}),
                  server::to_json(q, {.scores = false}).dump());
    }
}

TEST(question_writer, writes_numbers_as_nlohmann_does) {
    question q = rich();
    q.question_probability = 1.0f;  // integral doubles keep their ".0"
    q.correction = correction_note{0.0f, std::nullopt};
    q.scored.values = scores{{0.0f, 1.0f, 0.00049f, 0.0005f, 0.333333f, 0.999999f}};
    q.id = 9'007'199'254'740'993;
    q.cluster_heat = -5;
    EXPECT_EQ(server::encode_question(q), server::to_json(q).dump());
}

TEST(question_writer, every_control_character_is_escaped_as_the_reference_escapes_it) {
    question q = plain();
    q.text.clear();
    for (int c = 1; c < 0x20; ++c) q.text += static_cast<char>(c);
    EXPECT_EQ(server::encode_question(q), server::to_json(q).dump());
}

TEST(question_writer, a_change_of_the_live_stream_is_the_reference_message) {
    for (const question_change& c :
         {question_change{change_kind::created, std::nullopt, rich(), {}},
          question_change{change_kind::updated, question_status::pending, plain(), "alice \"a\""}}) {
        const json reference = {{"type", "question"},
                                {"change", c.kind == change_kind::created ? "created" : "updated"},
                                {"from", c.from ? json(to_string(*c.from)) : json(nullptr)},
                                {"actor", c.actor.empty() ? json(nullptr) : json(c.actor)},
                                {"question", server::to_json(c.q)}};
        EXPECT_EQ(server::encode_change(c), reference.dump());
    }
}

}  // namespace
}  // namespace tribune::test
