// Tests that need ../shared/data (labelled "data" in ctest; each skips with a message
// when the data is absent, as in a user's fresh clone). They run the real preparation
// script and check its output, then gate the committed model on the validation split.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <unistd.h>
#include <vector>

#include "core/classify/linear_classifier.hpp"
#include "tools/train/dataset_tsv.hpp"

namespace tribune {
namespace {

std::string data_dir() {
    const char* env = std::getenv("TRIBUNE_DATA_DIR");
    return env ? env : TRIBUNE_DEFAULT_DATA_DIR;
}

using train::dataset_row;
using train::parse_offsets;

std::size_t code_points(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

class TrainingData : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!std::filesystem::exists(data_dir() + "/SOURCES.md")) return;
        const std::string out = (std::filesystem::temp_directory_path() /
                                 ("tribune_dataset_" + std::to_string(::getpid()) + ".tsv"))
                                    .string();
        const std::string cmd = "python3 '" TRIBUNE_SOURCE_DIR "/tools/train/prepare_data.py' '" +
                                data_dir() + "' '" + out + "' 2>/dev/null";
        status_ = std::system(cmd.c_str());
        std::ifstream in(out);
        rows_ = train::read_dataset_rows(in, malformed_);
        std::filesystem::remove(out);
    }
    void SetUp() override {
        if (!std::filesystem::exists(data_dir() + "/SOURCES.md"))
            GTEST_SKIP() << "training data not found at " << data_dir()
                         << " (set TRIBUNE_DATA_DIR); skipping data tests";
        ASSERT_EQ(status_, 0) << "prepare_data.py failed";
    }
    static int status_;
    static std::size_t malformed_;
    static std::vector<dataset_row> rows_;
};
int TrainingData::status_ = -1;
std::size_t TrainingData::malformed_ = 0;
std::vector<dataset_row> TrainingData::rows_;

TEST_F(TrainingData, PreparationIsDeduplicatedSplitAndWellFormed) {
    EXPECT_EQ(malformed_, 0u);
    ASSERT_GT(rows_.size(), 100000u);
    std::set<std::string> keys;
    std::size_t valid = 0, fr = 0;
    for (const dataset_row& r : rows_) {
        EXPECT_TRUE(keys.insert(r.key).second) << "duplicate " << r.text;
        ASSERT_EQ(r.labels.size(), 6u);
        EXPECT_EQ(r.labels.find_first_not_of("01-"), std::string::npos);
        // A text known not toxic has no toxic attribute.
        if (r.labels[0] == '0') {
            EXPECT_EQ(r.labels.find('1'), std::string::npos) << r.sources << ": " << r.text;
        }
        valid += r.split == "valid";
        fr += r.lang == "fr";
    }
    const double share = static_cast<double>(valid) / static_cast<double>(rows_.size());
    EXPECT_GT(share, 0.13);
    EXPECT_LT(share, 0.17);
    EXPECT_GT(fr, 8000u);
}

TEST_F(TrainingData, ReadingQuirksAreHonoured) {
    std::size_t trec = 0, spans = 0, ftr = 0;
    for (const dataset_row& r : rows_) {
        if (r.sources == "trec_questions") {
            ++trec;
            EXPECT_EQ(r.labels, "000000");
            EXPECT_EQ(r.text.find("DESC:"), std::string::npos) << r.text;
        }
        if (r.sources.find("olid2019") != std::string::npos || r.sources.find("davidson2017") != std::string::npos) {
            EXPECT_EQ(r.text.find("@USER"), std::string::npos) << r.text;
            EXPECT_EQ(r.text.find("&amp;"), std::string::npos) << r.text;
        }
        if (r.sources == "ftr_fr") {
            ++ftr;
            EXPECT_EQ(r.text.find('\r'), std::string::npos);
        }
        if (!r.spans.empty()) {
            ++spans;
            EXPECT_NE(r.labels[0], '0');  // toxic, or masked when another set disagreed
            for (std::size_t off : parse_offsets(r.spans)) ASSERT_LT(off, code_points(r.text)) << r.text;
        }
    }
    EXPECT_GT(trec, 5000u);
    EXPECT_GT(spans, 8000u);
    EXPECT_GT(ftr, 2500u);
}

// The committed model on the fixed validation split: a regression gate well below the
// figures in models/MODEL_CARD.md (report half: toxicity AUC 0.954, identity_attack 0.868, span F1 0.640).
TEST_F(TrainingData, CommittedModelHoldsItsValidationQuality) {
    auto clf = linear_classifier::load(TRIBUNE_MODEL_PATH);
    ASSERT_TRUE(clf.is_ok()) << clf.error().message();
    std::vector<std::pair<float, int>> tox, ident;
    double span_sum = 0;
    std::size_t span_n = 0;
    for (const dataset_row& r : rows_) {
        if (r.split != "valid") continue;
        auto c = clf.value()->classify(r.text);
        ASSERT_TRUE(c.is_ok());
        if (r.labels[0] != '-') tox.emplace_back(c->values[attribute::toxicity], r.labels[0] - '0');
        if (r.labels[5] != '-') ident.emplace_back(c->values[attribute::identity_attack], r.labels[5] - '0');
        if (!r.spans.empty()) {
            std::set<std::size_t> gold, pred;
            for (std::size_t o : parse_offsets(r.spans)) gold.insert(o);
            for (const span& s : c->spans)
                if (s.attr == attribute::toxicity)
                    for (std::size_t o = s.start; o < s.end; ++o) pred.insert(o);
            double f1 = 0;
            if (gold.empty() && pred.empty()) {
                f1 = 1;
            } else if (!gold.empty() && !pred.empty()) {
                std::size_t inter = 0;
                for (std::size_t o : pred) inter += gold.count(o);
                f1 = 2.0 * static_cast<double>(inter) / static_cast<double>(gold.size() + pred.size());
            }
            span_sum += f1;
            ++span_n;
        }
    }
    auto auc = [](std::vector<std::pair<float, int>> v) {
        std::sort(v.begin(), v.end());
        double pos = 0, neg = 0, rank = 0;
        for (std::size_t i = 0; i < v.size();) {
            std::size_t j = i;
            while (j < v.size() && v[j].first == v[i].first) ++j;
            for (std::size_t k = i; k < j; ++k)
                if (v[k].second) {
                    rank += (static_cast<double>(i + j) + 1) / 2;
                    ++pos;
                } else {
                    ++neg;
                }
            i = j;
        }
        return (rank - pos * (pos + 1) / 2) / (pos * neg);
    };
    EXPECT_GT(auc(tox), 0.93);
    EXPECT_GT(auc(ident), 0.84);
    ASSERT_GT(span_n, 500u);
    // Without the trainer's joining of spans across single spaces, so a little lower.
    EXPECT_GT(span_sum / static_cast<double>(span_n), 0.55);
}

}  // namespace
}  // namespace tribune
