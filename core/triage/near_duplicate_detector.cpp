#include "core/triage/near_duplicate_detector.hpp"

#include <algorithm>
#include <limits>

#include "core/text/text_normalizer.hpp"
#include "core/util/mix64.hpp"

namespace tribune {
namespace {

// Function words of English and French (after normalisation: no accents). Sorted.
constexpr std::string_view stop_words[] = {
    "about", "after", "again", "ai", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "au", "aux", "avec", "be", "been", "before", "being", "but", "by", "ca", "can", "car", "ce",
    "ces", "cette", "comme", "comment", "could", "dans", "de", "des", "did", "do", "does",
    "doing", "donc", "done", "du", "elle", "elles", "en", "es", "est", "et", "etait", "ete",
    "etre", "even", "ever", "for", "from", "go", "had", "has", "have", "he", "her", "here",
    "hers", "him", "his", "how", "if", "il", "ils", "in", "into", "is", "it", "its", "je",
    "just", "la", "le", "les", "leur", "leurs", "ll", "ma", "mais", "may", "me", "might", "mon",
    "more", "most", "must", "my", "ne", "ni", "no", "nos", "not", "notre", "nous", "of", "oh",
    "ok", "on", "only", "onto", "or", "ou", "our", "ours", "over", "par", "pas", "per", "peut",
    "pour", "pourquoi", "quand", "que", "quel", "quelle", "quelles", "quels", "qui", "quoi",
    "re", "sa", "se", "sera", "ses", "shall", "she", "should", "si", "so", "some", "still",
    "such", "sur", "ta", "te", "than", "that", "the", "their", "them", "then", "there", "these",
    "they", "this", "those", "to", "too", "tu", "un", "under", "une", "up", "us", "ve", "very",
    "via", "vos", "votre", "vous", "was", "we", "were", "what", "when", "where", "which", "who",
    "whom", "whose", "why", "will", "would", "yet", "you", "your", "yours",
};
static_assert(std::is_sorted(std::begin(stop_words), std::end(stop_words)));

bool is_stop_word(const std::u32string& w) {
    std::string ascii;
    ascii.reserve(w.size());
    for (char32_t c : w) {
        if (c >= 0x80) return false;
        ascii.push_back(static_cast<char>(c));
    }
    return std::binary_search(std::begin(stop_words), std::end(stop_words), std::string_view(ascii));
}


constexpr std::size_t hash_count =
    near_duplicate_detector::band_count * near_duplicate_detector::rows_per_band;

// One seed per MinHash function, fixed so that fingerprints are stable across runs and
// nodes (the index rebuilt at start must find the keys it found before).
constexpr std::array<std::uint64_t, hash_count> make_seeds() {
    std::array<std::uint64_t, hash_count> s{};
    std::uint64_t x = 0x7472696275'6e65ULL;  // "tribune"
    for (auto& v : s) v = mix64(x += 0x9e3779b97f4a7c15ULL);
    return s;
}
constexpr auto seeds = make_seeds();

// The MinHash minimums of `shingles`: for each function k, the least mix64(h ^ seeds[k]).
// It is most of the fingerprint's cost (48 mixes per 4-gram), and the 48 functions are
// independent lanes, so GCC builds it three times (AVX-512, AVX2, baseline x86-64) and picks
// the widest the CPU has at load time; every clone computes exactly the same minimums.
// Not under ThreadSanitizer: the clones are chosen by an ifunc resolver that runs before the
// sanitizer's runtime is initialised, and the instrumented resolver crashes the program.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
void minhash_minimums(const std::uint64_t* shingles, std::size_t n,
                      std::array<std::uint64_t, hash_count>& mins) {
    mins.fill(std::numeric_limits<std::uint64_t>::max());
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t h = shingles[i];
        for (std::size_t k = 0; k < hash_count; ++k) mins[k] = std::min(mins[k], mix64(h ^ seeds[k]));
    }
}

bool has_digit(const std::u32string& w) {
    return std::any_of(w.begin(), w.end(), [](char32_t c) { return c >= '0' && c <= '9'; });
}

// The same word give or take an ending of up to two letters, or one typo (substitution,
// insertion or deletion) in words of five letters or more. A word with a digit is a number,
// an amount, an account or a year: only the same word matches it ("12345" / "12346",
// "2026" / "2027" are different questions).
bool near_match(const std::u32string& a, const std::u32string& b) {
    if (a == b) return true;
    if (has_digit(a) || has_digit(b)) return false;
    const std::u32string& s = a.size() <= b.size() ? a : b;
    const std::u32string& l = a.size() <= b.size() ? b : a;
    const std::size_t diff = l.size() - s.size();
    if (diff <= 2 && s.size() >= 3 && l.compare(0, s.size(), s) == 0) return true;
    if (s.size() < 5 || diff > 1) return false;
    std::size_t i = 0;
    while (i < s.size() && s[i] == l[i]) ++i;
    if (diff == 0) return s.compare(i + 1, std::u32string::npos, l, i + 1) == 0;
    return l.compare(i + 1, std::u32string::npos, s, i) == 0;
}

}  // namespace

