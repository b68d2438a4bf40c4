#include "core/classify/text_features.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/classify/packed_word_set.hpp"
#include "core/util/hash32.hpp"

namespace tribune {
namespace {

// Decodes one code point from valid UTF-8 at s[i]; advances i.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
    char32_t cp = b0 & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
    for (int k = 1; k < len && i + static_cast<std::size_t>(k) < s.size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    i += static_cast<std::size_t>(len);
    return cp;
}

enum class char_class { separator, word, single };

char_class classify_code_point(char32_t c) {
    if (c < 0x80) {
        // '*' is the normaliser's wildcard letter inside masked words ("f*ck").
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '*')
            return char_class::word;
        if (c == '?' || c == '!') return char_class::single;
        return char_class::separator;
    }
    if (c <= 0xBF || c == 0xD7 || c == 0xF7) return char_class::separator;  // Latin-1 punctuation
    if (c >= 0x2000 && c <= 0x206F) return char_class::separator;            // general punctuation
    if (c >= 0x3000 && c <= 0x303F) return char_class::separator;            // CJK punctuation
    if (c >= 0xFE00 && c <= 0xFE0F) return char_class::separator;            // variation selectors
    if (c >= 0x1F3FB && c <= 0x1F3FF) return char_class::separator;          // skin tones
    if ((c >= 0x1F000 && c <= 0x1FAFF) || (c >= 0x2600 && c <= 0x27BF) ||
        (c >= 0x2B00 && c <= 0x2BFF))
        return char_class::single;  // emoji and symbols: one token each
    return char_class::word;
}

constexpr std::uint32_t fnv_offset = fnv32_offset;
constexpr std::uint32_t fnv_prime = fnv32_prime;

constexpr std::uint32_t fnv(std::uint32_t h, unsigned char b) { return fnv32(h, b); }
constexpr std::uint32_t fnv(std::uint32_t h, std::string_view s) { return fnv32(h, s); }
constexpr std::uint32_t mix(std::uint32_t h) { return mix32(h); }

// Negation and rejection cues, after normalisation (lower case, no accents; the tokenizer
// splits "don't" into "don" "t" and "n'est" into "n" "est"). At most 8 bytes each.
constexpr std::array<std::string_view, 37> negation_cues = {
    "aint",    "aucun",   "aucune", "cannot",  "cant",   "didnt",   "doesnt",  "dont",
    "isnt",    "jamais",  "n",      "ne",      "neither", "never",  "ni",      "no",
    "nobody",  "non",     "none",   "nor",     "not",    "nothing", "nowhere", "pas",
    "personne", "refuse", "rien",   "sans",    "shouldnt", "stop",  "t",       "wasnt",
    "without", "wont",    "wouldnt", "wrong",  "nul"};

// Words that end a negation scope (a new clause).
constexpr std::array<std::string_view, 5> scope_breakers = {"but", "however", "mais", "pourtant", "though"};

// Words naming a group of people, normalised (lower case, no accents), English and French:
// nationalities, religions, ethnicities, genders, sexual orientations, disabilities, migrants.
constexpr std::array<std::string_view, 104> group_words = {
    "african",    "africain",   "africaine",  "africains",   "africans",   "arab",        "arabe",
    "arabes",     "arabs",      "asian",      "asians",      "asiatique",  "asiatiques",  "bisexual",
    "black",      "blacks",     "blanc",      "blancs",      "chinese",    "chinois",     "christian",
    "christians", "chretien",   "chretiens",  "disabled",    "etranger",   "etrangers",   "femme",
    "femmes",     "gay",        "gays",       "girls",       "handicape",  "handicapes",  "hindu",
    "hindus",     "homosexual", "homosexuels", "homosexuel", "homosexuals", "immigrant",  "immigrants",
    "immigre",    "immigree",   "immigres",   "immigrees",   "indian",     "indians",     "islam",
    "islamic",    "jew",        "jewish",     "jews",        "juif",       "juifs",       "juive",
    "juives",     "latino",     "latinos",    "lesbian",     "lesbians",   "lesbienne",   "lesbiennes",
    "lgbt",       "mexican",    "mexicans",   "migrant",     "migrants",   "muslim",      "muslims",
    "musulman",   "musulmane",  "musulmanes", "musulmans",   "noir",       "noire",       "noires",
    "noirs",      "queer",      "refugee",    "refugees",    "refugie",    "refugies",    "roma",
    "rom",        "roms",       "trans",      "transgender", "white",      "whites",      "woman",
    "women",      "jewess",     "feminist",   "feminists",   "feministes", "catholic",    "catholics",
    "catholique", "catholiques", "hispanic",  "hispanics",   "gypsies",    "tsiganes"};

constexpr std::uint32_t word_seed = fnv(fnv_offset, 'w');

template <std::size_t N>
constexpr std::array<std::uint32_t, N> sorted_word_hashes(const std::array<std::string_view, N>& words) {
    std::array<std::uint32_t, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = fnv(word_seed, words[i]);
    std::sort(out.begin(), out.end());
    return out;
}

// The group words by their word hash (the hash the unigram feature uses, before mix()):
// one binary search over integers per token.
constexpr auto group_hashes = sorted_word_hashes(group_words);

bool is_group_hash(std::uint32_t word_hash) {
    return std::binary_search(group_hashes.begin(), group_hashes.end(), word_hash);
}

constexpr packed_word_set cue_set(negation_cues);
constexpr packed_word_set breaker_set(scope_breakers);

bool is_word_token(std::string_view token) {
    std::size_t i = 0;
    return classify_code_point(next_code_point(token, i)) == char_class::word;
}

// What lies between two tokens: clause punctuation, a double quote (toggles the quote
// state), anything but spaces.
struct gap_info {
    bool clause_end = false;
    int quotes = 0;
    bool only_spaces = true;
};

gap_info scan_gap(std::string_view gap) {
    gap_info g;
    for (char c : gap) {
        if (c == '.' || c == ',' || c == ';' || c == ':' || c == '(' || c == ')') g.clause_end = true;
        if (c == '"') ++g.quotes;
        if (c != ' ') g.only_spaces = false;
    }
    return g;
}

}  // namespace

