#!/usr/bin/env python3
"""Generates core/text/text_fold_table.hpp: the Unicode tables behind core/text/text_normalizer.cpp.

Run: python3 scripts/gen-fold-table.py > core/text/text_fold_table.hpp
The output depends on Python's unicodedata version (recorded in the header). ASCII is
handled in code; these tables cover code points >= U+0080.
"""
import re
import sys
import unicodedata as ud

MAX = 0x110000

SPACE, DROP, MARK, LETTER, DIGIT, PUNCT = range(6)
CLASS_NAMES = ["space", "drop", "mark", "letter", "digit", "punct"]

EXTRA_DROP = {0x115F, 0x1160, 0x3164, 0xFFA0, 0x034F}
EXTRA_SPACE = {0x2800}  # braille blank renders as a space

# Letters without a decomposition whose ASCII reading a reader would give.
MANUAL = {
    "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i",
    "ħ": "h", "ŧ": "t", "ĸ": "k", "ŋ": "n", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i",
    "ʀ": "r", "ʏ": "y", "ɴ": "n", "ʜ": "h", "ʟ": "l", "ɢ": "g", "ʙ": "b", "ſ": "s",
    "ƒ": "f", "ɾ": "r", "ɛ": "e", "ɔ": "o", "ʋ": "v", "ƿ": "w", "ȣ": "ou",
}

# Look-alikes of Latin letters, keyed by the original (cased) code point: the case
# matters because Greek capital Eta looks like H but small eta looks like n.
HOMOGLYPH = {
    # Cyrillic capitals
    "А": "a", "В": "b", "Е": "e", "Ѕ": "s", "І": "i", "Ј": "j", "К": "k", "М": "m",
    "Н": "h", "О": "o", "Р": "p", "С": "c", "Т": "t", "У": "y", "Х": "x", "Ү": "y",
    "Ѵ": "v", "Ԛ": "q", "Ԝ": "w", "Ӏ": "l", "Һ": "h", "Ԁ": "d", "Ь": "b",
    # Cyrillic small
    "а": "a", "в": "b", "е": "e", "ѕ": "s", "і": "i", "ј": "j", "к": "k", "м": "m",
    "н": "h", "о": "o", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ү": "y",
    "ѵ": "v", "ԛ": "q", "ԝ": "w", "ӏ": "l", "һ": "h", "ԁ": "d", "ь": "b", "п": "n",
    "г": "r",
    # Greek capitals
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m",
    "Ν": "n", "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x", "Ϲ": "c", "Ϳ": "j",
    # Greek small
    "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ϲ": "c", "ϳ": "j",
    "μ": "u", "ς": "s",
}

# Punctuation folded to its ASCII reading so "c’est" and "c'est" agree.
PUNCT_FOLD = {}
for c in "‘’‚‛′`´": PUNCT_FOLD[c] = "'"
for c in "“”„‟″": PUNCT_FOLD[c] = '"'
for c in "‐‑‒–—―−": PUNCT_FOLD[c] = "-"


def strip_marks(s):
    return "".join(ch for ch in ud.normalize("NFKD", s) if not ud.category(ch).startswith("M"))


NAME_RE = re.compile(r"^LATIN (?:SMALL|CAPITAL) (?:LETTER|LIGATURE) ([A-Z]{1,2})(?: WITH .*)?$")
SMALLCAP_RE = re.compile(r"^LATIN LETTER SMALL CAPITAL ([A-Z])$")


def is_ascii_alnum(s):
    return s != "" and all(ord(ch) < 128 and ch.isalnum() for ch in s)


