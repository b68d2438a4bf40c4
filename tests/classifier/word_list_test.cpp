// Tests for core/word_list: whole-word and phrase matching after normalisation, offsets
// in the original text, validation, and hot replacement of a shared list.

#include "core/text/word_list.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace tribune {
namespace {

word_list make(std::vector<std::string> banned, std::vector<std::string> suspect = {}) {
    auto r = word_list::build(std::move(banned), std::move(suspect));
    EXPECT_TRUE(r.is_ok()) << (r.is_ok() ? "" : r.error().message());
    return r.is_ok() ? std::move(r).value() : word_list{};
}

std::vector<word_match> matches(const word_list& l, std::string_view text) {
    auto r = l.match(text);
    EXPECT_TRUE(r.is_ok());
    return r.is_ok() ? std::move(r).value() : std::vector<word_match>{};
}

// The original substring [start, end) in code points.
std::string cut(std::string_view text, const word_match& m) {
    const std::u32string cps = decode_utf8(text);
    std::string out;
    std::size_t cp_index = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t len = 1;
        const auto b = static_cast<unsigned char>(text[i]);
        if (b >= 0xF0) len = 4;
        else if (b >= 0xE0) len = 3;
        else if (b >= 0xC0) len = 2;
        if (cp_index >= m.start && cp_index < m.end) out.append(text.substr(i, len));
        i += len;
        ++cp_index;
    }
    EXPECT_LE(m.end, cps.size());
    return out;
}

// "rule@original-substring" for each match, in order.
std::vector<std::string> found(const word_list& l, std::string_view text) {
    std::vector<std::string> out;
    for (const word_match& m : matches(l, text)) out.push_back(m.rule() + "@" + cut(text, m));
    return out;
}

using strings = std::vector<std::string>;

TEST(WordList, MatchesWholeWordsOnly) {
    const word_list l = make({"ass"});
    EXPECT_EQ(found(l, "what an ass."), (strings{"banned:ass@ass"}));
    EXPECT_TRUE(found(l, "a class on assumptions, passing the bass").empty());
    EXPECT_EQ(found(l, "ASS! ass, (ass)"),
              (strings{"banned:ass@ASS", "banned:ass@ass", "banned:ass@ass"}));
}

TEST(WordList, MatchesPhrasesAcrossSpaces) {
    const word_list l = make({"son of a bitch"}, {"go back to"});
    EXPECT_EQ(found(l, "You  son\tof a   bitch!"), (strings{"banned:son of a bitch@son\tof a   bitch"}));
    EXPECT_EQ(found(l, "they should go back to where"), (strings{"suspect:go back to@go back to"}));
    EXPECT_TRUE(found(l, "son of a bitchy day").empty());
    EXPECT_TRUE(found(l, "son, of a bitch").empty());  // punctuation breaks a phrase
    EXPECT_TRUE(found(l, "go back").empty());
}

TEST(WordList, MatchesObfuscatedFormsWithOriginalOffsets) {
    const word_list l = make({"fuck", "shit", "idiot"}, {"clown"});
    EXPECT_EQ(found(l, "oh f u c k"), (strings{"banned:fuck@f u c k"}));
    EXPECT_EQ(found(l, "F.U.C.K this"), (strings{"banned:fuck@F.U.C.K"}));
    EXPECT_EQ(found(l, "fuuuuuck!"), (strings{"banned:fuck@fuuuuuck"}));
    EXPECT_EQ(found(l, "what a sh1t show"), (strings{"banned:shit@sh1t"}));
    EXPECT_EQ(found(l, "f\u200Bu\u200Bc\u200Bk"), (strings{"banned:fuck@f\u200Bu\u200Bc\u200Bk"}));
    EXPECT_EQ(found(l, "fu\xD1\x81k off"), (strings{"banned:fuck@fu\xD1\x81k"}));  // Cyrillic с
    EXPECT_EQ(found(l, "ＦＵＣＫ"), (strings{"banned:fuck@ＦＵＣＫ"}));
    EXPECT_EQ(found(l, "Ça, c'est un 1D10T"), (strings{"banned:idiot@1D10T"}));
    EXPECT_EQ(found(l, "Clôwn"), (strings{"suspect:clown@Clôwn"}));
    // Offsets count code points: "é" and "𝐟" are one each.
    const std::string text = "Élu 𝐟𝐮𝐜𝐤";
    const auto m = matches(l, text);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].start, 4u);
    EXPECT_EQ(m[0].end, 8u);
    EXPECT_EQ(m[0].kind, term_kind::banned);
    EXPECT_EQ(m[0].term, "fuck");
}

