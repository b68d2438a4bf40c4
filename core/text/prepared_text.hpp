#pragma once
// prepared_text: a question's text as every step of ingest reads it, built ONCE per question
// on the scoring worker by prepare_text(): the text as the client sent it and its normal form
// (text_normalizer) with the map back to the original's code points. The classifier, the
// word lists, near-duplicate grouping and the stored search text all read this value; none
// of them normalises again.
//
// prepare_text() is the one place that decides what the rest of the pipeline reads. The
// canonical text of the triage issue (retweet prefixes, leading and trailing mentions, links
// and the event's own tags stripped, repeated punctuation collapsed) belongs there: build it
// from `normal` with its own offset map composed onto normal's, so that spans found on it
// still point into `original`, and have scoring and grouping read it.
//
// Thread safety: a plain value; prepare_text() is a pure function.

#include <string>

#include "core/domain/status.hpp"
#include "core/text/text_normalizer.hpp"

namespace tribune {

struct prepared_text {
    std::string original;    // as sent; spans count its code points
    normalized_text normal;  // normalize(original)
};

// Errors: as normalize(): invalid_argument ("invalid_utf8", "text_too_long").
result<prepared_text> prepare_text(std::string original);

}  // namespace tribune
