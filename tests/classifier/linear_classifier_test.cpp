// The trained classifier: model loading failures, exact span decomposition and offsets
// through obfuscation (on a hand-built model), and a quality gate on the committed model.

#include "core/classify/linear_classifier.hpp"
#include "core/classify/model_file.hpp"
#include "core/classify/placeholder_classifier.hpp"
#include "core/text/prepared_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/classify/language_detector.hpp"
#include "core/classify/linear_model.hpp"
#include "core/classify/text_features.hpp"
#include "core/text/text_normalizer.hpp"

namespace tribune {
namespace {

const std::string committed_model = TRIBUNE_MODEL_PATH;

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() /
            ("tribune_clf_test_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// Code points [start, end) of a UTF-8 string.
std::string cp_substr(const std::string& s, std::size_t start, std::size_t end) {
    std::string out;
    std::size_t cp = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t len = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        if (cp >= start && cp < end) out.append(s, i, len);
        ++cp;
        i += len;
    }
    return out;
}

// ---- loading failures -------------------------------------------------------------

TEST(ModelLoading, MissingFileIsAnErrorValue) {
    auto r = linear_classifier::load("/nonexistent/dir/toxicity.tlm");
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.error().code(), "model_missing");
    EXPECT_EQ(r.error().kind(), error_kind::not_found);
    EXPECT_NE(r.error().message().find("/nonexistent/dir/toxicity.tlm"), std::string::npos);
}

TEST(ModelLoading, GarbageEmptyAndDirectoryAreCorrupt) {
    const std::string garbage = temp_path("garbage");
    std::string bytes;
    for (int i = 0; i < 100000; ++i) bytes.push_back(static_cast<char>((i * 7919) % 251));
    write_file(garbage, bytes);
    auto r = linear_classifier::load(garbage);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.error().code(), "model_corrupt");

    const std::string empty = temp_path("empty");
    write_file(empty, "");
    auto e = linear_classifier::load(empty);
    ASSERT_FALSE(e.is_ok());
    EXPECT_EQ(e.error().code(), "model_corrupt");

    // A fastText model is not ours either: the magic differs.
    const std::string ft = temp_path("fasttext");
    write_file(ft, std::string("\xBA\x16\x4F\x2F\x0C\x00\x00\x00", 8) + std::string(4096, '\0'));
    EXPECT_FALSE(linear_classifier::load(ft).is_ok());

    auto d = linear_classifier::load(std::filesystem::temp_directory_path().string());
    EXPECT_FALSE(d.is_ok());
    std::filesystem::remove(garbage);
    std::filesystem::remove(empty);
    std::filesystem::remove(ft);
}

TEST(ModelLoading, TruncatedOrFlippedCommittedModelIsCorrupt) {
    const std::string good = read_file(committed_model);
    ASSERT_GT(good.size(), 1000u) << "committed model missing at " << committed_model;

    const std::string truncated = temp_path("truncated");
    write_file(truncated, good.substr(0, good.size() / 2));
    auto t = linear_classifier::load(truncated);
    ASSERT_FALSE(t.is_ok());
    EXPECT_EQ(t.error().code(), "model_corrupt");

    std::string flipped = good;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x40);
    const std::string flipped_path = temp_path("flipped");
    write_file(flipped_path, flipped);
    auto f = linear_classifier::load(flipped_path);
    ASSERT_FALSE(f.is_ok());
    EXPECT_NE(f.error().message().find("checksum"), std::string::npos);

    // A header claiming 2^24 buckets in a small file: rejected before any allocation.
    // (Format 2: magic 8 bytes, version, heads, columns, then the bucket count at byte 20.)
    std::string huge = good.substr(0, 64);
    huge[20] = 0;
    huge[21] = 0;
    huge[22] = 0;
    huge[23] = 1;
    const std::string huge_path = temp_path("huge");
    write_file(huge_path, huge);
    EXPECT_FALSE(linear_classifier::load(huge_path).is_ok());
    std::filesystem::remove(truncated);
    std::filesystem::remove(flipped_path);
    std::filesystem::remove(huge_path);
}