bool is_group_word(std::string_view normalized_word) { return is_group_hash(fnv(word_seed, normalized_word)); }

double feature_extractor::add_group_context(const std::vector<std::uint32_t>& token_hash,
                                            const std::vector<std::uint8_t>& token_negated,
                                            std::vector<feature_entry>& entries) const {
    const std::size_t n = token_hash.size();
    std::size_t last_group = n;  // index of the latest group word at or before t (n: none yet)
    std::size_t next_group = n;  // the first group word after t
    for (std::size_t u = 0; u < n && next_group == n; ++u)
        if (is_group_hash(token_hash[u])) next_group = u;
    double added = 0;
    for (std::size_t t = 0; t < n; ++t) {
        if (t == next_group) {
            last_group = t;
            next_group = n;
            for (std::size_t u = t + 1; u < n && next_group == n; ++u)
                if (is_group_hash(token_hash[u])) next_group = u;
            continue;  // the group word itself: its unigram is enough
        }
        const bool near = (last_group < n && t - last_group <= group_window) ||
                          (next_group < n && next_group - t <= group_window);
        if (!near) continue;
        const std::uint32_t h = (token_hash[t] ^ (token_negated[t] ? 0x5bd1e995u : 0x27d4eb2fu)) * fnv_prime;
        entries.push_back({mix(h) & mask_, static_cast<std::uint32_t>(t), 1.0f});
        added += 1.0;
    }
    return added;
}

feature_extractor::feature_extractor(feature_config config)
    : config_(config), mask_(config.buckets - 1) {}

void feature_extractor::tokenize(std::string_view s, std::vector<text_token>& out,
                                 std::size_t max_tokens) {
    out.clear();
    std::size_t i = 0;
    std::size_t cp = 0;
    bool in_word = false;
    text_token current;
    while (i < s.size()) {
        const std::size_t byte_pos = i;
        const char_class k = classify_code_point(next_code_point(s, i));
        if (k == char_class::word) {
            if (!in_word) {
                current = text_token{cp, cp, byte_pos, byte_pos};
                in_word = true;
            }
            current.end = cp + 1;
            current.byte_end = i;
        } else {
            if (in_word) {
                out.push_back(current);
                in_word = false;
                if (out.size() >= max_tokens) return;
            }
            if (k == char_class::single) {
                out.push_back(text_token{cp, cp + 1, byte_pos, i});
                if (out.size() >= max_tokens) return;
            }
        }
        ++cp;
    }
    if (in_word && out.size() < max_tokens) out.push_back(current);
}

