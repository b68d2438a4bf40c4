// text_normalizer: see the header for the contract. The implementation is a handful of
// linear passes over a per-thread scratch array of code points that each carry their
// original range, so no pass allocates and removed characters cost nothing later.

#include "core/text/text_normalizer.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <limits>
#include <span>

#include "core/text/text_fold_table.hpp"
#include "core/text/utf8.hpp"

namespace tribune {
namespace {

using fold_table::cp_class;
using utf8::decode_one;
using utf8::encode_utf8;

// Classes used by the passes. `symbol` is an ASCII l33t or mask symbol (@ $ ! * # %):
// part of a word, but not a letter until pass 5 converts it. The order matters:
// kinds up to `digit` are alphanumeric, up to `symbol` are part of a word.
enum class char_kind : std::uint8_t { letter, digit, symbol, space, punct };

constexpr bool is_alnum(char_kind k) { return k <= char_kind::digit; }
constexpr bool is_word(char_kind k) { return k <= char_kind::symbol; }

struct item {
    char32_t cp;          // current output code point
    char32_t homoglyph;   // Latin look-alike of the original letter, 0 when none
    std::uint32_t start;  // original range [start, end), in code points
    std::uint32_t end;
    char_kind k;
    bool dead;
};

constexpr std::uint32_t max_input_bytes = std::numeric_limits<std::uint32_t>::max() - 1;

// --- tables ----------------------------------------------------------------------------

cp_class class_of_non_ascii(char32_t cp) {
    const auto* first = std::begin(fold_table::class_ranges);
    const auto* last = std::end(fold_table::class_ranges);
    const auto* it = std::upper_bound(first, last, cp, [](char32_t c, const auto& r) {
        return c < r.lo;
    });
    if (it == first) return fold_table::cls_letter;
    --it;
    return cp <= it->hi ? it->cls : fold_table::cls_letter;
}

const fold_table::fold_entry* fold_of(char32_t cp) {
    const auto* first = std::begin(fold_table::folds);
    const auto* last = std::end(fold_table::folds);
    const auto* it = std::lower_bound(first, last, cp, [](const auto& f, char32_t c) {
        return f.cp < c;
    });
    return (it != last && it->cp == cp) ? it : nullptr;
}


// Symbols that may stand for letters inside a word.
constexpr bool is_leet_symbol(char32_t c) { return c == '@' || c == '$' || c == '!'; }
constexpr bool is_mask_symbol(char32_t c) { return c == '*' || c == '#' || c == '%'; }

// Separators allowed between spaced-out letters.
constexpr bool is_spacing_separator(char32_t c) {
    return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*' || c == '~';
}

constexpr char leet_letter(char32_t c) {
    switch (c) {
        case '0': return 'o';
        case '1': return 'i';
        case '3': return 'e';
        case '4': return 'a';
        case '5': return 's';
        case '7': return 't';
        case '@': return 'a';
        case '$': return 's';
        case '!': return 'i';
        default: return 0;
    }
}

inline bool in_word(const item& it) { return is_word(it.k); }

constexpr char_kind ascii_punct_kind(char32_t c) {
    return (is_leet_symbol(c) || is_mask_symbol(c)) ? char_kind::symbol : char_kind::punct;
}

// Units after a number that make "1st", "10am", "5g" a quantity rather than l33t.
bool is_unit_suffix(std::u32string_view s) {
    static constexpr std::array<std::u32string_view, 26> units = {
        U"st", U"nd", U"rd", U"th", U"am", U"pm", U"k",  U"m",  U"g",  U"h",  U"d",  U"x",  U"e",
        U"er", U"re", U"eme", U"km", U"kg", U"cm", U"mm", U"mb", U"gb", U"p",  U"s",  U"min", U"ms"};
    return std::find(units.begin(), units.end(), s) != units.end();
}

// --- passes ----------------------------------------------------------------------------

// What pass 1 saw, so later passes that cannot apply are skipped.
struct fold_summary {
    std::size_t items = 0;       // items written
    std::uint32_t count = 0;     // input code points
    bool homoglyphs = false;     // some letter has a Latin look-alike
    std::size_t leet = 0;        // digits and l33t/mask symbols, indexes in leet_at
};

// Pass 1: decode, drop invisibles, fold case/accents/compatibility forms, collapse spaces.
// REQUIRES: `out` has room for 3 * in.size() / 2 + 1 items. Returns false on invalid UTF-8.
// `leet_at` receives the index of every digit and symbol item (same room as `out`), so
// pass 5 visits only the words that have one.
bool decode_and_fold(std::string_view in, item* out, std::uint32_t* leet_at, fold_summary& sum) {
    const auto* s = reinterpret_cast<const unsigned char*>(in.data());
    const std::size_t n = in.size();
    std::uint32_t k = 0;  // original code point index
    std::size_t i = 0;
    item* const first = out;
    auto note_leet = [&] { leet_at[sum.leet++] = static_cast<std::uint32_t>(out - first - 1); };
    auto push_space = [&](std::uint32_t at) {
        if (out == first || out[-1].k == char_kind::space) return;  // trim start, collapse
        *out++ = {U' ', 0, at, at + 1, char_kind::space, false};
    };
    while (i < n) {
        const unsigned char b = s[i];
        if (b < 0x80) {  // ASCII fast path
            ++i;
            if (b >= 'a' && b <= 'z') {
                *out++ = {char32_t(b), 0, k, k + 1, char_kind::letter, false};
            } else if (b == ' ') {
                push_space(k);
            } else if (b >= 'A' && b <= 'Z') {
                *out++ = {char32_t(b + 32), 0, k, k + 1, char_kind::letter, false};
            } else if (b >= '0' && b <= '9') {
                *out++ = {char32_t(b), 0, k, k + 1, char_kind::digit, false};
                note_leet();
            } else if (b >= 0x09 && b <= 0x0D) {
                push_space(k);
            } else if (b > 0x20 && b < 0x7F) {
                const char_kind pk = ascii_punct_kind(b);
                *out++ = {char32_t(b), 0, k, k + 1, pk, false};
                if (pk == char_kind::symbol) note_leet();
            }  // other controls are dropped
            ++k;
            continue;
        }
        char32_t cp = 0;
        const std::size_t len = decode_one(s, n, i, cp);
        if (len == 0) return false;
        i += len;
        const cp_class cls = class_of_non_ascii(cp);
        switch (cls) {
            case fold_table::cls_drop: break;
            case fold_table::cls_space: push_space(k); break;
            case fold_table::cls_mark:
                // Belongs to the preceding output character when adjacent to it.
                if (out != first && out[-1].k != char_kind::space && out[-1].end == k)
                    out[-1].end = k + 1;
                break;
            default: {
                const char_kind kd = cls == fold_table::cls_digit    ? char_kind::digit
                                : cls == fold_table::cls_punct ? char_kind::punct
                                                               : char_kind::letter;
                if (const auto* f = fold_of(cp)) {
                    for (char16_t u : f->out) {
                        if (u == 0) break;
                        char_kind uk = (u >= '0' && u <= '9') ? char_kind::digit : kd;
                        if (uk == char_kind::punct) uk = ascii_punct_kind(u);  // fullwidth ＠
                        *out++ = {char32_t(u), 0, k, k + 1, uk, false};
                        if (uk == char_kind::digit || uk == char_kind::symbol) note_leet();
                    }
                    if (f->homoglyph != 0) {
                        out[-1].homoglyph = static_cast<unsigned char>(f->homoglyph);
                        sum.homoglyphs = true;
                    }
                } else {
                    *out++ = {cp, 0, k, k + 1, kd, false};
                }
            }
        }
        ++k;
    }
    sum.count = k;
    sum.items = static_cast<std::size_t>(out - first);
    return true;
}

// Pass 3: Latin look-alikes in words that are Latin or entirely made of look-alikes.
void fold_homoglyphs(std::span<item> items) {
    const std::size_t n = items.size();
    std::size_t i = 0;
    while (i < n) {
        if (!in_word(items[i])) {
            ++i;
            continue;
        }
        std::size_t j = i;
        bool has_latin = false, has_alike = false, all_alike = true;
        for (; j < n && in_word(items[j]); ++j) {
            const item& it = items[j];
            if (it.k != char_kind::letter) continue;
            if (it.cp < 0x250) {
                has_latin = true;
            } else if (it.homoglyph != 0) {
                has_alike = true;
            } else {
                all_alike = false;
            }
        }
        if (has_alike && (has_latin || all_alike)) {
            for (std::size_t m = i; m < j; ++m)
                if (items[m].homoglyph != 0) items[m].cp = items[m].homoglyph;
        }
        i = j;
    }
}

// Pass 4: "f u c k", "f.u.c.k" -> "fuck". Works on live items; only kills separators.
void join_spaced_letters(std::span<item> items) {
    const std::size_t n = items.size();
    auto single_letter = [&](std::size_t p) {
        return items[p].k == char_kind::letter && (p == 0 || !is_alnum(items[p - 1].k)) &&
               (p + 1 == n || !is_alnum(items[p + 1].k));
    };
    // The separator after a single letter at p: [p+1, q) with items[q] the next single
    // letter; returns q, or n when there is none.
    auto next_letter = [&](std::size_t p) {
        std::size_t q = p + 1;
        while (q < n && q - p - 1 < 3 && is_spacing_separator(items[q].cp) &&
               items[q].k != char_kind::letter)
            ++q;
        if (q == p + 1 || q >= n || !single_letter(q)) return n;
        return q;
    };
    std::size_t i = 0;
    while (i < n) {
        if (!is_alnum(items[i].k)) {
            ++i;
            continue;
        }
        if (i + 1 < n && is_alnum(items[i + 1].k)) {  // a longer word: skip it
            i += 2;
            while (i < n && is_alnum(items[i].k)) ++i;
            continue;
        }
        if (!single_letter(i)) {
            ++i;
            continue;
        }
        // Grow a run of single letters with identical separators.
        std::size_t letters = 1, distinctive = 0;
        auto count_distinctive = [&](std::size_t p) {
            const char32_t c = items[p].cp;
            if (c != 'a' && c != 'i' && c != 'y' && c != 'o') ++distinctive;
        };
        count_distinctive(i);
        std::size_t last = i;
        std::size_t q = next_letter(i);
        const std::size_t sep_len = q == n ? 0 : q - i - 1;
        while (q != n && q - last - 1 == sep_len &&
               std::equal(items.data() + last + 1, items.data() + q, items.data() + i + 1,
                          [](const item& a, const item& b) { return a.cp == b.cp; })) {
            ++letters;
            count_distinctive(q);
            last = q;
            q = next_letter(q);
        }
        if (letters >= 3 && distinctive >= 2) {
            for (std::size_t m = i; m < last; ++m)
                if (items[m].k != char_kind::letter) items[m].dead = true;
        }
        i = last + 1;
    }
}

// A number with a unit: optional '$', digits, then a unit suffix (or nothing), '$'.
bool is_number_with_unit(const std::vector<item*>& w) {
    const std::size_t n = w.size();
    std::size_t p = 0;
    if (p < n && w[p]->cp == '$') ++p;
    const std::size_t digits_from = p;
    while (p < n && w[p]->k == char_kind::digit) ++p;
    if (p == digits_from) return false;
    char32_t unit_buf[4];
    std::size_t unit_len = 0;
    while (p < n && w[p]->k == char_kind::letter && unit_len < 4) unit_buf[unit_len++] = w[p++]->cp;
    const std::u32string_view unit(unit_buf, unit_len);
    if (p < n && w[p]->cp == '$') ++p;
    return p == n && (unit.size() <= 1 || is_unit_suffix(unit));  // "4b", "3d"
}

// Pass 5: l33t digits and symbols, masks. `w` holds the live items of one word.
void fold_leet_word(std::vector<item*>& w) {
    const std::size_t n = w.size();
    std::size_t letters = 0;
    for (const item* it : w) {
        if (it->k == char_kind::letter) ++letters;
        if (it->k == char_kind::digit && leet_letter(it->cp) == 0) return;  // 2, 6, 8, 9: a code
    }
    if (letters == 0) return;

    if (is_number_with_unit(w)) return;  // "1st", "10am", "4b", "$5k"

    std::size_t first_letter = n, last_letter = 0;
    for (std::size_t p = 0; p < n; ++p) {
        if (w[p]->k == char_kind::letter) {
            first_letter = std::min(first_letter, p);
            last_letter = p;
        }
    }
    // '1' reads as 'l' when next to another '1' ("ki11", "he11": a double l is common,
    // a double i is not), else as 'i'. `left_one`: the previous item was a '1'.
    auto letter_for = [&](std::size_t p, bool left_one) {
        const char32_t c = w[p]->cp;
        if (c == '1' && (left_one || (p + 1 < n && w[p + 1]->cp == '1'))) return 'l';
        return leet_letter(c);
    };
    bool converted = false;
    bool prev_one = false;
    for (std::size_t p = 0; p < n; ++p) {
        item& it = *w[p];
        const bool left_one = prev_one;
        prev_one = it.cp == '1';
        if (it.k == char_kind::letter) continue;
        const bool before = p > first_letter, after = p < last_letter;
        if (is_mask_symbol(it.cp)) {
            if (before && after) it.cp = U'*';
            continue;
        }
        if (p > last_letter) continue;  // trailing: decided below
        if (it.cp == '!' && !(before && after)) continue;
        if (const char c = letter_for(p, left_one)) {
            it.cp = static_cast<unsigned char>(c);
            it.k = char_kind::letter;
            converted = true;
        }
    }
    // Trailing run after the last letter.
    std::size_t trail = 0;
    for (std::size_t p = last_letter + 1; p < n; ++p) {
        if (w[p]->k == char_kind::digit || w[p]->cp == '$' || w[p]->cp == '@')
            ++trail;
        else
            break;
    }
    if (trail == 0) return;
    bool symbols_only = true;
    for (std::size_t p = last_letter + 1; p < last_letter + 1 + trail; ++p)
        if (w[p]->k == char_kind::digit) symbols_only = false;
    if (converted || symbols_only || (trail >= 2 && letters <= 2)) {
        bool left_one = false;
        for (std::size_t p = last_letter + 1; p < last_letter + 1 + trail; ++p) {
            const bool one = w[p]->cp == '1';
            w[p]->cp = static_cast<unsigned char>(letter_for(p, left_one));
            w[p]->k = char_kind::letter;
            left_one = one;
        }
    }
}

// Visits each word holding one of the digits or symbols listed in `at` (ascending).
void fold_leet(std::span<item> items, std::span<const std::uint32_t> at,
               std::vector<item*>& word) {
    const std::size_t n = items.size();
    std::size_t done = 0;  // items before this were visited
    for (const std::uint32_t hint : at) {
        if (hint < done) continue;
        std::size_t from = hint;
        while (from > done && (items[from - 1].dead || in_word(items[from - 1]))) --from;
        std::size_t to = hint + 1;
        while (to < n && (items[to].dead || in_word(items[to]))) ++to;
        done = to;
        word.clear();
        for (std::size_t m = from; m < to; ++m)
            if (!items[m].dead) word.push_back(&items[m]);
        fold_leet_word(word);
    }
}

struct scratch {
    std::vector<item> items;
    std::vector<std::uint32_t> leet_at;
    std::string text;
    std::vector<std::size_t> start;  // the result's type, so copying out is a memcpy
    std::vector<std::size_t> end;
    std::vector<item*> word;
};

}  // namespace

bool is_word_code_point(char32_t cp) {
    if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
                          (cp >= 'A' && cp <= 'Z');
    const cp_class c = class_of_non_ascii(cp);
    return c == fold_table::cls_letter || c == fold_table::cls_digit;
}

bool is_blank(std::string_view s) {
    // normalize() emits something for every code point but spaces, controls, invisible
    // characters and combining marks (a mark with nothing before it is dropped; every fold
    // emits at least one non-space code point), and trims and collapses the spaces.
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t i = 0;
    while (i < s.size()) {
        if (p[i] < 0x80) {
            if (p[i] > 0x20 && p[i] < 0x7F) return false;
            ++i;
            continue;
        }
        char32_t cp = 0;
        const std::size_t len = decode_one(p, s.size(), i, cp);
        if (len == 0) return false;
        const cp_class cls = class_of_non_ascii(cp);
        if (cls != fold_table::cls_space && cls != fold_table::cls_drop && cls != fold_table::cls_mark)
            return false;
        i += len;
    }
    return true;
}

result<normalized_text> normalize(std::string_view utf8) {
    if (utf8.size() > max_input_bytes)
        return status::error(error_kind::invalid_argument, "text_too_long",
                             "text is too long to normalise");
    thread_local scratch tls;
    const std::size_t room = utf8.size() + utf8.size() / 2 + 1;
    if (tls.items.size() < room) {  // grows only; never shrinks
        tls.items.resize(room);
        tls.leet_at.resize(room);
    }

    fold_summary sum;
    if (!decode_and_fold(utf8, tls.items.data(), tls.leet_at.data(), sum))
        return status::error(error_kind::invalid_argument, "invalid_utf8",
                             "text is not valid UTF-8");
    const std::span<item> items(tls.items.data(), sum.items);
    if (sum.homoglyphs) fold_homoglyphs(items);
    join_spaced_letters(items);
    if (sum.leet != 0)
        fold_leet(items, std::span<const std::uint32_t>(tls.leet_at.data(), sum.leet), tls.word);

    // Emit, cutting elongations on the way (pass 6): the third and later letters of a run
    // are not emitted and their range goes to the second. Written into per-thread buffers
    // without checks, then copied once into the result.
    if (tls.text.size() < 4 * sum.items) tls.text.resize(4 * sum.items);
    if (tls.start.size() < sum.items) {
        tls.start.resize(sum.items);
        tls.end.resize(sum.items);
    }
    char* text = tls.text.data();
    std::size_t* start = tls.start.data();
    std::size_t* end = tls.end.data();
    std::size_t bytes = 0;
    std::size_t m = 0;
    char32_t prev = 0;
    bool prev_letter = false;
    std::size_t run = 0;
    for (const item& it : items) {
        if (it.dead) continue;
        const bool letter = it.k == char_kind::letter;
        if (letter && prev_letter && it.cp == prev) {
            if (++run >= 3) {
                end[m - 1] = it.end;
                continue;
            }
        } else {
            run = 1;
        }
        prev = it.cp;
        prev_letter = letter;
        bytes += encode_utf8(text + bytes, it.cp);
        start[m] = it.start;
        end[m] = it.end;
        ++m;
    }
    // Trim a trailing space (leading ones were never written; runs were collapsed).
    if (m > 0 && text[bytes - 1] == ' ') {
        --bytes;
        --m;
    }
    normalized_text out;
    out.original_length = sum.count;
    out.text.assign(text, bytes);
    out.start.assign(start, start + m);
    out.end.assign(end, end + m);
    return out;
}

}  // namespace tribune
