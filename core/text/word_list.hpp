#pragma once
// word_list: an event's banned terms (auto-reject) and suspect terms (hold for review),
// matched on whole words after the same normalisation the classifier uses, and reported
// as spans of the client's original text naming the rule that matched.
//
// Thread safety: a word_list is immutable after build(); match() is const and safe from
// any number of threads at once. Share one as std::shared_ptr<const word_list> and
// replace it for a hot update by storing a new pointer (std::atomic<std::shared_ptr<
// const word_list>> or a mutex around the pointer copy); readers that copied the old
// pointer finish with the old list.
//
// Matching contract (see core/text_normalizer.hpp for the normal form):
//  - Terms and text go through normalize(). A term is one or more words; a phrase
//    matches across single spaces of the normalised text (whitespace runs are already
//    one space), not across punctuation.
//  - Whole words only: a match starts where a word starts and ends where a word ends, so
//    "ass" does not match "class" or "assume". No stemming: list "fucking" separately.
//  - A '*' the normaliser left inside a word ("f*ck", "sh#t") stands for any one letter,
//    and a digit it left in a word that has letters ("put3", "encul3": it is cautious at
//    the end of words because of "mp3", "win10") may stand for the letter it imitates
//    (0 o, 1 i or l, 3 e, 4 a, 5 s, 7 t); wildcards and such digits together are at most
//    half of the matched term's code points.
//  - A doubled letter produced by cutting an elongation ("fuuuuck" -> "fuuck") may stand
//    for one letter of the term; a plain double in the text ("cull") does not, so "cul"
//    does not match "cull".
//  - Every matching term is reported, overlapping ones included, ordered by start, then
//    end, banned before suspect.
//
// Cost: one pass over the word starts of the text, each walking a trie of the terms:
// measured 2 to 3 µs for 280 characters with 100 to 10,000 terms on the shared dev VM
// (bench/normalizer_bench.cpp), plus normalisation when match(std::string_view) is
// used. build() takes about 20 ms for 10,000 terms: build outside any lock.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/classification.hpp"
#include "core/domain/status.hpp"
#include "core/text/text_normalizer.hpp"

namespace tribune {

enum class term_kind : std::uint8_t { banned, suspect };

constexpr std::string_view to_string(term_kind k) {
    return k == term_kind::banned ? "banned" : "suspect";
}

struct word_match {
    term_kind kind = term_kind::suspect;
    std::string term;        // the term as the admin wrote it, trimmed
    std::size_t start = 0;   // [start, end) in code points of the original text
    std::size_t end = 0;

    // "banned:<term>" or "suspect:<term>".
    std::string rule() const;
    // The span the dashboard highlights: attribute toxicity, weight 1, rule().
    span to_span() const;
};

class word_list {
public:
    static constexpr std::size_t max_terms = 10'000;         // banned + suspect
    static constexpr std::size_t max_term_length = 100;      // code points, as written

    // Validates and compiles the terms. Duplicates (after normalisation) are merged; a
    // term both banned and suspect is banned.
    // Errors (all invalid_argument): "too_many_terms"; for a term: "invalid_utf8",
    // "term_too_long", "empty_term" (no letter or digit left after normalisation).
    // The message names the offending term.
    static result<word_list> build(std::vector<std::string> banned,
                                   std::vector<std::string> suspect);

    // An empty list: matches nothing.
    word_list() = default;

    // Matches against text already normalised (the scorer normalises once for the model
    // and the word list).
    std::vector<word_match> match(const normalized_text& text) const;

    // Normalises then matches. Errors: "invalid_utf8".
    result<std::vector<word_match>> match(std::string_view original) const;

    // The distinct terms, as written, in the order given.
    const std::vector<std::string>& banned_terms() const { return banned_; }
    const std::vector<std::string>& suspect_terms() const { return suspect_; }
    bool empty() const { return terms_.empty(); }

private:
    struct term_info {
        term_kind kind;
        std::uint32_t length;  // code points of the normalised term
        std::string written;
    };
    struct node {
        std::uint32_t first_edge = 0;
        std::uint32_t edge_count = 0;
        std::int32_t term = -1;  // index into terms_ when a term ends here
    };
    struct edge {
        char32_t cp;
        std::uint32_t child;
    };

    std::uint32_t child_of(std::uint32_t n, char32_t cp) const;

    std::vector<node> nodes_;  // nodes_[0] is the root once built
    std::vector<edge> edges_;  // each node's edges are contiguous and sorted by cp
    std::vector<term_info> terms_;
    std::array<std::uint32_t, 128> root_ascii_{};  // the root's ASCII edges; 0 for none
    std::vector<std::string> banned_;
    std::vector<std::string> suspect_;
};

}  // namespace tribune
