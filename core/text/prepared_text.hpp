#pragma once
// prepared_text: a question's text as every step of ingest reads it, built ONCE per question
// on the scoring worker by prepare_text(): the text as the client sent it, the normal form
// (text_normalizer) of its canonical text (canonical_text: retweet prefixes, edge mentions and
// tags, links and the event's own tags removed, repeated punctuation collapsed), and the
// normal form of the whole text. Both normal forms map back to code points of `original`.
//
// Who reads what:
//  - `normal` (the canonical text): the classifier and near-duplicate grouping, so that noise
//    around a question moves neither its scores nor its group;
//  - `full` (the whole text): the word lists and the stored search text. An admin's banned
//    or suspect term counts wherever it is, in a trailing hashtag or a handle too: the lists
//    are explicit rules, and dropping the edges must not open a place to hide a banned word
//    ("When will you pay? #JPMthieves" is caught by a banned "jpmthieves"); a search finds
//    what the moderator sees on the card.
// Spans from either point into `original`: normal's offsets are the canonical text's
// composed with canonical_text::origin.
//
// Thread safety: a plain value; prepare_text() is a pure function.

#include <string>
#include <string_view>

#include "core/domain/status.hpp"
#include "core/text/canonical_text.hpp"
#include "core/text/text_normalizer.hpp"

namespace tribune {

struct prepared_text {
    std::string original;    // as sent; spans count its code points
    normalized_text normal;  // normalize(canonical text), offsets into `original`
    normalized_text full;    // normalize(original)
    bool canonical_changed = false;  // false: normal == full (nothing was removed)
};

// With canonical_options::off() (the default) `normal` is `full`. `event_slug` counts as one
// of the event's tags (canonical_text.hpp).
// Errors: as normalize(): invalid_argument ("invalid_utf8", "text_too_long").
result<prepared_text> prepare_text(std::string original,
                                   const canonical_options& o = canonical_options::off(),
                                   std::string_view event_slug = {});

}  // namespace tribune
