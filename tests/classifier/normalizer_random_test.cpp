// Randomized test of core/text_normalizer and core/word_list: random mixes of the
// characters the normaliser treats specially, and random bytes, must keep the invariants
// in normalizer_invariants.hpp. Seeded, so a failure reproduces.

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <string_view>

#include "tests/classifier/normalizer_invariants.hpp"

namespace tribune {
namespace {

const word_list& test_list() {
    static const word_list list = [] {
        auto r = word_list::build({"fuck", "shit", "son of a bitch", "cul", "a", "idiot"},
                                  {"clown", "go back", "ss"});
        return r.is_ok() ? std::move(r).value() : word_list{};
    }();
    return list;
}

TEST(NormalizerRandom, PiecesOfObfuscatedText) {
    static constexpr std::array<std::string_view, 44> pieces = {
        "a", "b", "c", "f", "k", "s", "u", "I", "Z", "0", "1", "3", "4", "5", "7", "9", "@", "$",
        "!", "*", "#", "%", ".", "-", "_", " ", "  ", "\t", "\n", "é", "Ç", "œ", "ß", "\xCC\x81",
        "\u200B", "\uFEFF", "\u00AD", "\uFE0F", "а", "о", "Σ", "ｆ", "𝐟", "🙂"};
    std::mt19937 rng(20261128);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::uniform_int_distribution<int> length(0, 40);
    for (int round = 0; round < 10'000; ++round) {
        std::string s;
        const int len = length(rng);
        for (int i = 0; i < len; ++i) s += pieces[pick(rng)];
        const std::string broken = testing::check_normalizer_invariants(s, test_list());
        ASSERT_EQ(broken, "") << "input: [" << s << "]";
    }
}

TEST(NormalizerRandom, RandomBytes) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> length(0, 24);
    for (int round = 0; round < 30'000; ++round) {
        std::string s;
        const int len = length(rng);
        for (int i = 0; i < len; ++i) {
            // Bias towards UTF-8 lead and continuation bytes so some sequences are valid.
            const int b = byte(rng);
            s.push_back(static_cast<char>(b < 64 ? 0x80 | (b & 0x3F) : b < 96 ? 0xC0 | (b & 0x1F) : b < 112 ? 0xE0 | (b & 0x0F) : b < 120 ? 0xF0 | (b & 0x07) : b));
        }
        const std::string broken = testing::check_normalizer_invariants(s, test_list());
        ASSERT_EQ(broken, "") << "round " << round;
    }
}

}  // namespace
}  // namespace tribune