def classify(cp):
    c = chr(cp)
    cat = ud.category(c)
    if cp in EXTRA_DROP:
        return DROP, None
    if cp in EXTRA_SPACE or c.isspace() or cat in ("Zs", "Zl", "Zp"):
        return SPACE, None
    if cat in ("Cf", "Cc"):
        return DROP, None
    if cat in ("Cs", "Co", "Cn"):
        return LETTER, None  # surrogates are rejected earlier; unassigned: treat as letters
    if cat.startswith("M"):
        return MARK, None
    if cat.startswith("P") or cat.startswith("S"):
        if c in PUNCT_FOLD:
            return PUNCT, PUNCT_FOLD[c]
        k = strip_marks(c).casefold()
        if cat == "So" and is_ascii_alnum(k) and len(k) == 1:  # circled letters
            return (DIGIT if k.isdigit() else LETTER), k
        if len(k) == 1 and 0x20 < ord(k) < 0x7F and not k.isalnum() and k != c:  # fullwidth punct
            return PUNCT, k
        return PUNCT, None
    # letters and numbers
    k = strip_marks(c).casefold()
    k = strip_marks(k)
    out = None
    if is_ascii_alnum(k) and len(k) <= 3:
        out = k
    elif c.lower() in MANUAL:
        out = MANUAL[c.lower()]
    elif k in MANUAL:
        out = MANUAL[k]
    else:
        name = ud.name(c, "")
        m = NAME_RE.match(name) or SMALLCAP_RE.match(name)
        if m:
            out = m.group(1).lower()
        else:
            # other scripts: case folded, canonical marks stripped, recomposed
            t = ud.normalize("NFC", "".join(
                ch for ch in ud.normalize("NFD", c.casefold()) if not ud.category(ch).startswith("M")))
            if t and t != c and len(t) <= 3 and all(ord(ch) < 0x10000 for ch in t):
                out = t
    if out is not None and out.isdigit():
        return DIGIT, out
    if cat == "Nd" and out is None:
        return LETTER, None  # non-Latin digits act as word characters
    return LETTER, out


def main():
    ranges = []  # (lo, hi, cls)
    folds = []  # (cp, out, homoglyph)
    for cp in range(0x80, MAX):
        if 0xD800 <= cp <= 0xDFFF:
            cls, out = LETTER, None
        else:
            cls, out = classify(cp)
        if ranges and ranges[-1][2] == cls and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp, cls])
        c = chr(cp)
        h = HOMOGLYPH.get(c)
        if h is None and cls == LETTER:
            base = "".join(ch for ch in ud.normalize("NFD", c) if not ud.category(ch).startswith("M"))
            if len(base) == 1 and base != c and base in HOMOGLYPH:
                h = HOMOGLYPH[base]
        if out == c:
            out = None
        if out is not None or h is not None:
            folds.append((cp, out if out is not None else c, h))
    # Merge adjacent letter/digit/punct ranges? No: classes differ. Emit as is.
    w = sys.stdout.write
    w("#pragma once\n")
    w("// GENERATED by scripts/gen-fold-table.py from Unicode %s (Python unicodedata). Do not edit.\n" % ud.unidata_version)
    w("// Over 500 lines because it is generated data, one table entry per line.\n")
    w("// Tables for core/text/text_normalizer.cpp only: the class of every code point >= U+0080\n")
    w("// (as sorted ranges) and, for code points that fold to something else, the folded\n")
    w("// lowercase form without diacritics (at most 3 UTF-16 units, all in the BMP) and the\n")
    w("// Latin letter it imitates, if any.\n")
    w("//\n// Thread safety: constant data.\n\n")
    w("#include <cstdint>\n\nnamespace tribune::fold_table {\n\n")
    w("enum cp_class : std::uint8_t { %s };\n\n" % ", ".join("cls_" + n for n in CLASS_NAMES))
    w("struct class_range {\n    char32_t lo;\n    char32_t hi;\n    cp_class cls;\n};\n\n")
    w("inline constexpr class_range class_ranges[] = {\n")
    for lo, hi, cls in ranges:
        w("    {0x%X, 0x%X, cls_%s},\n" % (lo, hi, CLASS_NAMES[cls]))
    w("};\n\n")
    w("struct fold_entry {\n    char32_t cp;\n    char16_t out[3];  // zero-padded\n    char homoglyph;   // 0 when none\n};\n\n")
    w("inline constexpr fold_entry folds[] = {\n")
    for cp, out, h in folds:
        units = [ord(ch) for ch in out]
        assert 1 <= len(units) <= 3 and all(u < 0x10000 for u in units), (hex(cp), out)
        units += [0] * (3 - len(units))
        w("    {0x%X, {0x%X, 0x%X, 0x%X}, %s},\n" % (cp, units[0], units[1], units[2], ("'%s'" % h) if h else "0"))
    w("};\n\n}  // namespace tribune::fold_table\n")
    print("ranges=%d folds=%d" % (len(ranges), len(folds)), file=sys.stderr)


main()
