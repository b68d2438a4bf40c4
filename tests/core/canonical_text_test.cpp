// canonical_text and prepare_text: the noise a social bridge adds is removed for the classifier
// and grouping, and every offset still points into the text as sent.

#include "core/text/canonical_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/text/prepared_text.hpp"
#include "core/text/utf8.hpp"

namespace tribune {
namespace {

std::string canon(const std::string& text, const canonical_options& o = {},
                  std::string_view slug = "askjpm") {
    return make_canonical(text, o, slug).text;
}

// Every kept code point maps to the same code point of the original, in increasing order.
void expect_maps_into(const std::string& original, const canonical_text& c) {
    const std::u32string o = decode_utf8(original);
    const std::u32string k = decode_utf8(c.text);
    ASSERT_EQ(k.size(), c.origin.size()) << original;
    for (std::size_t i = 0; i < k.size(); ++i) {
        ASSERT_LT(c.origin[i], o.size()) << original;
        if (i > 0) {
            EXPECT_LT(c.origin[i - 1], c.origin[i]) << original;
        }
        // A space may stand for any whitespace of the original.
        if (k[i] == U' ') {
            EXPECT_TRUE(o[c.origin[i]] == U' ' || o[c.origin[i]] == U'\t') << original;
        } else {
            EXPECT_EQ(k[i], o[c.origin[i]]) << original << " at " << i;
        }
    }
}

TEST(CanonicalText, EachKindOfNoiseIsRemoved) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        // retweet prefixes, repeated
        {"RT @bob: Will you raise rates in 2027?", "Will you raise rates in 2027?"},
        {"RT @bob: RT @ana_fin42: Will you raise rates in 2027?", "Will you raise rates in 2027?"},
        {"rt  @bob Will you raise rates in 2027?", "Will you raise rates in 2027?"},
        // leading and trailing mentions
        {"@jpmorgan @Chase Will you raise rates in 2027?", "Will you raise rates in 2027?"},
        {"Will you raise rates in 2027? @bob @kim_ops11", "Will you raise rates in 2027?"},
        // links anywhere
        {"Will you raise https://t.co/zLQbQDmnY0 rates in 2027?", "Will you raise rates in 2027?"},
        {"Will you raise rates in 2027? https://t.co/abc www.example.com", "Will you raise rates in 2027?"},
        // the event's tag anywhere (the slug counts), other trailing tags
        {"#AskJPM Will you raise rates in 2027?", "Will you raise rates in 2027?"},
        {"Will you raise rates #AskJPM in 2027?", "Will you raise rates in 2027?"},
        {"Will you raise rates in 2027? #AskJPM #banks #fail", "Will you raise rates in 2027?"},
        {"Will you raise rates in 2027 #AskJPM?", "Will you raise rates in 2027?"},
        // repeated punctuation and spacing
        {"Will you raise rates in 2027 ?!!", "Will you raise rates in 2027?"},
        {"Will you raise rates in 2027!!", "Will you raise rates in 2027!"},
        {"Will  you raise   rates in 2027??", "Will you raise rates in 2027?"},
        {"So old... yawn", "So old. yawn"},
        // all of it at once
        {"RT  @hugo_pdx:  #AskJPM @FT Will you raise rates in 2027 ?!! #banks @bob https://t.co/x",
         "Will you raise rates in 2027?"},
    };
    for (const auto& [in, want] : cases) {
        auto c = make_canonical(in, {}, "askjpm");
        EXPECT_EQ(c.text, want) << in;
        EXPECT_TRUE(c.changed) << in;
        expect_maps_into(in, c);
    }
}

TEST(CanonicalText, WhatIsTheQuestionStays) {
    // Mentions and other tags inside the sentence, leading topic tags, l33t marks between
    // letters, emoji: all content.
    for (const std::string t :
         {"Why did @jamie_dimon say that?", "#Brexit: what is the plan?", "you are sh!!t",
          "What about #fees for students?", "Glad you are safe 😕", "Will you raise rates in 2027?"})
        EXPECT_EQ(canon(t), t) << t;
}