TEST(ModelLoading, AnOlderFormatIsRefusedWithAClearMessage) {
    // Format 1 (before calibration and the span model), format 2 (before the relative
    // span rule, group context and the optional deep part), format 3 (one calibration per
    // head, before the per-language ones) and format 4 (before the convolutional part): the
    // magic "TRIBLM01" to "TRIBLM04"; the loader names the format and says to retrain.
    const std::string path = temp_path("old");
    for (const char old : {'1', '2', '3', '4'}) {
        std::string v = read_file(committed_model).substr(0, 4096);
        ASSERT_EQ(v.substr(0, 8), "TRIBLM05");
        v[7] = old;
        v[8] = static_cast<char>(old - '0');
        write_file(path, v);
        auto r = linear_classifier::load(path);
        ASSERT_FALSE(r.is_ok());
        EXPECT_EQ(r.error().code(), "model_corrupt");
        EXPECT_NE(r.error().message().find(std::string("format ") + old), std::string::npos) << r.error().message();
        EXPECT_NE(r.error().message().find("retrain"), std::string::npos) << r.error().message();
    }

    // A future version with the current magic (and a valid checksum) is refused too.
    std::string future = read_file(committed_model);
    future[8] = 6;
    future.resize(future.size() - 8);
    const std::uint64_t sum = model_file::fnv64(future.data(), future.size());
    future.append(reinterpret_cast<const char*>(&sum), 8);
    write_file(path, future);
    auto f = linear_classifier::load(path);
    ASSERT_FALSE(f.is_ok());
    EXPECT_NE(f.error().message().find("unsupported version 6"), std::string::npos) << f.error().message();
    std::filesystem::remove(path);
}

TEST(ModelLoading, SaveLoadRoundTripKeepsScores) {
    auto c = linear_classifier::load(committed_model);
    ASSERT_TRUE(c.is_ok()) << c.error().message();
    const std::string copy = temp_path("copy");
    ASSERT_TRUE(c.value()->model().save(copy).is_ok());
    auto d = linear_classifier::load(copy);
    ASSERT_TRUE(d.is_ok()) << d.error().message();
    const auto a = c.value()->classify("you are a stupid idiot");
    const auto b = d.value()->classify("you are a stupid idiot");
    ASSERT_TRUE(a.is_ok() && b.is_ok());
    EXPECT_EQ(a->values.values, b->values.values);
    std::filesystem::remove(copy);
}

// ---- prepared text: normalised once, scored the same ---------------------------------

TEST(PreparedText, ScoresLanguageAndSpansAreThoseOfTheRawText) {
    auto c = linear_classifier::load(committed_model);
    ASSERT_TRUE(c.is_ok()) << c.error().message();
    placeholder_classifier placeholder;
    const std::vector<std::string> texts = {
        "you are a stupid idiot", "Y0U  ARE  A  ST\u00dcPID  1D10T!!!", "f u c k this bank",
        "Pourquoi les frais bancaires augmentent-ils encore ?", "What about fees?",
        "sh1t happens \u200b with fees", "", "   ", "kill it", "\u00e9\u0301t\u00e9 \U0001F642"};
    for (const std::string& t : texts) {
        auto prepared = prepare_text(t);
        ASSERT_TRUE(prepared.is_ok()) << t;
        for (const classifier* clf : {static_cast<const classifier*>(c.value().get()),
                                      static_cast<const classifier*>(&placeholder)}) {
            auto raw = clf->classify(std::string_view(t));
            auto once = clf->classify(*prepared);
            ASSERT_TRUE(raw.is_ok() && once.is_ok()) << t;
            EXPECT_EQ(raw->values.values, once->values.values) << clf->name() << ": " << t;
            EXPECT_EQ(raw->lang, once->lang) << t;
            ASSERT_EQ(raw->spans.size(), once->spans.size()) << t;
            for (std::size_t i = 0; i < raw->spans.size(); ++i) {
                EXPECT_EQ(raw->spans[i].start, once->spans[i].start) << t;
                EXPECT_EQ(raw->spans[i].end, once->spans[i].end) << t;
                EXPECT_EQ(raw->spans[i].attr, once->spans[i].attr) << t;
                EXPECT_EQ(raw->spans[i].weight, once->spans[i].weight) << t;
            }
        }
    }
}

