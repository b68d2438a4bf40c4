#!/usr/bin/env python3
"""Reads ../shared/data (or $TRIBUNE_DATA_DIR), maps every set's labels onto Tribune's six
attributes with missing labels masked, deduplicates across sets, assigns a fixed seeded
train/validation split, and writes one TSV the C++ trainer reads.

Python standard library only. Every reading quirk follows ../shared/data/SOURCES.md.

Output columns (tab-separated, one example a line, no header):
  key  split  lang  sources  labels  spans  text
  labels: six characters in attribute order toxicity, severe_toxicity, insult, profanity,
          threat, identity_attack; '1' positive, '0' negative, '-' masked (unknown).
  spans:  toxic_spans2021 gold character offsets as a JSON list, or '' for other sets.
  text:   tabs, CR and LF replaced by one space each (so character offsets stay valid).
"""
import csv
import glob
import hashlib
import html
import json
import os
import re
import sys
import unicodedata

import counter_data

ATTRS = ["toxicity", "severe_toxicity", "insult", "profanity", "threat", "identity_attack"]
SPLIT_SEED = "tribune-split-v1"
VALIDATION_PERCENT = 15

csv.field_size_limit(1 << 30)


def log(msg):
    print(f"[prepare] {msg}", file=sys.stderr, flush=True)


def lab(**kw):
    """Labels as a dict attr -> 0/1; attributes not named stay masked."""
    return {k: v for k, v in kw.items()}


def all_neg():
    return {a: 0 for a in ATTRS}


MENTION = re.compile(r"@\w+:?")
URL = re.compile(r"https?://\S+|www\.\S+|\bURL\b|@url")
RT = re.compile(r"^\s*(?:!+\s*)?RT\b:?\s*|\bRT\s+(?=@)")


def clean_social(text):
    """Removes Twitter artefacts that identify a data set rather than toxicity:
    mentions, links, RT markers, HTML entities, hashtag signs."""
    text = html.unescape(html.unescape(text))
    text = URL.sub(" ", text)
    text = RT.sub(" ", text)
    text = MENTION.sub(" ", text)
    text = text.replace("#", " ")
    return " ".join(text.split())


def flat(text):
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def dedup_key(text):
    t = unicodedata.normalize("NFKD", text.casefold())
    t = "".join(c for c in t if c.isalnum())
    return t


class Collector:
    def __init__(self):
        self.items = []

    def add(self, source, lang, text, labels, spans=None, group=None):
        if not text or not text.strip():
            return
        self.items.append(dict(source=source, lang=lang, text=text, labels=labels,
                               spans=spans, group=group))


