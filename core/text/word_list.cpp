// word_list: a trie over the normalised terms, walked from every word start of the
// normalised text. See the header for the matching contract.

#include "core/text/word_list.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <tuple>
#include <utility>

namespace tribune {
namespace {

std::string_view trim(std::string_view s) {
    const auto is_space = [](char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::string quoted(std::string_view s) {
    constexpr std::size_t shown = 40;
    std::string out = "\"";
    out.append(s.substr(0, shown));
    if (s.size() > shown) out.append("...");
    out.push_back('"');
    return out;
}

status term_error(std::string code, std::string_view what, std::string_view term) {
    return status::error(error_kind::invalid_argument, std::move(code),
                         std::string(what) + ": " + quoted(term));
}

// A term ready for the trie.
struct compiled_term {
    std::u32string key;  // normalised code points
    term_kind kind;
    std::size_t order;   // position among all terms given, banned first
    std::string written;
};

// One walk state: at trie node `node`, about to read text position `pos`.
struct walk_state {
    std::uint32_t node;
    std::uint32_t pos;
    std::uint32_t substitutions;  // wildcards and l33t digits read as letters so far
};

struct hit {
    std::uint32_t from;
    std::uint32_t to;
    std::uint32_t term;
    bool operator==(const hit&) const = default;
};

// The letters a digit the normaliser left in a word may stand for; 0 when none.
constexpr std::array<char32_t, 2> leet_readings(char32_t c) {
    switch (c) {
        case '0': return {U'o', 0};
        case '1': return {U'i', U'l'};
        case '3': return {U'e', 0};
        case '4': return {U'a', 0};
        case '5': return {U's', 0};
        case '7': return {U't', 0};
        default: return {0, 0};
    }
}

constexpr bool ascii_word(char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');  // normalised: no capitals
}

struct match_scratch {
    std::u32string text;
    std::vector<unsigned char> word;  // 1 when the code point is part of a word
    std::vector<walk_state> stack;
    std::vector<hit> hits;
};

// Validates and normalises every term, banned first, each with its position.
result<std::vector<compiled_term>> compile_terms(const std::vector<std::string>& banned,
                                                 const std::vector<std::string>& suspect) {
    std::vector<compiled_term> compiled;
    compiled.reserve(banned.size() + suspect.size());
    auto add = [&](const std::vector<std::string>& terms, term_kind kind) -> status {
        for (const std::string& raw : terms) {
            const std::string_view t = trim(raw);
            if (!is_valid_utf8(t)) return term_error("invalid_utf8", "term is not valid UTF-8", t);
            if (decode_utf8(t).size() > word_list::max_term_length)
                return term_error("term_too_long",
                                  "term is longer than " +
                                      std::to_string(word_list::max_term_length) + " characters",
                                  t);
            auto n = normalize(t);
            if (!n) return n.error();
            std::u32string key = decode_utf8(n->text);
            if (std::none_of(key.begin(), key.end(), is_word_code_point))
                return term_error("empty_term", "term has no letter or digit after normalisation",
                                  t);
            compiled.push_back({std::move(key), kind, compiled.size(), std::string(t)});
        }
        return status::ok();
    };
    if (status s = add(banned, term_kind::banned); !s) return s;
    if (status s = add(suspect, term_kind::suspect); !s) return s;
    return compiled;
}

// Splits the normaliser's output into code points and marks each: 0 outside words, 1 in a
// word, 2 in a word that has a letter (its digits may then be read as letters). A run of '*'
// between word characters is part of the word (the normaliser leaves masks only there).
void mark_words(const normalized_text& text, std::u32string& t, std::vector<unsigned char>& word) {
    const std::size_t n = text.size();
    t.resize(n);
    word.resize(n);
    {
        // The normaliser's output is valid UTF-8 with text.size() code points.
        const auto* b = reinterpret_cast<const unsigned char*>(text.text.data());
        for (std::size_t i = 0; i < n; ++i) {
            char32_t c = *b++;
            if (c >= 0xF0) {
                c = ((c & 0x07) << 18) | (char32_t(b[0] & 0x3F) << 12) |
                    (char32_t(b[1] & 0x3F) << 6) | (b[2] & 0x3F);
                b += 3;
            } else if (c >= 0xE0) {
                c = ((c & 0x0F) << 12) | (char32_t(b[0] & 0x3F) << 6) | (b[1] & 0x3F);
                b += 2;
            } else if (c >= 0xC0) {
                c = ((c & 0x1F) << 6) | (b[0] & 0x3F);
                b += 1;
            }
            t[i] = c;
            word[i] = c < 0x80 ? ascii_word(c) : is_word_code_point(c);
        }
    }
    for (std::size_t i = 0; i < n;) {
        if (t[i] != U'*') {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < n && t[j] == U'*') ++j;
        if (i > 0 && word[i - 1] && j < n && word[j]) std::fill(word.begin() + i, word.begin() + j, 1);
        i = j;
    }
    for (std::size_t i = 0; i < n;) {
        if (!word[i]) {
            ++i;
            continue;
        }
        std::size_t j = i;
        bool letter = false;
        for (; j < n && word[j]; ++j)
            if (!(t[j] >= '0' && t[j] <= '9')) letter = true;
        if (letter) std::fill(word.begin() + i, word.begin() + j, 2);
        i = j;
    }
}

}  // namespace

std::string word_match::rule() const {
    std::string r(to_string(kind));
    r.push_back(':');
    r.append(term);
    return r;
}

span word_match::to_span() const {
    span s;
    s.start = start;
    s.end = end;
    s.attr = attribute::toxicity;
    s.weight = 1.0f;
    s.rule = rule();
    return s;
}

result<word_list> word_list::build(std::vector<std::string> banned,
                                   std::vector<std::string> suspect) {
    if (banned.size() + suspect.size() > max_terms)
        return status::error(error_kind::invalid_argument, "too_many_terms",
                             "at most " + std::to_string(max_terms) +
                                 " banned and suspect terms in all");

    auto compiled = compile_terms(banned, suspect);
    if (!compiled) return compiled.error();
    std::vector<compiled_term>& terms = *compiled;

    // Sort by key; among equal keys the first given wins, and banned terms come first.
    std::sort(terms.begin(), terms.end(), [](const compiled_term& a, const compiled_term& b) {
        return std::tie(a.key, a.order) < std::tie(b.key, b.order);
    });

    word_list list;
    // Distinct terms in the order given, for banned_terms()/suspect_terms().
    {
        std::vector<const compiled_term*> kept;
        for (std::size_t i = 0; i < terms.size(); ++i)
            if (i == 0 || terms[i].key != terms[i - 1].key) kept.push_back(&terms[i]);
        std::sort(kept.begin(), kept.end(),
                  [](const compiled_term* a, const compiled_term* b) { return a->order < b->order; });
        for (const compiled_term* c : kept)
            (c->kind == term_kind::banned ? list.banned_ : list.suspect_).push_back(c->written);
    }

    // Build the trie from the sorted keys: each node's edges are allocated together, so
    // they are contiguous and sorted.
    struct builder {
        word_list& l;
        const std::vector<compiled_term>& keys;

        std::uint32_t make(std::size_t lo, std::size_t hi, std::size_t depth) {
            const auto idx = static_cast<std::uint32_t>(l.nodes_.size());
            l.nodes_.emplace_back();
            if (lo < hi && keys[lo].key.size() == depth) {
                const compiled_term& t = keys[lo];
                l.nodes_[idx].term = static_cast<std::int32_t>(l.terms_.size());
                l.terms_.push_back(
                    {t.kind, static_cast<std::uint32_t>(t.key.size()), t.written});
                while (lo < hi && keys[lo].key.size() == depth) ++lo;  // duplicates
            }
            std::vector<std::pair<std::size_t, std::size_t>> groups;
            for (std::size_t i = lo; i < hi;) {
                std::size_t j = i + 1;
                while (j < hi && keys[j].key[depth] == keys[i].key[depth]) ++j;
                groups.emplace_back(i, j);
                i = j;
            }
            const auto first = static_cast<std::uint32_t>(l.edges_.size());
            l.nodes_[idx].first_edge = first;
            l.nodes_[idx].edge_count = static_cast<std::uint32_t>(groups.size());
            l.edges_.resize(l.edges_.size() + groups.size());
            for (std::size_t g = 0; g < groups.size(); ++g) {
                const auto [glo, ghi] = groups[g];
                const std::uint32_t child = make(glo, ghi, depth + 1);
                l.edges_[first + g] = {keys[glo].key[depth], child};
            }
            return idx;
        }
    };
    if (!terms.empty()) {
        builder{list, terms}.make(0, terms.size(), 0);
        const node& root = list.nodes_[0];
        for (std::uint32_t e = 0; e < root.edge_count; ++e) {
            const edge& ed = list.edges_[root.first_edge + e];
            if (ed.cp < list.root_ascii_.size()) list.root_ascii_[ed.cp] = ed.child;
        }
    }
    return list;
}

std::uint32_t word_list::child_of(std::uint32_t n, char32_t cp) const {
    if (n == 0 && cp < root_ascii_.size()) return root_ascii_[cp];
    const node& nd = nodes_[n];
    const edge* first = edges_.data() + nd.first_edge;
    const edge* last = first + nd.edge_count;
    constexpr std::uint32_t linear_below = 8;
    if (nd.edge_count < linear_below) {
        for (const edge* e = first; e != last; ++e)
            if (e->cp == cp) return e->child;
        return 0;
    }
    const edge* it = std::lower_bound(first, last, cp,
                                      [](const edge& e, char32_t c) { return e.cp < c; });
    return (it != last && it->cp == cp) ? it->child : 0;  // 0: the root, never a child
}

std::vector<word_match> word_list::match(const normalized_text& text) const {
    std::vector<word_match> out;
    if (nodes_.empty() || text.text.empty()) return out;

    thread_local match_scratch tls;
    std::u32string& t = tls.text;
    std::vector<unsigned char>& word = tls.word;
    const std::size_t n = text.size();
    mark_words(text, t, word);
    auto wildcard = [&](std::size_t i) { return t[i] == U'*' && word[i]; };
    // A doubled letter whose second half carries a cut elongation.
    auto elongated_double = [&](std::size_t i) {
        return i + 1 < n && t[i + 1] == t[i] && word[i] && text.end[i + 1] - text.start[i + 1] > 1;
    };

    std::vector<walk_state>& stack = tls.stack;
    std::vector<hit>& hits = tls.hits;
    hits.clear();
    for (std::size_t p = 0; p < n; ++p) {
        if (!word[p] || (p > 0 && word[p - 1]) || wildcard(p)) continue;  // not a word start
        // Follow one path through the trie; branches (a wildcard, a cut elongation) are
        // stacked and followed afterwards.
        stack.clear();
        walk_state s{0, static_cast<std::uint32_t>(p), 0};
        for (;;) {
            const node& nd = nodes_[s.node];
            if (nd.term >= 0 && s.pos > p && (s.pos == n || !word[s.pos])) {
                const term_info& ti = terms_[static_cast<std::size_t>(nd.term)];
                if (2 * s.substitutions <= ti.length)
                    hits.push_back({static_cast<std::uint32_t>(p), s.pos,
                                    static_cast<std::uint32_t>(nd.term)});
            }
            bool next = false;
            if (s.pos < n && nd.edge_count != 0) {
                if (wildcard(s.pos)) {
                    for (std::uint32_t e = 0; e < nd.edge_count; ++e) {
                        const edge& ed = edges_[nd.first_edge + e];
                        if (is_word_code_point(ed.cp))
                            stack.push_back({ed.child, s.pos + 1, s.substitutions + 1});
                    }
                } else {
                    const char32_t c = t[s.pos];
                    if (word[s.pos] == 2 && c >= '0' && c <= '9') {
                        for (const char32_t letter : leet_readings(c)) {
                            if (letter == 0) break;
                            if (const std::uint32_t child = child_of(s.node, letter); child != 0)
                                stack.push_back({child, s.pos + 1, s.substitutions + 1});
                        }
                    }
                    if (const std::uint32_t child = child_of(s.node, c); child != 0) {
                        if (elongated_double(s.pos))
                            stack.push_back({child, s.pos + 2, s.substitutions});
                        s = {child, s.pos + 1, s.substitutions};
                        next = true;
                    }
                }
            }
            if (next) continue;
            if (stack.empty()) break;
            s = stack.back();
            stack.pop_back();
        }
    }
    if (hits.empty()) return out;

    std::sort(hits.begin(), hits.end(), [&](const hit& a, const hit& b) {
        const auto ka = terms_[a.term].kind, kb = terms_[b.term].kind;
        return std::tie(a.from, a.to, ka, a.term) < std::tie(b.from, b.to, kb, b.term);
    });
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
    out.reserve(hits.size());
    for (const hit& h : hits) {
        const term_info& ti = terms_[h.term];
        const auto [a, b] = text.to_original(h.from, h.to);
        out.push_back({ti.kind, ti.written, a, b});
    }
    return out;
}

result<std::vector<word_match>> word_list::match(std::string_view original) const {
    auto n = normalize(original);
    if (!n) return n.error();
    return match(*n);
}

}  // namespace tribune