// ---- spans on a hand-built model --------------------------------------------------

// A model whose insult head and span self column are +3 on every feature of the word
// "idiot" and 0 elsewhere (span bias -1, so other tokens stay at probability 0.27), so the
// only span can be the (obfuscated) idiot, whatever surrounds it.
linear_model idiot_linear_model() {
    feature_config cfg;
    cfg.buckets = 1u << 12;
    feature_extractor fx(cfg);
    text_feature_set fs;
    fx.extract("idiot", fs);
    std::vector<float> w(std::size_t{cfg.buckets} * model_columns, 0.0f);
    const auto insult = static_cast<std::size_t>(attribute::insult);
    for (const feature_entry& e : fs.entries) {
        w[e.bucket * model_columns + insult] = 3.0f;
        w[e.bucket * model_columns + span_self_column] = 3.0f;
    }
    head_logits bias{};
    bias.fill(-3.0f);
    bias[insult] = -1.0f;
    linear_model m = linear_model::quantize(cfg, w, bias);
    for (attribute a : all_attributes) m.set_thresholds(a, head_thresholds{0.5f, 0.5f, 0.9f});
    span_parameters sp;
    sp.bias = -1.0f;
    sp.threshold = 0.5f;
    m.set_span_model(sp);
    return m;
}

linear_classifier idiot_model() { return linear_classifier(idiot_linear_model()); }

TEST(Calibration, ATextGetsItsLanguagesCalibrationAndTheFileKeepsIt) {
    // French insult scores calibrated with b - 2 beside the main (1, 0); English and
    // undetermined texts keep the main one.
    constexpr auto insult = static_cast<std::size_t>(attribute::insult);
    const linear_classifier plain = idiot_model();
    linear_model m = idiot_linear_model();
    m.set_language_calibration(attribute::insult, "fr", head_calibration{1.0f, -2.0f});
    const std::string path = temp_path("language_calibration");
    ASSERT_TRUE(m.save(path).is_ok());
    auto loaded = linear_classifier::load(path);
    ASSERT_TRUE(loaded.is_ok()) << loaded.error().message();
    const linear_classifier built(std::move(m));
    const std::string french = "je pense que tu es un idiot et que tu le sais";
    const std::string english = "I think that you are an idiot and you know it";
    const auto p = plain.classify(french), f = built.classify(french), g = loaded.value()->classify(french);
    ASSERT_TRUE(p.is_ok() && f.is_ok() && g.is_ok());
    ASSERT_EQ(f->lang, "fr");
    const double main_score = p->values.values[insult];
    const double logit = std::log(main_score / (1 - main_score));
    EXPECT_NEAR(f->values.values[insult], 1 / (1 + std::exp(-(logit - 2))), 1e-5);
    EXPECT_EQ(g->values.values, f->values.values);
    const auto e = plain.classify(english), h = built.classify(english);
    ASSERT_TRUE(e.is_ok() && h.is_ok());
    ASSERT_EQ(h->lang, "en");
    EXPECT_EQ(h->values.values, e->values.values);
    EXPECT_EQ(loaded.value()->model().calibration(attribute::insult, "fr").b, -2.0f);
    EXPECT_EQ(loaded.value()->model().calibration(attribute::insult, "und").b, 0.0f);
    std::filesystem::remove(path);
}

struct span_case {
    std::string text;
    std::size_t start, end;
};