TEST(CanonicalText, NothingLeftFallsBackToTheText) {
    for (const std::string t : {"@bob #AskJPM", "RT @bob: https://t.co/x", "!!! @bob", "😂😂 @bob"}) {
        auto c = make_canonical(t, {}, "askjpm");
        EXPECT_EQ(c.text, t) << t;
        EXPECT_FALSE(c.changed) << t;
        expect_maps_into(t, c);
    }
}

TEST(CanonicalText, SwitchesTurnEachRuleOff) {
    canonical_options keep_mentions;
    keep_mentions.drop_mentions = false;
    EXPECT_EQ(canon("RT @bob: Fees? @kim", keep_mentions), "RT @bob: Fees? @kim");
    canonical_options keep_tags;
    keep_tags.drop_trailing_tags = false;
    EXPECT_EQ(canon("Fees? #banks #AskJPM", keep_tags), "Fees? #banks");  // the event's tag still goes
    canonical_options keep_links;
    keep_links.drop_links = false;
    EXPECT_EQ(canon("Fees https://t.co/x now?", keep_links), "Fees https://t.co/x now?");
    canonical_options tags;
    tags.event_tags = {"#JPMfees", "townhall"};
    EXPECT_EQ(canon("#jpmfees Fees #TownHall now?", tags, ""), "Fees now?");
    EXPECT_EQ(canon("RT @bob: Fees?!! #AskJPM", canonical_options::off()), "RT @bob: Fees?!! #AskJPM");
    // A slug with a dash names the tag without it.
    EXPECT_EQ(canon("#AskJPM Fees?", {}, "ask-jpm"), "Fees?");
}

TEST(CanonicalText, OtherWhitespaceAndUnicode) {
    const std::string t = "RT\t@bob:\tPourquoi les frais augmentent-ils ?!\u00a0#AskJPM \U0001F621";
    auto c = make_canonical(t, {}, "askjpm");
    EXPECT_EQ(c.text, "Pourquoi les frais augmentent-ils? \U0001F621");
    expect_maps_into(t, c);
}

// The composed map: spans found on the canonical normal form point at the right characters of
// the original, for the classifier's explanations and the grouping text alike.
TEST(PreparedTextCanonical, NormalFormMapsIntoTheOriginal) {
    const std::string t = "RT @bob: #AskJPM Will  YOU r4ise ratessss in 2027 ?!! https://t.co/x #banks";
    auto p = prepare_text(t, {}, "askjpm");
    ASSERT_TRUE(p.is_ok());
    EXPECT_TRUE(p->canonical_changed);
    EXPECT_EQ(p->normal.text, "will you raise ratess in 2027?");
    EXPECT_EQ(p->full.text, normalize(t)->text);  // the word lists and search read all of it
    const std::u32string o = decode_utf8(t);
    const std::u32string n = decode_utf8(p->normal.text);
    ASSERT_EQ(n.size(), p->normal.size());
    EXPECT_EQ(p->normal.original_length, o.size());
    auto original_of = [&](std::size_t a, std::size_t b) {
        auto [s, e] = p->normal.to_original(a, b);
        return std::u32string(o.substr(s, e - s));
    };
    // Each word of the normal form maps to that word as sent.
    EXPECT_EQ(original_of(0, 4), U"Will");
    EXPECT_EQ(original_of(5, 8), U"YOU");
    EXPECT_EQ(original_of(9, 14), U"r4ise");
    EXPECT_EQ(original_of(15, 21), U"ratessss");  // the cut elongation covers the whole run
    EXPECT_EQ(original_of(25, 29), U"2027");
    EXPECT_EQ(original_of(29, 30), U"?");  // the collapsed "?!!" keeps its question mark
    for (std::size_t i = 0; i < n.size(); ++i) {
        EXPECT_LT(p->normal.start[i], p->normal.end[i]);
        EXPECT_LE(p->normal.end[i], o.size());
    }
}

TEST(PreparedTextCanonical, OffIsTheWholeText) {
    const std::string t = "RT @bob: Fees?!! #AskJPM";
    auto p = prepare_text(t);
    ASSERT_TRUE(p.is_ok());
    EXPECT_FALSE(p->canonical_changed);
    EXPECT_EQ(p->normal.text, p->full.text);
    EXPECT_EQ(p->normal.start, p->full.start);
}

}  // namespace
}  // namespace tribune
