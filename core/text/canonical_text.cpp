// canonical_text: see the header for the rules. One pass splits the text into tokens at
// whitespace and names each (word, link, mention, hashtag, retweet marker, punctuation); the
// edges and the links and event tags are marked dropped; one more pass writes what is kept.

#include "core/text/canonical_text.hpp"

#include <algorithm>

#include "core/text/text_normalizer.hpp"
#include "core/text/utf8.hpp"

namespace tribune {
namespace {

enum class kind { word, link, mention, hashtag, retweet, punct };

struct token {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
    std::uint32_t body_end = 0;  // mention, hashtag: end of "@name" / "#name"; else end
    kind k = kind::word;
    bool keep = true;        // the whole token is written
    bool keep_tail = false;  // only [body_end, end): punctuation glued to a dropped tag
};

bool is_space(char32_t c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

bool is_ascii_alnum(char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_question_mark(char32_t c) { return c == '?' || c == 0xFF1F || (c >= 0x2047 && c <= 0x2049); }
bool is_exclamation(char32_t c) { return c == '!' || c == 0xFF01 || c == 0x203C; }
// Marks that end a sentence and get repeated for emphasis.
bool is_sentence_mark(char32_t c) {
    return is_question_mark(c) || is_exclamation(c) || c == '.' || c == 0x2026 || c == 0xFF0E;
}
// Punctuation that belongs to the word before it ("2027 ?" reads "2027?").
bool is_glued_mark(char32_t c) {
    return is_sentence_mark(c) || c == ',' || c == ';' || c == ':' || c == 0xFF0C || c == 0xFF1A;
}
// Punctuation: ASCII, Latin-1's quotes and inverted marks, General Punctuation, CJK and
// fullwidth punctuation. Emoji and other symbols are not (they may carry the tone).
bool is_punct(char32_t c) {
    if (c < 0x80) return c > 0x20 && c < 0x7F && !is_ascii_alnum(c);
    return c == 0xA1 || c == 0xAB || c == 0xBB || c == 0xBF || (c >= 0x2010 && c <= 0x205E) ||
           (c >= 0x3001 && c <= 0x3003) || (c >= 0xFF01 && c <= 0xFF0F) ||
           (c >= 0xFF1A && c <= 0xFF20);
}

bool all_of(const std::u32string& cps, std::uint32_t a, std::uint32_t b, bool (*pred)(char32_t)) {
    return std::all_of(cps.begin() + a, cps.begin() + b, pred);
}

char32_t ascii_lower(char32_t c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

bool starts_with_ci(const std::u32string& cps, std::uint32_t a, std::uint32_t b,
                    std::u32string_view prefix) {
    if (b - a < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (ascii_lower(cps[a + i]) != prefix[i]) return false;
    return true;
}

// How tags compare: ASCII lowercase, without '#', '_' and '-'.
std::u32string tag_key(std::u32string_view s) {
    std::u32string out;
    for (char32_t c : s)
        if (c != '#' && c != '_' && c != '-' && c != 0xFF03) out.push_back(ascii_lower(c));
    return out;
}

void classify_token(const std::u32string& cps, token& t) {
    const std::uint32_t a = t.begin, b = t.end;
    t.body_end = b;
    if (starts_with_ci(cps, a, b, U"http://") || starts_with_ci(cps, a, b, U"https://") ||
        starts_with_ci(cps, a, b, U"www.")) {
        t.k = kind::link;
        return;
    }
    if (b - a >= 2 && ascii_lower(cps[a]) == 'r' && ascii_lower(cps[a + 1]) == 't' &&
        (b - a == 2 || (b - a == 3 && cps[a + 2] == ':'))) {
        t.k = kind::retweet;
        return;
    }
    const bool at = cps[a] == '@' || cps[a] == 0xFF20;
    const bool hash = cps[a] == '#' || cps[a] == 0xFF03;
    if (at || hash) {
        std::uint32_t e = a + 1;
        while (e < b && (at ? is_ascii_alnum(cps[e]) || cps[e] == '_'
                            : is_word_code_point(cps[e]) || cps[e] == '_'))
            ++e;
        if (e > a + 1 && all_of(cps, e, b, is_punct)) {
            t.k = at ? kind::mention : kind::hashtag;
            t.body_end = e;
            return;
        }
    }
    t.k = all_of(cps, a, b, is_punct) ? kind::punct : kind::word;
}

std::vector<token> tokenize(const std::u32string& cps) {
    std::vector<token> out;
    const auto n = static_cast<std::uint32_t>(cps.size());
    for (std::uint32_t i = 0; i < n;) {
        if (is_space(cps[i])) {
            ++i;
            continue;
        }
        token t;
        t.begin = i;
        while (i < n && !is_space(cps[i])) ++i;
        t.end = i;
        classify_token(cps, t);
        out.push_back(t);
    }
    return out;
}

class tag_matcher {
public:
    tag_matcher(const canonical_options& o, std::string_view slug) {
        for (const std::string& t : o.event_tags)
            if (auto k = tag_key(decode_utf8(t)); !k.empty()) keys_.push_back(std::move(k));
        if (auto k = tag_key(decode_utf8(slug)); !k.empty()) keys_.push_back(std::move(k));
    }
    bool is_event_tag(const std::u32string& cps, const token& t) const {
        if (t.k != kind::hashtag) return false;
        const std::u32string k =
            tag_key(std::u32string_view(cps).substr(t.begin, t.body_end - t.begin));
        return std::find(keys_.begin(), keys_.end(), k) != keys_.end();
    }

private:
    std::vector<std::u32string> keys_;
};

// Marks what the rules drop. Returns nothing; the tokens carry keep / keep_tail.
void mark(const std::u32string& cps, std::vector<token>& toks, const canonical_options& o,
          const tag_matcher& tags) {
    std::size_t i = 0;
    while (i < toks.size()) {  // the start
        token& t = toks[i];
        if (o.drop_mentions && t.k == kind::retweet && i + 1 < toks.size() &&
            toks[i + 1].k == kind::mention) {
            t.keep = toks[i + 1].keep = false;
            i += 2;
            continue;
        }
        const bool drop = (o.drop_mentions && t.k == kind::mention) ||
                          (o.drop_links && t.k == kind::link) || t.k == kind::punct ||
                          tags.is_event_tag(cps, t);
        if (!drop) break;
        t.keep = false;
        ++i;
    }
    for (std::size_t j = toks.size(); j > i; --j) {  // the end
        token& t = toks[j - 1];
        if (t.k == kind::punct) continue;
        const bool drop = (o.drop_mentions && t.k == kind::mention) ||
                          (o.drop_links && t.k == kind::link) ||
                          (t.k == kind::hashtag && (o.drop_trailing_tags || tags.is_event_tag(cps, t)));
        if (!drop) break;
        t.keep = false;
        t.keep_tail = true;
    }
    for (token& t : toks) {  // anywhere
        if (!t.keep) continue;
        if (o.drop_links && t.k == kind::link) t.keep = false;
        if (tags.is_event_tag(cps, t)) {
            t.keep = false;
            t.keep_tail = true;
        }
    }
}

class writer {
public:
    explicit writer(const std::u32string& cps) : cps_(cps) {}

    // Writes [a, b) of the original, after a space unless `glue`, collapsing repeated marks.
    void write(std::uint32_t a, std::uint32_t b, bool glue) {
        if (a >= b) return;
        if (!out_.origin.empty() && !glue) put(U' ', a - 1);  // a - 1 is the space before
        for (std::uint32_t k = a; k < b;) {
            std::uint32_t r = k;
            while (r < b && is_sentence_mark(cps_[r])) ++r;
            const bool between_letters =
                k > a && is_word_code_point(cps_[k - 1]) && r < b && is_word_code_point(cps_[r]);
            if (r - k >= 2 && !between_letters) {
                // One mark for the run: a question mark if any, else an exclamation, else the first.
                std::uint32_t pick = k;
                auto q = std::find_if(cps_.begin() + k, cps_.begin() + r, is_question_mark);
                auto e = std::find_if(cps_.begin() + k, cps_.begin() + r, is_exclamation);
                if (q != cps_.begin() + r) pick = static_cast<std::uint32_t>(q - cps_.begin());
                else if (e != cps_.begin() + r) pick = static_cast<std::uint32_t>(e - cps_.begin());
                put(cps_[pick], pick);
                k = r;
                continue;
            }
            put(cps_[k], k);
            ++k;
        }
    }

    bool has_word() const { return has_word_; }
    canonical_text take() { return std::move(out_); }

private:
    void put(char32_t c, std::uint32_t from) {
        char buf[4];
        out_.text.append(buf, utf8::encode_utf8(buf, c));
        out_.origin.push_back(from);
        has_word_ = has_word_ || is_word_code_point(c);
    }

    const std::u32string& cps_;
    canonical_text out_;
    bool has_word_ = false;
};

canonical_text whole(std::string_view original, std::size_t count) {
    canonical_text c;
    c.text.assign(original);
    c.origin.resize(count);
    for (std::size_t i = 0; i < count; ++i) c.origin[i] = static_cast<std::uint32_t>(i);
    return c;
}

}  // namespace

canonical_text make_canonical(std::string_view original, const canonical_options& o,
                              std::string_view event_slug) {
    const std::u32string cps = decode_utf8(original);
    if (!o.enabled) return whole(original, cps.size());
    std::vector<token> toks = tokenize(cps);
    mark(cps, toks, o, tag_matcher(o, event_slug));
    writer w(cps);
    for (const token& t : toks) {
        if (t.keep) w.write(t.begin, t.end, t.k == kind::punct && all_of(cps, t.begin, t.end, is_glued_mark));
        else if (t.keep_tail) w.write(t.body_end, t.end, true);
    }
    if (!w.has_word()) return whole(original, cps.size());
    canonical_text out = w.take();
    if (out.text == original) return whole(original, cps.size());
    out.changed = true;
    return out;
}

}  // namespace tribune