TEST(Spans, OffsetsPointIntoTheOriginalTextThroughObfuscation) {
    const linear_classifier clf = idiot_model();
    const std::vector<span_case> cases = {
        {"you are an idiot", 11, 16},
        {"YOU ARE AN IDIOT!!!", 11, 16},
        {"you are an i.d.i.o.t", 11, 20},
        {"you are an i d i o t ok", 11, 20},
        {"you are an id\u200Biot", 11, 17},                  // zero-width space inside
        {"\U0001F600\U0001F600 you are an idi0t", 14, 19},  // emoji before: code points, not bytes
        {"you are an \u0456d\u0456ot", 11, 16},              // Cyrillic i homoglyphs
        {"you are an \u00EDdiot", 11, 16},                   // accent
        {"you are an idiiiiiot", 11, 20},                    // elongation
    };
    for (const span_case& c : cases) {
        auto r = clf.classify(c.text);
        ASSERT_TRUE(r.is_ok()) << c.text;
        // One span, reported for insult (its score reaches review) and for toxicity (the
        // span model is sure of it although toxicity is below review).
        ASSERT_EQ(r->spans.size(), 2u) << c.text;
        EXPECT_EQ(r->spans[0].attr, attribute::toxicity) << c.text;
        EXPECT_EQ(r->spans[1].attr, attribute::insult) << c.text;
        for (const span& s : r->spans) {
            EXPECT_EQ(s.start, c.start) << c.text;
            EXPECT_EQ(s.end, c.end) << c.text << " -> [" << cp_substr(c.text, s.start, s.end) << "]";
            EXPECT_GT(s.weight, 0.99f);  // the span model's probability for the token
        }
        EXPECT_GT(r->values[attribute::insult], 0.5f) << c.text;
        EXPECT_LT(r->values[attribute::toxicity], 0.1f) << c.text;
    }
}

TEST(Spans, TheNeighbourTermRunsOnlyWhenItsWeightsAreNotZero) {
    // The shipped models carry 0 neighbour weights and skip the term; a model with a weight
    // on the insult share of a token's neighbours must still raise the words beside "idiot".
    const std::string text = "you are an idiot today";
    linear_model m = idiot_linear_model();
    const feature_extractor fx(m.config());
    text_feature_set fs;
    fx.extract(text, fs);
    head_logits z;
    std::vector<head_logits> contrib;
    m.score(fs, z, &contrib);
    std::vector<float> plain, beside;
    m.span_probabilities(fs, z, contrib, plain);
    span_parameters sp = m.span_model();
    sp.neighbour_weight[static_cast<std::size_t>(attribute::insult)] = 2.0f;
    m.set_span_model(sp);
    m.span_probabilities(fs, z, contrib, beside);
    ASSERT_EQ(plain.size(), 5u);
    ASSERT_EQ(beside.size(), 5u);
    for (std::size_t t : {std::size_t{2}, std::size_t{4}}) EXPECT_GT(beside[t], plain[t] + 0.2f) << t;
    for (std::size_t t : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) EXPECT_EQ(beside[t], plain[t]) << t;
}

TEST(Spans, NoSpansBelowTheReviewThreshold) {
    const linear_classifier clf = idiot_model();
    auto r = clf.classify("what a lovely day");
    ASSERT_TRUE(r.is_ok());
    EXPECT_TRUE(r->spans.empty());
    EXPECT_LT(r->values[attribute::insult], 0.5f);
}

TEST(Spans, ContributionsSumExactlyToTheLogit) {
    auto c = linear_classifier::load(committed_model);
    ASSERT_TRUE(c.is_ok()) << c.error().message();
    // A convolutional part's output belongs to no token (linear_model.hpp): the linear part of
    // the committed model, without one (the shipped model has none), must decompose exactly.
    linear_model m = c.value()->model();
    m.set_conv(conv_network{});
    feature_extractor fx(m.config());
    std::vector<float> implied_bias;
    for (const char* text : {"you are a stupid idiot", "what time is the keynote?",
                             "les immigres sont des parasites", "a"}) {
        auto n = normalize(text);
        ASSERT_TRUE(n.is_ok());
        text_feature_set fs;
        fx.extract(n->text, fs);
        head_logits plain{}, with{};
        std::vector<head_logits> contrib;
        m.score(fs, plain, nullptr);
        m.score(fs, with, &contrib);
        ASSERT_EQ(contrib.size(), fs.tokens.size());
        for (std::size_t h = 0; h < attribute_count; ++h) {
            EXPECT_NEAR(plain[h], with[h], 1e-4f);
            float sum = 0;
            for (const auto& t : contrib) sum += t[h];
            implied_bias.push_back(with[h] - sum);
        }
    }
    // logit - sum of token shares is the same bias for every text: nothing is left over.
    for (std::size_t i = attribute_count; i < implied_bias.size(); ++i)
        EXPECT_NEAR(implied_bias[i], implied_bias[i % attribute_count], 1e-4f);
}