def read_davidson(d, out):
    with open(os.path.join(d, "davidson2017/labeled_data.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            c = int(row["class"])
            t = clean_social(row["tweet"])
            if c == 0:
                out.add("davidson2017", "en", t, lab(toxicity=1, identity_attack=1))
            elif c == 1:   # offensive, not hate: the annotators' majority said no group attack
                out.add("davidson2017", "en", t, lab(toxicity=1, identity_attack=0))
            else:
                out.add("davidson2017", "en", t, all_neg())


def read_olid(d, out):
    with open(os.path.join(d, "olid2019/olid-training-v1.0.tsv"), encoding="utf-8", newline="") as f:
        r = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(r)
        for row in r:
            _, tweet, a, b, c = row[:5]
            t = clean_social(tweet)
            if a == "NOT":
                out.add("olid2019", "en", t, all_neg())
            elif b == "UNT":   # untargeted: profanity aimed at nobody
                out.add("olid2019", "en", t, lab(toxicity=1, profanity=1, insult=0, identity_attack=0))
            elif c == "IND":   # targeted insult at a person
                out.add("olid2019", "en", t, lab(toxicity=1, insult=1, identity_attack=0))
            elif c == "GRP":   # targeted at a group
                out.add("olid2019", "en", t, lab(toxicity=1, identity_attack=1))
            else:              # OTH or missing
                out.add("olid2019", "en", t, lab(toxicity=1, identity_attack=0))


def read_spans(d, out):
    for name in ["tsd_train.csv", "tsd_trial.csv"]:
        with open(os.path.join(d, "toxic_spans2021", name), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                spans = json.loads(row["spans"])
                # every post is toxic; flattening keeps offsets (one char for one char)
                out.add("toxic_spans2021", "en", flat(row["text"]), lab(toxicity=1), spans=spans)


def read_mlma(d, out):
    with open(os.path.join(d, "mlma_fr/fr_dataset.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            tags = set(row["sentiment"].split("_"))
            t = clean_social(row["tweet"])
            if tags == {"normal"}:
                out.add("mlma_fr", "fr", t, all_neg())
            elif "hateful" in tags:
                out.add("mlma_fr", "fr", t, lab(toxicity=1, identity_attack=1))
            else:
                out.add("mlma_fr", "fr", t, lab(toxicity=1))


def read_ftr(d, out):
    with open(os.path.join(d, "ftr_fr/FTR_new_labels.csv"), "rb") as f:
        data = f.read().decode("utf-8", errors="replace").replace("\r\n", "\n")
    for row in csv.DictReader(data.splitlines(keepends=True)):
        t = clean_social(row["tweet"].replace("\ufffd", ""))
        if row["label"].strip() == "1":
            out.add("ftr_fr", "fr", t, lab(toxicity=1, identity_attack=1))
        else:   # not racist: may still be offensive, so only the identity label is known
            out.add("ftr_fr", "fr", t, lab(identity_attack=0))


def read_trec(d, out):
    with open(os.path.join(d, "trec_questions/train_5500.label"), encoding="iso-8859-1") as f:
        for line in f:
            parts = line.rstrip("\n").split(" ", 1)
            if len(parts) == 2:
                q = parts[1].replace(" ?", "?").replace(" ,", ",").replace(" 's", "'s")
                out.add("trec_questions", "en", " ".join(q.split()), all_neg())


JIGSAW_MAP = [("toxic", "toxicity"), ("severe_toxic", "severe_toxicity"), ("obscene", "profanity"),
              ("threat", "threat"), ("insult", "insult"), ("identity_hate", "identity_attack")]


def jigsaw_labels(row):
    l = {attr: int(row[col]) for col, attr in JIGSAW_MAP}
    # Jigsaw's raters voted on each label separately: about 2% of rows are not "toxic"
    # but are obscene, insulting... Overall toxicity is then unknown, not negative.
    if l["toxicity"] == 0 and any(v == 1 for a, v in l.items() if a != "toxicity"):
        del l["toxicity"]
    return l


def read_jigsaw(d, out):
    seen = set()
    for path in sorted(glob.glob(os.path.join(d, "jigsaw_subset", "*.csv"))):
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                if row["id"] in seen:
                    continue
                seen.add(row["id"])
                out.add("jigsaw_subset", "en", flat(row["comment_text"]).strip(),
                        jigsaw_labels(row), group="jigsaw:" + row["id"])
    with open(os.path.join(d, "jigsaw_fr_mt/subset_jigsaw.csv"), encoding="utf-8", newline="") as f:
        fr_seen = set()
        for row in csv.DictReader(f):
            if row["msg_id"] in fr_seen:
                continue
            fr_seen.add(row["msg_id"])
            g = "jigsaw:" + row["msg_id"]
            out.add("jigsaw_fr_mt", "fr", flat(row["content"]).strip(), jigsaw_labels(row), group=g)
            if row["msg_id"] not in seen:   # the English original, once across both sets
                seen.add(row["msg_id"])
                out.add("jigsaw_fr_mt", "en", flat(row["original_text"]).strip(), jigsaw_labels(row), group=g)


def read_implicit(d, out):
    threat = {}
    with open(os.path.join(d, "implicit_hate2021/implicit_hate_v1_stg2_posts.tsv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            cls = {row["implicit_class"], row.get("extra_implicit_class") or ""}
            threat[row["post"]] = 1 if "threatening" in cls else 0
    with open(os.path.join(d, "implicit_hate2021/implicit_hate_v1_stg1_posts.tsv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            t = clean_social(row["post"].replace('""', '"').strip(' "'))
            c = row["class"]
            if c == "not_hate":
                out.add("implicit_hate2021", "en", t, lab(identity_attack=0))
            else:
                l = lab(toxicity=1, identity_attack=1)
                if c == "implicit_hate" and row["post"] in threat:
                    l["threat"] = threat[row["post"]]
                out.add("implicit_hate2021", "en", t, l)


def read_toxigen(d, out):
    base = os.path.join(d, "toxigen_seeds")
    files = sorted(glob.glob(os.path.join(base, "prompts", "*.txt")) +
                   glob.glob(os.path.join(base, "demonstrations", "*", "*.txt")))
    seen = set()
    for path in files:
        name = os.path.basename(path)
        hate = name.startswith("hate_")
        if not hate and not name.startswith("neutral_"):
            continue
        with open(path, encoding="utf-8") as f:
            raw = f.read()
        sentences = []
        for line in raw.split("\n"):
            for part in line.split("\\n"):
                part = part.strip()
                if part.startswith("- "):
                    part = part[2:]
                elif part == "-":
                    part = ""
                part = part.strip()
                if part:
                    sentences.append(part)
        for s in sentences:
            if s in seen:
                continue
            seen.add(s)
            out.add("toxigen_seeds", "en", s, lab(toxicity=1, identity_attack=1) if hate else all_neg())


def read_stormfront(d, out):
    with open(os.path.join(d, "stormfront_hate2018/sentences.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["label"] == "hate":
                out.add("stormfront_hate2018", "en", row["text"], lab(toxicity=1, identity_attack=1))
            elif row["label"] == "noHate":   # hard negatives for hate; toxicity unknown
                out.add("stormfront_hate2018", "en", row["text"], lab(identity_attack=0))


def read_hatemoji(d, out):
    for name in ["train.csv", "validation.csv", "test.csv"]:
        with open(os.path.join(d, "hatemojibuild2022", name), encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                t = flat(row["text"])
                if row["label_gold"].strip() == "1":
                    l = lab(toxicity=1, identity_attack=1)
                    if row["type"] == "threateninglanguage":
                        l["threat"] = 1
                    out.add("hatemojibuild2022", "en", t, l)
                else:
                    out.add("hatemojibuild2022", "en", t, lab(identity_attack=0))


def read_crowdcounter(d, out):
    with open(os.path.join(d, "crowdcounter2024/Final_Dataset.json"), encoding="utf-8") as f:
        data = json.load(f)
    for key in sorted(data, key=lambda k: int(k) if k.isdigit() else k):
        v = data[key]
        out.add("crowdcounter2024", "en", flat(v["post"]), lab(toxicity=1, identity_attack=1))
        for w in sorted(v["counterspeech_post"]):
            # counter-speech rejects the hate it answers (some quote it); about 100 replies
            # insult the poster, so only "not an identity attack" is known.
            out.add("crowdcounter2024", "en", flat(v["counterspeech_post"][w]["counterspeech"]),
                    lab(identity_attack=0))


def read_toxifrench(d, out):
    with open(os.path.join(d, "toxifrench_fr/ToxiFrenchBalanced.csv"), encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            t = flat(row["content"]).strip()
            out.add("toxifrench_fr", "fr", t, lab(toxicity=1) if row["label"].strip() == "1" else all_neg())


READERS = [read_davidson, read_olid, read_spans, read_mlma, read_ftr, read_trec, read_jigsaw,
           read_implicit, read_toxigen, read_stormfront, read_hatemoji, read_crowdcounter,
           read_toxifrench]


def split_of(group):
    h = hashlib.sha256((SPLIT_SEED + "\0" + group).encode("utf-8")).digest()
    return "valid" if int.from_bytes(h[:8], "big") % 100 < VALIDATION_PERCENT else "train"


def data_arguments(name):
    """(data_dir, out_path) from the command line, or an exit code (2: usage, 1: no data set)."""
    if len(sys.argv) != 3:
        print(f"usage: {name}.py DATA_DIR OUT.tsv", file=sys.stderr)
        return 2
    data_dir, out_path = sys.argv[1], sys.argv[2]
    if not os.path.isfile(os.path.join(data_dir, "SOURCES.md")):
        print(f"{name}: no data set at {data_dir} (SOURCES.md missing)", file=sys.stderr)
        return 1
    return data_dir, out_path


def read_all(data_dir):
    """Every set's examples, read by READERS into one Collector."""
    col = Collector()
    for reader in READERS:
        before = len(col.items)
        reader(data_dir, col)
        log(f"{reader.__name__[5:]:<14} {len(col.items) - before:>6} examples")
    return col


def main():
    args = data_arguments("prepare_data")
    if isinstance(args, int):
        return args
    data_dir, out_path = args
    col = read_all(data_dir)

    merged = {}
    order = []
    conflicts = 0
    for it in col.items:
        k = dedup_key(it["text"])
        if len(k) < 2:
            continue
        if k not in merged:
            merged[k] = dict(it, sources={it["source"]}, labels=dict(it["labels"]),
                             group=it["group"] or ("text:" + k))
            order.append(k)
            continue
        m = merged[k]
        m["sources"].add(it["source"])
        if it["spans"] is not None and m["spans"] is None:
            m["spans"] = it["spans"]
            m["text"] = it["text"]
        for a, v in it["labels"].items():
            old = m["labels"].get(a)
            if old is None:
                m["labels"][a] = v
            elif old != v and old != -1:
                m["labels"][a] = -1   # disagreement between sets: mask
                conflicts += 1
    log(f"{len(col.items)} examples read, {len(order)} after deduplication, {conflicts} label conflicts masked")

    counts = {"train": 0, "valid": 0}
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        for k in order:
            m = merged[k]
            split = split_of(m["group"])
            counts[split] += 1
            labels = "".join("-" if m["labels"].get(a, -1) == -1 else str(m["labels"][a]) for a in ATTRS)
            spans = json.dumps(m["spans"], separators=(",", ":")) if m["spans"] is not None else ""
            text = flat(m["text"])
            f.write("\t".join([hashlib.sha1(k.encode()).hexdigest()[:16], split, m["lang"],
                               ",".join(sorted(m["sources"])), labels, spans, text]) + "\n")
        added = write_counter_data(f, merged)
    log(f"split: {counts['train']} train, {counts['valid']} validation (seeded hash, {VALIDATION_PERCENT}%)")
    log(f"counter-data templates (tools/train/counter_data.py): {added} train-only examples")
    return 0


def write_counter_data(f, merged):
    """Appends the counter-data templates as train-only rows (after every real example,
    so the real examples' rows and split are unchanged). Texts that collide with a real
    example or with each other are skipped."""
    seen = set(merged)
    added = 0
    for lang, text, labels in counter_data.generate():
        k = dedup_key(text)
        if len(k) < 2 or k in seen:
            continue
        seen.add(k)
        row = "".join("-" if a not in labels else str(labels[a]) for a in ATTRS)
        f.write("\t".join([hashlib.sha1(k.encode()).hexdigest()[:16], "train", lang, "tribune_counter_data",
                           row, "", flat(text)]) + "\n")
        added += 1
    return added


if __name__ == "__main__":
    sys.exit(main())