TEST(WordList, MasksStandForOneLetter) {
    const word_list l = make({"fuck", "shit"});
    EXPECT_EQ(found(l, "f*ck this"), (strings{"banned:fuck@f*ck"}));
    EXPECT_EQ(found(l, "F**K"), (strings{"banned:fuck@F**K"}));
    EXPECT_EQ(found(l, "sh#t"), (strings{"banned:shit@sh#t"}));
    EXPECT_TRUE(found(l, "f***").empty());   // a trailing mask is not a letter
    EXPECT_TRUE(found(l, "***k").empty());
    EXPECT_TRUE(found(l, "f*c*").empty());
    EXPECT_TRUE(found(l, "s***").empty());
}

TEST(WordList, DigitsLeftInWordsMayStandForLetters) {
    const word_list l = make({"enculé", "fils de pute", "kill"}, {"mpe"});
    EXPECT_EQ(found(l, "encul3 !"), (strings{"banned:enculé@encul3"}));
    EXPECT_EQ(found(l, "F1LS DE PUT3"), (strings{"banned:fils de pute@F1LS DE PUT3"}));
    EXPECT_EQ(found(l, "I will ki11 you"), (strings{"banned:kill@ki11"}));
    EXPECT_EQ(found(l, "an mp3 file"), (strings{"suspect:mpe@mp3"}));  // the price of it
    EXPECT_EQ(found(l, "3ncul3 1337 31337"), (strings{"banned:enculé@3ncul3"}));
    EXPECT_TRUE(found(make({"eat"}), "347").empty());  // a number is not a word with letters
    // At most half of the term may be wildcards and digits read as letters.
    EXPECT_TRUE(found(make({"abceill"}), "abc3111").empty());  // 4 of 7
    EXPECT_EQ(found(make({"abcdeil"}), "abcdei1"), (strings{"banned:abcdeil@abcdei1"}));
}

TEST(WordList, PlainDoublesDoNotStandForOneLetter) {
    const word_list l = make({"cul"});
    EXPECT_TRUE(found(l, "cull the herd").empty());
    EXPECT_EQ(found(l, "cuuuul"), (strings{"banned:cul@cuuuul"}));
    EXPECT_EQ(found(l, "mon cul"), (strings{"banned:cul@cul"}));
}

TEST(WordList, TermsAreNormalisedToo) {
    const word_list l = make({"  Connard ", "ENCULÉ", "sh1t", "f u c k"});
    EXPECT_EQ(found(l, "connard"), (strings{"banned:Connard@connard"}));
    EXPECT_EQ(found(l, "espèce d'enculé"), (strings{"banned:ENCULÉ@enculé"}));
    EXPECT_EQ(found(l, "shit"), (strings{"banned:sh1t@shit"}));
    EXPECT_EQ(found(l, "fuck"), (strings{"banned:f u c k@fuck"}));
    EXPECT_EQ(l.banned_terms(), (strings{"Connard", "ENCULÉ", "sh1t", "f u c k"}));
}

TEST(WordList, ReportsEveryMatchingTermAsASpan) {
    const word_list l = make({"son of a bitch", "bitch"}, {"bitch", "son"});
    const std::string text = "you son of a bitch";
    const auto m = matches(l, text);
    // "bitch" is banned and suspect: banned wins. "son" is a whole word too.
    EXPECT_EQ(found(l, text), (strings{"suspect:son@son", "banned:son of a bitch@son of a bitch",
                                       "banned:bitch@bitch"}));
    ASSERT_EQ(m.size(), 3u);
    const span s = m[1].to_span();
    EXPECT_EQ(s.start, 4u);
    EXPECT_EQ(s.end, 18u);
    EXPECT_EQ(s.attr, attribute::toxicity);
    EXPECT_FLOAT_EQ(s.weight, 1.0f);
    EXPECT_EQ(s.rule, "banned:son of a bitch");
    EXPECT_EQ(l.suspect_terms(), (strings{"son"}));
}

