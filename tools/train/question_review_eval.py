#!/usr/bin/env python3
"""Measures how many ordinary questions of the held-out split a model sends to review: the
cost a moderator pays in a triage flood for every genuine question that crosses a review line.

    tools/train/question_review_eval.py --bin build/release/tribune --model models/toxicity.tlm \
        --dataset build/model/train-work/dataset.tsv [--card models/MODEL_CARD.md] [--half report]

The held-out set is built from the trainer's validation split (tools/train/prepare_data.py's
output; never from training rows): a row is a *genuine question* when its toxicity label is 0,
no attribute is 1, and it asks something (TREC questions, or tweets and comments whose last
substantive sentence is interrogative, the rule of tools/train/prepare_questions.py); a
*hostile question* when it asks something and any attribute is 1. --half picks the report
half (default; the trainer only measures it), the calibration half or both.

Review lines: the shipped triage defaults parsed from core/triage/triage_policy.cpp, or, with
--card, the lines the defaults rule derives from that card's thresholds (review_above rounded
down to two decimals; threat and severe_toxicity keep the policy's floors when those are
higher). Prints, per language: genuine questions sent to review (any attribute, and per
attribute), genuine questions with toxicity >= 0.5, and the share of hostile questions that
reach review (so a model cannot look better by flagging nothing).
Python standard library only.
"""
import argparse
import bisect
import json
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import prepare_questions  # noqa: E402

ATTRS = ["toxicity", "severe_toxicity", "insult", "profanity", "threat", "identity_attack"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLOORED = ("threat", "severe_toxicity")


def policy_lines(path):
    text = open(path, encoding="utf-8").read()
    lines = {}
    for attr, review in re.findall(r"p\.at\(attribute::(\w+)\)\s*=\s*\{([0-9.]+)f", text):
        lines[attr] = float(review)
    missing = [a for a in ATTRS if a not in lines]
    if missing:
        sys.exit(f"question_review_eval: no review line for {missing} in {path}")
    return lines


def card_lines(path, policy):
    lines = {}
    for line in open(path, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0] in ATTRS and re.match(r"^[0-9.]+$", cells[5]):
            review = math.floor(float(cells[5]) * 100 + 1e-6) / 100
            if cells[0] in FLOORED:
                review = max(review, policy[cells[0]])
            lines[cells[0]] = review
    if len(lines) != len(ATTRS):
        sys.exit(f"question_review_eval: no thresholds table in {path}")
    return lines


def in_calibration_half(key):
    c = key[-1:] if key else "0"
    return int(c, 16) % 2 == 0 if c in "0123456789abcdef" else True


def load_rows(path, half):
    genuine, hostile = [], []
    for line in open(path, encoding="utf-8"):
        key, split, lang, sources, labels, _spans, text = line.rstrip("\n").split("\t", 6)
        if split != "valid":
            continue
        cal = in_calibration_half(key)
        if (half == "report" and cal) or (half == "calibration" and not cal):
            continue
        asks = "trec_questions" in sources or prepare_questions.label_social(text, lang) == 1
        if not asks:
            continue
        if "1" in labels:
            hostile.append((lang, text, sources))
        elif labels[0] == "0":
            genuine.append((lang, text, sources))
    return genuine, hostile


def score(binary, model, rows):
    feed = "".join(json.dumps({"text": t}) + "\n" for _, t, _ in rows)
    out = subprocess.run([binary, "classify", "--model", model], input=feed, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    if len(out) != len(rows):
        sys.exit(f"question_review_eval: {len(out)} answers for {len(rows)} texts")
    return [json.loads(o)["scores"] for o in out]


def subset(rows, group):
    """Indices of the rows in `group`: all, en, fr, or trec (TREC questions only)."""
    if group == "trec":
        return [i for i, r in enumerate(rows) if "trec_questions" in r[2]]
    return [i for i, r in enumerate(rows) if group == "all" or r[0] == group]


def report(name, rows, scores, lines):
    for lang in ("all", "en", "fr", "trec"):
        idx = subset(rows, lang)
        if not idx:
            continue
        per = {a: sum(1 for i in idx if scores[i][a] >= lines[a]) for a in ATTRS}
        any_ = sum(1 for i in idx if any(scores[i][a] >= lines[a] for a in ATTRS))
        tox5 = sum(1 for i in idx if scores[i]["toxicity"] >= 0.5)
        n = len(idx)
        print(f"{name} {lang}: n {n}, to review {any_} ({100 * any_ / n:.1f}%), toxicity>=0.5 {tox5} "
              f"({100 * tox5 / n:.1f}%); by attribute " + " ".join(f"{a} {per[a]}" for a in ATTRS))


def margin_auc(genuine_scores, hostile_scores, lines):
    """ROC-AUC of the largest margin over the review lines (score - line), hostile questions
    against genuine ones: how well the model tells them apart whatever the lines."""
    def margin(sc):
        return max(sc[x] - lines[x] for x in ATTRS)
    g = sorted(margin(x) for x in genuine_scores)
    wins = 0.0
    for v in (margin(x) for x in hostile_scores):
        lo, hi = bisect.bisect_left(g, v), bisect.bisect_right(g, v)
        wins += lo + 0.5 * (hi - lo)
    return wins / (len(g) * len(hostile_scores))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build/release/tribune"))
    ap.add_argument("--model", default=os.path.join(ROOT, "models/toxicity.tlm"))
    ap.add_argument("--dataset", default=os.path.join(ROOT, "build/model/train-work/dataset.tsv"))
    ap.add_argument("--policy", default=os.path.join(ROOT, "core/triage/triage_policy.cpp"))
    ap.add_argument("--card", help="derive the review lines from this card's thresholds")
    ap.add_argument("--half", choices=["report", "calibration", "both"], default="report")
    ap.add_argument("--show", type=int, default=0, help="print the N highest-scoring genuine questions")
    a = ap.parse_args()
    lines = policy_lines(a.policy)
    if a.card:
        lines = card_lines(a.card, lines)
    print("review lines: " + " ".join(f"{k} {lines[k]:.2f}" for k in ATTRS))
    genuine, hostile = load_rows(a.dataset, a.half)
    gs, hs = score(a.bin, a.model, genuine), score(a.bin, a.model, hostile)
    report("genuine questions", genuine, gs, lines)
    for lang in ("all", "en", "fr"):
        idx = subset(hostile, lang)
        if idx:
            hit = sum(1 for i in idx if any(hs[i][x] >= lines[x] for x in ATTRS))
            print(f"hostile questions {lang}: n {len(idx)}, to review {hit} ({100 * hit / len(idx):.1f}%)")
    print(f"hostile vs genuine questions ROC-AUC (largest margin over the lines): {margin_auc(gs, hs, lines):.3f}")
    if a.show:
        worst = sorted(range(len(genuine)), key=lambda i: -max(gs[i][x] - lines[x] for x in ATTRS))
        for i in worst[:a.show]:
            top = max(ATTRS, key=lambda x: gs[i][x] - lines[x])
            print(f"  {top} {gs[i][top]:.3f}  {genuine[i][1][:120]}")


if __name__ == "__main__":
    main()
