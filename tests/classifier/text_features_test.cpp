// The feature extractor's French handling and its scope and joined-pair features, on the
// normaliser's output (the same path linear_classifier takes).

#include "core/classify/text_features.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "core/text/text_normalizer.hpp"

namespace tribune {
namespace {

feature_config with_everything() {
    feature_config c;
    c.buckets = 1u << 16;
    c.scope_features = true;
    c.joined_pairs = true;
    return c;
}

text_feature_set features_of(const std::string& text, const feature_config& c = with_everything()) {
    auto n = normalize(text);
    EXPECT_TRUE(n.is_ok()) << text;
    text_feature_set fs;
    feature_extractor(c).extract(n->text, fs);
    return fs;
}

std::vector<std::string> words_of(const std::string& text) {
    auto n = normalize(text);
    std::vector<text_token> tokens;
    feature_extractor::tokenize(n->text, tokens, 512);
    std::vector<std::string> out;
    for (const text_token& t : tokens) out.push_back(n->text.substr(t.byte_begin, t.byte_end - t.byte_begin));
    return out;
}

std::multiset<std::uint32_t> buckets(const text_feature_set& fs) {
    std::multiset<std::uint32_t> out;
    for (const feature_entry& e : fs.entries) out.insert(e.bucket);
    return out;
}

// Buckets of token `t` that the same text without scope features does not have.
std::multiset<std::uint32_t> scope_buckets(const std::string& text, std::size_t t) {
    feature_config plain = with_everything();
    plain.scope_features = false;
    std::multiset<std::uint32_t> with, without;
    for (const feature_entry& e : features_of(text).entries)
        if (e.token == t) with.insert(e.bucket);
    for (const feature_entry& e : features_of(text, plain).entries)
        if (e.token == t) without.insert(e.bucket);
    std::multiset<std::uint32_t> extra;
    std::set_difference(with.begin(), with.end(), without.begin(), without.end(), std::inserter(extra, extra.end()));
    return extra;
}

TEST(TextFeatures, FrenchElisionSplitsTheArticleOff) {
    const std::vector<std::string> want = {"l", "immigre", "qu", "il", "d", "arabes"};
    EXPECT_EQ(words_of("l'immigré qu'il d'Arabes"), want);
    EXPECT_EQ(words_of("l\u2019immigr\u00E9 qu\u2019il d\u2019Arabes"), want);  // typographic apostrophe
    EXPECT_EQ(words_of("L'IMMIGRÉ QU'IL D'ARABES"), want);
}

TEST(TextFeatures, FrenchSpacingBeforePunctuationChangesNothing) {
    EXPECT_EQ(buckets(features_of("Pourquoi ils sont là ?")), buckets(features_of("Pourquoi ils sont là?")));
    EXPECT_EQ(buckets(features_of("Attention : danger !")), buckets(features_of("Attention: danger!")));
    EXPECT_EQ(buckets(features_of("vraiment\u00A0?")), buckets(features_of("vraiment?")));  // no-break space
}

TEST(TextFeatures, AWordSplitByASpaceAlsoEntersJoined) {
    // "con nard" carries the word feature of "connard" (half on each token).
    const auto joined = features_of("c'est un con nard");
    const auto whole = features_of("connard");
    const std::uint32_t connard = whole.entries.front().bucket;  // the word unigram comes first
    std::size_t halves = 0;
    for (const feature_entry& e : joined.entries)
        if (e.bucket == connard) {
            EXPECT_EQ(e.value, 0.5f);
            ++halves;
        }
    EXPECT_EQ(halves, 2u);
    // Two long words are not joined: "sale arabe" does not make "salearabe".
    const auto long_words = features_of("sale arabe");
    const auto salearabe = features_of("salearabe").entries.front().bucket;
    for (const feature_entry& e : long_words.entries) EXPECT_NE(e.bucket, salearabe);
}

TEST(TextFeatures, NegationScopeRunsToTheClauseEnd) {
    // tokens: you(0) are(1) not(2) an(3) idiot(4) ,  you(5) are(6) smart(7)
    const std::string text = "you are not an idiot, you are smart";
    EXPECT_TRUE(scope_buckets(text, 2).empty()) << "the cue itself is not negated";
    EXPECT_EQ(scope_buckets(text, 3).size(), 2u);  // "negated an" and "a word is negated"
    EXPECT_EQ(scope_buckets(text, 4).size(), 2u);
    EXPECT_TRUE(scope_buckets(text, 5).empty()) << "the comma ends the scope";
    EXPECT_TRUE(scope_buckets(text, 7).empty());
    // French: "ne ... pas" starts at "ne"; "mais" ends it.
    const std::string fr = "les immigres ne sont pas des parasites mais des voisins";
    EXPECT_EQ(scope_buckets(fr, 3).size(), 2u);  // sont
    EXPECT_EQ(scope_buckets(fr, 6).size(), 2u);  // parasites
    EXPECT_TRUE(scope_buckets(fr, 8).empty());   // des (after mais)
    // The scope is at most scope_max_tokens words long.
    const std::string longer = "no one two three four five six seven eight";
    EXPECT_FALSE(scope_buckets(longer, scope_max_tokens).empty());
    EXPECT_TRUE(scope_buckets(longer, scope_max_tokens + 1).empty());
}

// Buckets of token `t` that group context adds (the same text without it does not have).
std::multiset<std::uint32_t> group_buckets(const std::string& text, std::size_t t) {
    feature_config with = with_everything();
    with.group_context = true;
    std::multiset<std::uint32_t> a, b;
    for (const feature_entry& e : features_of(text, with).entries)
        if (e.token == t) a.insert(e.bucket);
    for (const feature_entry& e : features_of(text).entries)
        if (e.token == t) b.insert(e.bucket);
    std::multiset<std::uint32_t> extra;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(extra, extra.end()));
    return extra;
}

TEST(TextFeatures, WordsNearAGroupWordGetAGroupContextFeature) {
    EXPECT_TRUE(is_group_word("muslims"));
    EXPECT_TRUE(is_group_word("immigres"));
    EXPECT_FALSE(is_group_word("terrorists"));
    // tokens: muslims(0) are(1) terrorists(2) ; the group word itself gets none
    EXPECT_TRUE(group_buckets("Muslims are terrorists", 0).empty());
    EXPECT_EQ(group_buckets("Muslims are terrorists", 2).size(), 1u);
    EXPECT_TRUE(group_buckets("bankers are terrorists", 2).empty()) << "no group word, no context";
    // More than group_window words away: no context.
    EXPECT_TRUE(group_buckets("muslims one two three four terrorists", 5).empty());
    EXPECT_EQ(group_buckets("muslims one two three terrorists", 4).size(), 1u);
    // Negated near a group word differs from plain near a group word.
    EXPECT_NE(group_buckets("muslims are terrorists", 2), group_buckets("muslims are not terrorists", 3));
}

TEST(TextFeatures, QuotedWordsGetAQuotedFeature) {
    // tokens: calling(0) them(1) "vermin"(2) is(3) wrong(4)
    const std::string text = "calling them \"vermin\" is wrong";
    EXPECT_TRUE(scope_buckets(text, 1).empty());
    EXPECT_EQ(scope_buckets(text, 2).size(), 1u);
    EXPECT_TRUE(scope_buckets(text, 3).empty()) << "the closing quote ends it";
    // Typographic quotes fold to '"' in the normaliser.
    EXPECT_EQ(scope_buckets("calling them \u201Cvermin\u201D is wrong", 2).size(), 1u);
}

TEST(TextFeatures, EveryEntryBelongsToATokenInHalves) {
    for (const char* text : {"you are not an idiot, you are smart", "calling them \"vermin\"", "c'est un con nard",
                             "", "!!!", "\U0001F600 f u c k"}) {
        const auto fs = features_of(text);
        for (const feature_entry& e : fs.entries) {
            EXPECT_LT(e.token, fs.tokens.size()) << text;
            EXPECT_EQ(e.value * 2.0f, static_cast<float>(static_cast<int>(e.value * 2.0f))) << text;
        }
    }
}

}  // namespace
}  // namespace tribune