// Spans are runs of span-model tokens joined across spaces, so "f*cking IDI0T" may be one
// span; it must cover the insult, in original code points, and not the harmless start.
TEST(Spans, CommittedModelHighlightsTheInsultInTheOriginal) {
    auto c = linear_classifier::load(committed_model);
    ASSERT_TRUE(c.is_ok()) << c.error().message();
    const std::string text = "\u00C9coute, you're a f*cking IDI0T";
    auto r = c.value()->classify(text);
    ASSERT_TRUE(r.is_ok());
    bool found = false;
    for (const span& s : r->spans) {
        ASSERT_LT(s.start, s.end);
        ASSERT_LE(s.end, 30u);
        EXPECT_GT(s.weight, 0.0f);
        EXPECT_LE(s.weight, 1.0f);
        EXPECT_GE(s.start, 8u) << "a span reaches into \"\u00C9coute,\": " << cp_substr(text, s.start, s.end);
        const std::string covered = cp_substr(text, s.start, s.end);
        if (s.attr == attribute::insult && covered.size() >= 5 && covered.substr(covered.size() - 5) == "IDI0T")
            found = true;
    }
    EXPECT_TRUE(found);
}

// ---- quality gate on the committed model -------------------------------------------

class QualityGate : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto c = linear_classifier::load(committed_model);
        ASSERT_TRUE(c.is_ok()) << c.error().message();
        clf_ = std::move(c).value().release();
    }
    static void TearDownTestSuite() {
        delete clf_;
        clf_ = nullptr;
    }
    static classification run(const std::string& text) {
        auto r = clf_->classify(text);
        EXPECT_TRUE(r.is_ok()) << text;
        return r.is_ok() ? r.value() : classification{};
    }
    static float review(attribute a) { return clf_->model().thresholds(a).review; }
    static float decision(attribute a) { return clf_->model().thresholds(a).decision; }
    static linear_classifier* clf_;
};
linear_classifier* QualityGate::clf_ = nullptr;

TEST_F(QualityGate, PoliteQuestionsStayBelowEveryReviewThreshold) {
    for (const char* q : {
             "What time does the keynote start tomorrow?",
             "Thank you for the great talk, what inspired your research?",
             "How do I reset my password for the conference app?",
             "Will the slides be shared after the session?",
             "Quelle heure commence la conf\u00E9rence demain ?",
             "Merci pour cette pr\u00E9sentation, quelles sont les prochaines \u00E9tapes ?",
             "Est-ce que les diapositives seront partag\u00E9es apr\u00E8s la session ?",
         }) {
        const classification c = run(q);
        for (attribute a : all_attributes)
            EXPECT_LT(c.values[a], review(a)) << q << " " << to_string(a) << "=" << c.values[a];
        EXPECT_TRUE(c.spans.empty()) << q;
    }
}

TEST_F(QualityGate, DirectInsultsScoreHigh) {
    for (const char* q : {"You are a complete idiot and nobody wants to hear you.",
                          "Shut up you stupid moron.", "Tu es un connard et un imb\u00E9cile.",
                          "Ferme ta gueule esp\u00E8ce de salope."}) {
        const classification c = run(q);
        EXPECT_GE(c.values[attribute::toxicity], decision(attribute::toxicity)) << q;
        EXPECT_GE(c.values[attribute::insult], decision(attribute::insult)) << q;
        EXPECT_FALSE(c.spans.empty()) << q;
    }
}

TEST_F(QualityGate, ThreatsScoreHigh) {
    for (const char* q : {"I will kill you and your family.", "Je vais te tuer."}) {
        const classification c = run(q);
        EXPECT_GE(c.values[attribute::threat], decision(attribute::threat)) << q;
        EXPECT_GE(c.values[attribute::toxicity], decision(attribute::toxicity)) << q;
    }
}