void feature_extractor::extract(std::string_view s, text_feature_set& out) const {
    out.clear();
    tokenize(s, out.tokens, config_.max_tokens);
    double sum_sq = 0.0;
    std::uint32_t prev_hash = 0;
    // Byte offsets of the code points of one non-ASCII word, for char n-grams.
    thread_local std::vector<std::size_t> cps;
    const std::uint32_t ngram_seed = fnv(fnv_offset, 'c');
    std::size_t negated_left = 0;  // words of the current negation scope still to come
    bool quoted = false;
    std::string_view prev_word;
    // Per token, for the group context: its word hash, and 1 when it is negated.
    thread_local std::vector<std::uint32_t> token_hash;
    thread_local std::vector<std::uint8_t> token_negated;
    token_hash.clear();
    token_negated.clear();
    for (std::uint32_t t = 0; t < out.tokens.size(); ++t) {
        const text_token& tok = out.tokens[t];
        const std::string_view word = s.substr(tok.byte_begin, tok.byte_end - tok.byte_begin);
        const std::uint32_t word_hash = fnv(word_seed, word);
        out.entries.push_back({mix(word_hash) & mask_, t, 1.0f});
        token_hash.push_back(word_hash);
        token_negated.push_back(0);
        sum_sq += 1.0;
        const std::size_t gap_begin = t > 0 ? out.tokens[t - 1].byte_end : 0;
        const gap_info gap = scan_gap(s.substr(gap_begin, tok.byte_begin - gap_begin));
        if (config_.scope_features) {
            if (gap.clause_end || word == "?" || word == "!" || breaker_set.contains(word)) negated_left = 0;
            if (gap.quotes % 2 == 1) quoted = !quoted;
            if (negated_left > 0) {
                token_negated.back() = 1;
                out.entries.push_back({mix(fnv(fnv(fnv_offset, 'n'), word)) & mask_, t, 1.0f});
                out.entries.push_back({mix(fnv(fnv_offset, 'N')) & mask_, t, 1.0f});  // "some word is negated"
                sum_sq += 2.0;
                --negated_left;
            }
            if (quoted) {
                out.entries.push_back({mix(fnv(fnv(fnv_offset, 'q'), word)) & mask_, t, 1.0f});
                sum_sq += 1.0;
            }
            if (cue_set.contains(word)) negated_left = scope_max_tokens;
        }
        if (config_.joined_pairs && t > 0 && gap.only_spaces && tok.byte_begin > gap_begin &&
            std::min(tok.end - tok.start, out.tokens[t - 1].end - out.tokens[t - 1].start) <= 3 &&
            is_word_token(word) && is_word_token(prev_word)) {
            const std::uint32_t jh = mix(fnv(fnv(fnv(fnv_offset, 'w'), prev_word), word)) & mask_;
            out.entries.push_back({jh, t - 1, 0.5f});
            out.entries.push_back({jh, t, 0.5f});
            sum_sq += 1.0;
        }
        prev_word = word;
        if (config_.word_bigrams && t > 0) {
            const std::uint32_t bh = mix(fnv(fnv(prev_hash, ' '), word) ^ 0x9e3779b9u) & mask_;
            out.entries.push_back({bh, t - 1, 0.5f});
            out.entries.push_back({bh, t, 0.5f});
            sum_sq += 1.0;
        }
        prev_hash = fnv(fnv(fnv_offset, 'b'), word);
        // char n-grams over "<word>", counted in code points; single-code-point tokens
        // (emoji, '?', one-letter words) get none.
        const std::size_t n_cp = tok.end - tok.start;
        if (n_cp < 2 || config_.char_ngram_max == 0) continue;
        const bool ascii = word.size() == n_cp;
        if (!ascii) {
            cps.clear();
            for (std::size_t j = 0; j < word.size();) {
                cps.push_back(j);
                next_code_point(word, j);
            }
            cps.push_back(word.size());
        }
        // positions in "<word>": index 0 is '<', 1..n are code points, n+1 is '>'.
        const std::size_t total = n_cp + 2;
        const std::size_t max_len = config_.char_ngram_max;
        const std::size_t min_len = config_.char_ngram_min;
        for (std::size_t begin = 0; begin < total; ++begin) {
            std::uint32_t h = ngram_seed;
            const std::size_t stop = std::min(max_len, total - begin);
            for (std::size_t len = 1; len <= stop; ++len) {
                const std::size_t pos = begin + len - 1;
                if (pos == 0) {
                    h = fnv(h, '<');
                } else if (pos == total - 1) {
                    h = fnv(h, '>');
                } else if (ascii) {
                    h = fnv(h, static_cast<unsigned char>(word[pos - 1]));
                } else {
                    h = fnv(h, word.substr(cps[pos - 1], cps[pos] - cps[pos - 1]));
                }
                if (len >= min_len && len < total) {
                    out.entries.push_back({mix(h) & mask_, t, 1.0f});
                    sum_sq += 1.0;
                }
            }
        }
    }
    if (config_.group_context) sum_sq += add_group_context(token_hash, token_negated, out.entries);
    const double norm_sq = std::max(sum_sq, static_cast<double>(config_.min_norm_sq));
    out.scale = norm_sq > 0 ? static_cast<float>(1.0 / std::sqrt(norm_sq)) : 0.0f;
}

}  // namespace tribune