TEST(WordList, EmptyListMatchesNothing) {
    const word_list empty;
    EXPECT_TRUE(empty.empty());
    EXPECT_TRUE(found(empty, "anything at all").empty());
    const word_list built = make({}, {});
    EXPECT_TRUE(found(built, "anything at all").empty());
    EXPECT_TRUE(found(make({"x y z"}), "").empty());
}

TEST(WordList, RejectsInvalidTerms) {
    auto code = [](std::vector<std::string> b, std::vector<std::string> s = {}) {
        auto r = word_list::build(std::move(b), std::move(s));
        EXPECT_FALSE(r.is_ok());
        if (r.is_ok()) return std::string("ok");
        EXPECT_EQ(r.error().kind(), error_kind::invalid_argument);
        return r.error().code();
    };
    EXPECT_EQ(code({""}), "empty_term");
    EXPECT_EQ(code({"ok", "   "}), "empty_term");
    EXPECT_EQ(code({}, {"\u200B\u200B"}), "empty_term");
    EXPECT_EQ(code({"!!!"}), "empty_term");
    EXPECT_EQ(code({std::string(101, 'a')}), "term_too_long");
    EXPECT_EQ(code({"\xC0\xAF"}), "invalid_utf8");
    EXPECT_EQ(code(std::vector<std::string>(10'001, "x")), "too_many_terms");
    EXPECT_EQ(code(std::vector<std::string>(6'000, "x"), std::vector<std::string>(4'001, "y")),
              "too_many_terms");
    // The limits themselves are fine: 100 characters (é is one), 10,000 terms.
    std::string hundred;
    for (int i = 0; i < 100; ++i) hundred += "é";
    EXPECT_TRUE(word_list::build({hundred}, {}).is_ok());
    std::vector<std::string> many;
    for (int i = 0; i < 10'000; ++i) many.push_back("term" + std::to_string(i) + "x");
    auto big = word_list::build(many, {});
    ASSERT_TRUE(big.is_ok());
    EXPECT_EQ(found(*big, "a term9999x here"), (strings{"banned:term9999x@term9999x"}));
}

TEST(WordList, InvalidTextIsAnError) {
    const word_list l = make({"x"});
    auto r = l.match(std::string_view("\xED\xA0\x80"));
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.error().code(), "invalid_utf8");
}

TEST(WordList, MatchesOnceNormalisedText) {
    const word_list l = make({"idiot"});
    auto n = normalize("Quel 1d10t !");
    ASSERT_TRUE(n.is_ok());
    const auto m = l.match(*n);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].start, 5u);
    EXPECT_EQ(m[0].end, 10u);
}

TEST(WordList, HotSwapOfASharedList) {
    std::atomic<std::shared_ptr<const word_list>> current{
        std::make_shared<const word_list>(make({"alpha"}))};
    std::atomic<bool> stop{false};
    std::atomic<int> bad{0};
    std::atomic<long> reads{0};
    auto reader = [&] {
        while (!stop.load()) {
            const std::shared_ptr<const word_list> l = current.load();
            auto r = l->match(std::string_view("alpha beta"));
            // Either the old list (alpha) or the new one (beta), never a mix or a crash.
            if (!r.is_ok() || r->size() != 1 || (r->at(0).term != "alpha" && r->at(0).term != "beta"))
                bad.fetch_add(1);
            reads.fetch_add(1);
        }
    };
    std::thread t1(reader), t2(reader);
    while (reads.load() < 100) std::this_thread::yield();
    auto next = word_list::build({"beta"}, {});
    ASSERT_TRUE(next.is_ok());
    current.store(std::make_shared<const word_list>(std::move(next).value()));
    const long after = reads.load();
    while (reads.load() < after + 100) std::this_thread::yield();
    stop.store(true);
    t1.join();
    t2.join();
    EXPECT_EQ(bad.load(), 0);
    auto r = current.load()->match(std::string_view("alpha beta"));
    ASSERT_TRUE(r.is_ok());
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ(r->at(0).term, "beta");
    EXPECT_EQ(r->at(0).start, 6u);
}

}  // namespace
}  // namespace tribune
