#pragma once
// canonical_text: the part of a social post that is the question, without what a bridge or a
// retweet adds around it — what the classifier scores and near-duplicate grouping compares,
// so that "RT @bob: Will you raise rates in 2027? #AskJPM" is scored and grouped as "Will you
// raise rates in 2027?". The stored text stays exactly as sent; canonical_text only says
// which of its code points to read, and `origin` maps every code point it keeps back to the
// original (it only ever deletes, so the map is increasing).
//
// THE RULES (whitespace splits the text into tokens; the options name the switches):
//  - links (http://, https://, www.) anywhere                                    drop_links
//  - the event's own hashtags anywhere: `event_tags` and the event's slug (case and '_'/'-'
//    ignored, so slug "ask-jpm" and tag "AskJPM" both remove #askjpm); punctuation glued
//    to the tag ("#AskJPM?") stays with the sentence
//  - at the start, repeatedly: a retweet prefix "RT @x:" and @mentions      drop_mentions
//    (and punctuation-only tokens, "!!!", "-", that a prefix leaves in front)
//  - at the end, repeatedly: @mentions (drop_mentions), hashtags (drop_trailing_tags), links;
//    punctuation-only tokens in that run are kept and glued to the text before them
//  - repeated sentence punctuation collapses to one ("!!" -> "!", "?!!" -> "?", "..." -> "."),
//    except between letters (l33t like "sh!!t" stays for the normaliser); a punctuation-only
//    token is glued to the word before it ("2027 ?!!" -> "2027?"); spaces collapse to one.
//  - mentions and hashtags inside the sentence stay: "Why did @jamie_dimon say that?" asks
//    about him, and "#AskJPM" is the only tag removed from the middle.
//  - when nothing with a letter or a digit is left ("@bob #AskJPM"), the text is read whole.
// With `enabled` false (canonical_options::off()) the text is read whole, as before issue 10.
//
// Thread safety: pure functions.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tribune {

// An event's canonical-text settings (its policy's "canonical" member).
struct canonical_options {
    bool enabled = true;
    // The event's own hashtags, with or without '#'; the event's slug always counts as one.
    std::vector<std::string> event_tags;
    bool drop_trailing_tags = true;
    bool drop_mentions = true;
    bool drop_links = true;

    // Reads every text whole: what tools and tests that score raw text use.
    static canonical_options off() {
        canonical_options o;
        o.enabled = false;
        return o;
    }
    bool operator==(const canonical_options&) const = default;
};

struct canonical_text {
    std::string text;                  // UTF-8; the original when nothing was removed
    std::vector<std::uint32_t> origin;  // per code point of `text`: its index in the original
    bool changed = false;              // false: `text` is the original, `origin` the identity
};

// REQUIRES: `original` is valid UTF-8 (prepare_text checks it first).
canonical_text make_canonical(std::string_view original, const canonical_options& o,
                              std::string_view event_slug = {});

}  // namespace tribune
