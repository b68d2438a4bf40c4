// The convolutional part of the model (core/classify/conv_network.hpp): it sees word order
// inside its window, its output goes into the logits and survives a save and load, and a
// damaged section is refused.

#include "core/classify/conv_network.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/classify/linear_classifier.hpp"
#include "core/classify/linear_model.hpp"
#include "core/classify/model_file.hpp"
#include "core/classify/text_features.hpp"

namespace tribune {
namespace conv_test {

constexpr auto insult = static_cast<std::size_t>(attribute::insult);

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("tribune_conv_test_" + std::to_string(::getpid()) + "_" + name))
        .string();
}

std::set<std::uint32_t> buckets_of(const feature_extractor& fx, const std::string& word, std::uint32_t mask) {
    text_feature_set fs;
    fx.extract(word, fs);
    std::set<std::uint32_t> out;
    for (const feature_entry& e : fs.entries) out.insert(e.bucket & mask);
    return out;
}

// One filter of width 3 that fires when "alpha" is directly followed by "omega": every row
// of alpha's features is (1, 0), of omega's (0, 1); the filter's window weights are
// (1, 0) on the token before the centre and (0, 1) on the centre, bias -1.5, so only the
// pair in that order (about 1 + 1) gets above zero. The insult row reads it with weight 2.
linear_model ordered_pair_model() {
    feature_config cfg;
    cfg.buckets = 1u << 12;
    feature_extractor fx(cfg);
    std::vector<float> w(std::size_t{cfg.buckets} * model_columns, 0.0f);
    head_logits bias{};
    bias.fill(-2.0f);
    linear_model m = linear_model::quantize(cfg, w, bias);
    for (attribute a : all_attributes) m.set_thresholds(a, head_thresholds{0.5f, 0.5f, 0.9f});

    conv_network::shape s;
    s.buckets = 1u << 12;
    s.dim = 2;
    s.filters = 1;
    s.width = 3;
    s.max_tokens = 64;
    const auto alpha = buckets_of(fx, "alpha", s.buckets - 1), omega = buckets_of(fx, "omega", s.buckets - 1);
    for (std::uint32_t b : alpha) EXPECT_EQ(omega.count(b), 0u) << "the two words share a bucket: pick others";
    std::vector<float> emb(std::size_t{s.buckets} * s.dim, 0.0f);
    for (std::uint32_t b : alpha) emb[b * 2] = 1.0f;
    for (std::uint32_t b : omega) emb[b * 2 + 1] = 1.0f;
    std::vector<float> filter = {1.0f, 0.0f, /* centre */ 0.0f, 1.0f, /* after */ 0.0f, 0.0f};
    std::vector<float> u(attribute_count, 0.0f);
    u[insult] = 2.0f;
    m.set_conv(conv_network::quantize(s, emb, filter, {-1.5f}, u, conv_network::logits{}));
    return m;
}

float insult_logit(const linear_model& m, const std::string& text) {
    feature_extractor fx(m.config());
    text_feature_set fs;
    fx.extract(text, fs);
    head_logits z{};
    m.score(fs, z, nullptr);
    return z[insult];
}

TEST(ConvNetwork, SeesWordOrderInsideItsWindow) {
    const linear_model m = ordered_pair_model();
    ASSERT_FALSE(m.conv().empty());
    // Without the conv part every logit is the bias, -2.
    EXPECT_FLOAT_EQ(insult_logit(m, "omega alpha"), -2.0f);
    EXPECT_FLOAT_EQ(insult_logit(m, "alpha"), -2.0f);
    const float ordered = insult_logit(m, "alpha omega");
    EXPECT_GT(ordered, -2.0f + 0.5f);  // 2 * (about 1 + 1 - 1.5), less the bigram halves' zero rows
    EXPECT_LT(ordered, -2.0f + 1.01f);
    // The pair anywhere in a longer text (each word there has one more bigram half, with a
    // zero row), and only the pair's order matters.
    EXPECT_GT(insult_logit(m, "well well alpha omega indeed"), -2.0f + 0.5f);
    EXPECT_FLOAT_EQ(insult_logit(m, "omega then alpha"), -2.0f);
    // Other heads are untouched.
    feature_extractor fx(m.config());
    text_feature_set fs;
    fx.extract("alpha omega", fs);
    head_logits z{};
    m.score(fs, z, nullptr);
    EXPECT_FLOAT_EQ(z[static_cast<std::size_t>(attribute::toxicity)], -2.0f);
}

TEST(ConvNetwork, TokensPastMaxTokensAreNotSeen) {
    const linear_model m = ordered_pair_model();
    std::string text;
    for (int i = 0; i < 70; ++i) text += "filler ";
    EXPECT_FLOAT_EQ(insult_logit(m, text + "alpha omega"), -2.0f);  // past the 64th token
}

TEST(ConvNetwork, SaveAndLoadKeepTheScores) {
    const linear_model m = ordered_pair_model();
    const std::string path = temp_path("model");
    ASSERT_TRUE(m.save(path).is_ok());
    auto loaded = linear_model::load(path);
    ASSERT_TRUE(loaded.is_ok()) << loaded.error().message();
    EXPECT_EQ(loaded.value().conv().dims().filters, 1u);
    EXPECT_FLOAT_EQ(insult_logit(loaded.value(), "alpha omega"), insult_logit(m, "alpha omega"));
    std::filesystem::remove(path);
}

// Rewrites the file's checksum after a change, so the loader reaches the section parser.
void rewrite_with_checksum(std::string bytes, const std::string& path) {
    bytes.resize(bytes.size() - 8);
    const std::uint64_t sum = model_file::fnv64(bytes.data(), bytes.size());
    bytes.append(reinterpret_cast<const char*>(&sum), 8);
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(ConvNetwork, ADamagedSectionIsRefused) {
    const linear_model m = ordered_pair_model();
    const std::string path = temp_path("damaged");
    ASSERT_TRUE(m.save(path).is_ok());
    std::string bytes;
    {
        std::ifstream f(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    // The conv section is last: 5 u32, then floats (2 scale + 6 W + 1 b + 6 U + 6 c), then
    // 4096 x 2 int8 rows, then the checksum.
    const std::size_t section = bytes.size() - 8 - 4096 * 2 - 4 * (2 + 6 + 1 + 6 + 6) - 4 * 5;
    auto put_u32 = [&](std::string& b, std::size_t at, std::uint32_t v) { std::memcpy(&b[at], &v, 4); };
    {
        std::string b = bytes;
        put_u32(b, section, 3000);  // buckets not a power of two
        rewrite_with_checksum(b, path);
        auto r = linear_model::load(path);
        ASSERT_FALSE(r.is_ok());
        EXPECT_NE(r.error().message().find("convolutional"), std::string::npos) << r.error().message();
    }
    {
        std::string b = bytes;
        put_u32(b, section + 8, 100000);  // more filters than the file holds
        rewrite_with_checksum(b, path);
        EXPECT_FALSE(linear_model::load(path).is_ok());
    }
    {
        std::string b = bytes;
        const float nan = std::numeric_limits<float>::quiet_NaN();
        std::memcpy(&b[section + 20 + 4 * 2], &nan, 4);  // the first filter weight
        rewrite_with_checksum(b, path);
        EXPECT_FALSE(linear_model::load(path).is_ok());
    }
    {
        std::string b = bytes;
        b.erase(b.size() - 8 - 100, 100);  // rows cut short
        rewrite_with_checksum(b, path);
        EXPECT_FALSE(linear_model::load(path).is_ok());
    }
    std::filesystem::remove(path);
}

}  // namespace conv_test
}  // namespace tribune
