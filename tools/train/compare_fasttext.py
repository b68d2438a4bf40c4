#!/usr/bin/env python3
"""Measures libfasttext (the `fasttext` CLI from Debian) on the same data, features and
split as Tribune's own model, to check the choice of model honestly.

fastText's supervised losses read an absent label as negative, so each attribute gets
its own binary fastText model trained only on the examples where that label is known
(masking by construction), on the same normalised tokens.

  build/model/tools/train/train_model --data build/model/train-work/dataset.tsv \
      --model /dev/null --dump-tokens /tmp/tokens.tsv
  tools/train/compare_fasttext.py /tmp/tokens.tsv toxicity identity_attack insult

Needs Debian's `fasttext` command-line tool, which nothing else in Tribune uses: this script
installs it (apt-get, as root or with sudo) when it is missing.
"""
import os
import shutil
import subprocess
import sys
import tempfile

ATTR = ["toxicity", "severe_toxicity", "insult", "profanity", "threat", "identity_attack"]
PARAMS = ["-wordNgrams", "2", "-minn", "3", "-maxn", "5", "-epoch", "10", "-lr", "0.5", "-dim", "50",
          "-bucket", "524288", "-thread", "1", "-seed", "1", "-verbose", "0"]


def ensure_fasttext_cli():
    """Installs Debian's fasttext package (the CLI only this comparison uses) when missing."""
    if shutil.which("fasttext"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("compare_fasttext: installing Debian's fasttext CLI", file=sys.stderr)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "fasttext"],
                   check=True)


def auc(pairs):
    pairs = sorted(pairs, key=lambda x: x[0])
    pos = sum(y for _, y in pairs)
    neg = len(pairs) - pos
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        rank_sum += (i + j + 1) / 2 * sum(pairs[k][1] for k in range(i, j))
        i = j
    return (rank_sum - pos * (pos + 1) / 2) / (pos * neg)


def main():
    ensure_fasttext_cli()
    rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")]
    work = tempfile.mkdtemp()
    train_txt, valid_txt, model = (os.path.join(work, n) for n in ("train.txt", "valid.txt", "model"))
    for name in sys.argv[2:]:
        k = ATTR.index(name)
        tr = [(r[2], r[1][k]) for r in rows if r[0] == "train" and r[1][k] != "-"]
        va = [(r[2], r[1][k]) for r in rows if r[0] == "valid" and r[1][k] != "-"]
        with open(train_txt, "w", encoding="utf-8") as f:
            for t, y in tr:
                f.write(f"__label__{y} {t}\n")
        with open(valid_txt, "w", encoding="utf-8") as f:
            for t, _ in va:
                f.write(f"{t}\n")
        subprocess.run(["fasttext", "supervised", "-input", train_txt, "-output", model] + PARAMS, check=True)
        out = subprocess.run(["fasttext", "predict-prob", model + ".bin", valid_txt, "2"],
                             capture_output=True, text=True, check=True).stdout.splitlines()
        pairs = []
        for line, (_, y) in zip(out, va):
            p = line.split()
            d = dict(zip(p[0::2], map(float, p[1::2])))
            pairs.append((d.get("__label__1", 1 - d.get("__label__0", 0.0)), int(y)))
        print(f"fastText binary {name}: validation ROC-AUC {auc(pairs):.3f} on {len(va)} examples", flush=True)


if __name__ == "__main__":
    main()