TEST_F(QualityGate, IdentityAttacksScoreHighEvenWithoutSlurs) {
    for (const char* q : {"Those people are vermin and should be driven out of our country.",
                          "Muslims are a disease infecting our nation.",
                          "Les immigr\u00E9s sont des parasites qu'il faut renvoyer chez eux."}) {
        const classification c = run(q);
        EXPECT_GE(c.values[attribute::identity_attack], decision(attribute::identity_attack)) << q;
        EXPECT_GE(c.values[attribute::toxicity], decision(attribute::toxicity)) << q;
    }
}

TEST_F(QualityGate, ProfanityWithoutATargetIsNotAnIdentityAttack) {
    for (const char* q : {"Fuck, I missed the first half of the talk!",
                          "Putain, j'ai rat\u00E9 le d\u00E9but de la conf\u00E9rence !"}) {
        const classification c = run(q);
        EXPECT_GE(c.values[attribute::profanity], review(attribute::profanity)) << q;
        EXPECT_LT(c.values[attribute::identity_attack], review(attribute::identity_attack)) << q;
        EXPECT_LT(c.values[attribute::identity_attack], c.values[attribute::profanity]) << q;
    }
}

TEST_F(QualityGate, ObfuscatedInsultsAreCaught) {
    for (const char* q : {"f u c k you", "You're a f*cking idi0t", "you are an \u0456d\u0456ot"}) {
        const classification c = run(q);
        EXPECT_GE(c.values[attribute::toxicity], decision(attribute::toxicity)) << q;
    }
}

TEST_F(QualityGate, LanguageIsReported) {
    EXPECT_EQ(run("What time does the keynote start tomorrow?").lang, "en");
    EXPECT_EQ(run("Quelle heure commence la conf\u00E9rence demain ?").lang, "fr");
    EXPECT_EQ(run("\U0001F600\U0001F600").lang, "und");
}

TEST_F(QualityGate, ScoresAreProbabilitiesAndInvalidUtf8IsAnError) {
    const classification c = run(std::string(300, 'a'));
    for (attribute a : all_attributes) {
        EXPECT_GE(c.values[a], 0.0f);
        EXPECT_LE(c.values[a], 1.0f);
    }
    auto bad = clf_->classify("caf\xC3");
    ASSERT_FALSE(bad.is_ok());
    EXPECT_EQ(bad.error().code(), "invalid_utf8");
    EXPECT_TRUE(clf_->classify("").is_ok());
}

TEST_F(QualityGate, ConcurrentCallsAgree) {
    const std::string text = "Shut up you stupid moron, those people are vermin.";
    const classification expected = run(text);
    std::vector<std::thread> threads;
    std::vector<int> mismatches(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                auto r = clf_->classify(i % 2 ? text : "hello there, nice talk");
                if (i % 2 && (!r.is_ok() || r->values.values != expected.values.values ||
                              r->spans.size() != expected.spans.size()))
                    ++mismatches[static_cast<std::size_t>(t)];
            }
        });
    for (auto& th : threads) th.join();
    for (int m : mismatches) EXPECT_EQ(m, 0);
}

// ---- language detector ---------------------------------------------------------------

std::string_view detect(const std::string& text) {
    auto n = normalize(text);
    std::vector<text_token> tokens;
    feature_extractor::tokenize(n->text, tokens, 512);
    return language_detector::detect(n->text, tokens);
}

TEST(LanguageDetector, EnglishFrenchAndUndetermined) {
    EXPECT_EQ(detect("Is the session recorded for those who missed it?"), "en");
    EXPECT_EQ(detect("Est-ce que la session est enregistr\u00E9e pour ceux qui l'ont rat\u00E9e ?"), "fr");
    EXPECT_EQ(detect("\u00C7a va \u00EAtre g\u00E9nial, je pense que c'est bien"), "fr");
    EXPECT_EQ(detect("12345 !!!"), "und");
    EXPECT_EQ(detect("Wie sp\u00E4t ist es"), "und");
    EXPECT_EQ(detect("Je vais te tuer."), "fr");
    EXPECT_EQ(detect("I hate you"), "en");
}

}  // namespace
}  // namespace tribune
