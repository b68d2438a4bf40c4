// near_duplicate_eval: how near_duplicate_detector groups a list of distinct questions.
//
//   near_duplicate_eval FILE [--trec] [--pairs]
//
// FILE has one question per line (with --trec: TREC's "LABEL:sub question" lines in
// Latin-1, the label dropped). Exact repeats are dropped first, so every pair reported was
// written differently. Prints the cost of a fingerprint, how many pairs the detector calls the
// same, how many questions are in such a pair, and whether the MinHash band keys would have
// found each of those pairs as candidates (the store only compares candidates). --pairs
// prints every pair judged the same, for reading.

#include <chrono>
#include <cstddef>
#include <fstream>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "core/triage/near_duplicate_detector.hpp"

namespace {

std::string latin1_to_utf8(const std::string& s) {
    std::string out;
    for (unsigned char c : s) {
        if (c < 0x80) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    using tribune::near_duplicate_detector;
    if (argc < 2) {
        std::cerr << "usage: near_duplicate_eval FILE [--trec] [--pairs]\n";
        return 2;
    }
    bool trec = false;
    bool print_pairs = false;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        trec = trec || a == "--trec";
        print_pairs = print_pairs || a == "--pairs";
    }
    std::ifstream in(argv[1]);
    if (!in) {
        std::cerr << "cannot read " << argv[1] << "\n";
        return 1;
    }
    std::vector<std::string> qs;
    std::set<std::string> seen;
    std::string line;
    while (std::getline(in, line)) {
        if (trec) {
            const auto sp = line.find(' ');
            if (sp == std::string::npos) continue;
            line = latin1_to_utf8(line.substr(sp + 1));
        }
        if (!line.empty() && seen.insert(line).second) qs.push_back(line);
    }

    const near_duplicate_detector d;
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<near_duplicate_detector::fingerprint> fps;
    fps.reserve(qs.size());
    for (const std::string& q : qs) fps.push_back(d.fingerprint_of(q));
    const auto t1 = std::chrono::steady_clock::now();

    std::size_t same = 0;
    std::size_t found_by_bands = 0;
    std::size_t candidates = 0;
    std::vector<char> paired(qs.size(), 0);
    for (std::size_t i = 0; i < qs.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            bool shares_key = false;
            for (std::size_t k = 0; k < near_duplicate_detector::band_count && !shares_key; ++k)
                shares_key = fps[i].bands[k] == fps[j].bands[k];
            candidates += shares_key ? 1 : 0;
            if (!d.same_question(fps[i], fps[j])) continue;
            ++same;
            found_by_bands += shares_key ? 1 : 0;
            paired[i] = paired[j] = 1;
            if (print_pairs) std::cout << qs[j] << "  ||  " << qs[i] << "\n";
        }
    }
    std::size_t in_pairs = 0;
    for (char p : paired) in_pairs += static_cast<std::size_t>(p);
    const double us = std::chrono::duration<double, std::micro>(t1 - t0).count() / static_cast<double>(qs.size());
    std::cerr << qs.size() << " distinct questions; fingerprint " << us << " us each (wall)\n"
              << "pairs judged the same: " << same << "; questions in such a pair: " << in_pairs << " ("
              << 100.0 * static_cast<double>(in_pairs) / static_cast<double>(qs.size()) << "%)\n"
              << "pairs sharing a band key (candidates): " << candidates << "; same pairs among them: "
              << found_by_bands << " of " << same << "\n";
    return 0;
}