near_duplicate_detector::near_duplicate_detector(options o) : options_(o) {}

near_duplicate_detector::fingerprint near_duplicate_detector::fingerprint_of(
    std::string_view text) const {
    auto n = normalize(text);
    if (!n) return {};
    return fingerprint_of_normalized(n->text);
}

near_duplicate_detector::fingerprint near_duplicate_detector::fingerprint_of_normalized(
    std::string_view normal) const {
    fingerprint fp = comparable_of_normalized(normal);
    if (fp.empty()) return fp;
    std::array<std::uint64_t, hash_count> mins;
    minhash_minimums(fp.shingles.data(), fp.shingles.size(), mins);
    for (std::size_t b = 0; b < band_count; ++b) {
        std::uint64_t key = mix64(b + 1);
        for (std::size_t r = 0; r < rows_per_band; ++r) key = mix64(key ^ mins[b * rows_per_band + r]);
        fp.bands[b] = static_cast<std::int64_t>(key);
    }
    return fp;
}

near_duplicate_detector::fingerprint near_duplicate_detector::comparable_of_normalized(
    std::string_view normal) const {
    fingerprint fp;
    const std::u32string cps = decode_utf8(normal);

    // Words (runs of letters and digits) joined by single spaces, with a space at each end
    // so that the first and last words have 4-grams of their own.
    std::u32string joined = U" ";
    std::u32string word;
    auto end_word = [&] {
        if (word.empty()) return;
        joined += word;
        joined += U' ';
        if ((word.size() >= 2 && !is_stop_word(word)) || has_digit(word))
            fp.content_words.push_back(word);
        word.clear();
    };
    for (char32_t c : cps) {
        if (is_word_code_point(c)) word.push_back(c);
        else end_word();
    }
    end_word();
    if (joined.size() < 2) return fp;  // no word at all

    const std::size_t n_grams = joined.size() >= 4 ? joined.size() - 3 : 1;
    fp.shingles.reserve(n_grams);
    for (std::size_t i = 0; i < n_grams; ++i) {
        std::uint64_t h = 0x5851f42d4c957f2dULL;
        for (std::size_t k = i; k < std::min(i + 4, joined.size()); ++k) h = mix64(h ^ joined[k]);
        fp.shingles.push_back(h);
    }
    std::sort(fp.shingles.begin(), fp.shingles.end());
    fp.shingles.erase(std::unique(fp.shingles.begin(), fp.shingles.end()), fp.shingles.end());
    return fp;
}

double near_duplicate_detector::similarity(const fingerprint& a, const fingerprint& b) {
    if (a.empty() || b.empty()) return 0.0;
    std::size_t common = 0;
    auto i = a.shingles.begin();
    auto j = b.shingles.begin();
    while (i != a.shingles.end() && j != b.shingles.end()) {
        if (*i < *j) ++i;
        else if (*j < *i) ++j;
        else {
            ++common;
            ++i;
            ++j;
        }
    }
    const std::size_t all = a.shingles.size() + b.shingles.size() - common;
    return static_cast<double>(common) / static_cast<double>(all);
}

bool near_duplicate_detector::same_question(const fingerprint& a, const fingerprint& b) const {
    const double j = similarity(a, b);
    const fingerprint& fewer = a.content_words.size() <= b.content_words.size() ? a : b;
    const fingerprint& more = &fewer == &a ? b : a;
    if (fewer.content_words.empty()) return j >= 0.9;
    if (j < options_.min_similarity) return false;
    auto found_in = [](const std::u32string& w, const std::vector<std::u32string>& in) {
        return std::any_of(in.begin(), in.end(), [&](const std::u32string& o) { return near_match(w, o); });
    };
    for (const std::u32string& w : fewer.content_words)
        if (!found_in(w, more.content_words)) return false;
    // The longer one may add a word or two ("...closing so many branches"), not a topic; in
    // a short question an added word is the topic ("population of [Biloxi,] Mississippi").
    std::size_t extra = 0;
    for (const std::u32string& w : more.content_words) extra += found_in(w, fewer.content_words) ? 0 : 1;
    const std::size_t allowed =
        more.content_words.size() < 4 ? 0 : std::max<std::size_t>(1, more.content_words.size() / 5);
    return extra <= allowed;
}
}  // namespace tribune
