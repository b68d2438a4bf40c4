#!/usr/bin/env python3
"""Builds the training and validation data of Tribune's "is it a question?" detector
(models/question.tlm) from ../shared/data, and writes one TSV the C++ trainer
(tools/train/train_question.cpp) reads.

Python standard library only; deterministic. Hostile or not does not matter here: only
"does this text ask something" versus statements, slogans and rants.

What counts as a question (the label), per text:
  * TREC questions (trec_questions): all questions.
  * Every other set's texts (tweets, comments, forum sentences; English and French): the
    text asks something when its last substantive sentence is interrogative. Sentences are
    cut after '.', '!', '?' (and line ends); a sentence that is only courtesy ("thanks",
    "merci", "lol", emoji) is not substantive. A sentence is interrogative when it ends with
    '?', or when it opens like a question (an interrogative word, an auxiliary verb, or a
    French inversion such as "pensez-vous") and does not end with '!'. So "Why? Because
    they are lazy." is a statement that contains a '?', and "what time does it start" is a
    question without one.
  * Templates written here (train only): polite questions and requests an audience asks in
    English and French (positive), and statements, thanks, slogans and rants (negative).
  * Question-mark-free copies (train and validation, in the split of their original): a
    fixed 40% of the TREC questions and of the interrogative-opening questions of the
    other sets also appear without their final '?', still labelled questions, so the
    model cannot lean on '?' alone.

Examples are deduplicated on a case- and accent-folded alphanumeric key plus the presence
of '?', and split with SHA-256("tribune-question-split-v1", key) mod 100 < 15 for
validation (a question-mark-free copy follows its original).

Output columns (tab-separated, one example a line, no header):
  key  split  lang  source  kind  label  text
  kind: how the label was made: trec, trec_noq, social, social_noq, template.
"""
import hashlib
import re
import sys

import counter_data
import prepare_data

SPLIT_SEED = "tribune-question-split-v1"
VALIDATION_PERCENT = 15
NO_QMARK_PERCENT = 40

AUX_EN = set("""is are was were do does did can could will would should shall may might have has had am
isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't wouldn't shouldn't haven't hasn't
isnt arent wasnt werent dont doesnt didnt cant couldnt wont wouldnt shouldnt havent hasnt""".split())
WH_EN = set("what why how who whom whose where when which".split())
WH_AUX_EN = set("what's whats how's who's where's when's why's whos wheres hows".split())
SUBJECT_EN = set("""i you we they he she it u ya y'all yall anyone anybody someone somebody anything
the this that these those there my your our his her their people everyone""".split())
WH_FR_ALWAYS = set("pourquoi combien comment où qui".split())
FR_INVERSION = re.compile(r"^[\w']+-(?:t-)?(?:je|tu|il|elle|on|nous|vous|ils|elles)$")
COURTESY = re.compile(r"^(?:thanks?( you)?( so much)?|thx|ty|merci( beaucoup)?|cheers|please|lol|lmao|haha+|mdr|"
                      r"ok|okay|bravo|great talk|good luck|bonne journée|cordialement)$")
SENTENCE = re.compile(r"[^.!?\n]+[.!?]*|[.!?]+")
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def sentences(text):
    """The text's sentences with their terminators, substantive ones only."""
    out = []
    for m in SENTENCE.finditer(text):
        s = m.group(0).strip()
        body = re.sub(r"[^\w\s'-]", " ", s.lower()).strip()
        body = " ".join(body.split())
        if not LETTERS.search(s) and "?" not in s:
            continue  # emoji, numbers, punctuation alone
        if COURTESY.match(body) or ("?" not in s and len(body.split()) <= 2):
            continue  # courtesy and interjections ("Genius.", "NO...", "Thanks!")
        out.append(s)
    return out


def words_of(sentence):
    return [w.replace("’", "'") for w in re.findall(r"[^\W\d_][\w'’-]*", sentence.lower())]


def opens_like_question(sentence, lang):
    """True when the sentence opens the way a question does, without looking at '?':
    English: an auxiliary verb followed by a subject ("do you", "is anyone"), or an
    interrogative word followed within two words by an auxiliary ("what time does",
    "why don't") or contracted with one ("what's"); "how come", "why not".
    French: "pourquoi", "combien", "comment", "où", "qui"; "est-ce" or "qu'est-ce" among the
    first three words; a verb-subject inversion ("pensez-vous", "va-t-il") among the first
    four ("quand", "quel", "que" need one of these two)."""
    w = words_of(sentence)
    if not w:
        return False
    if lang == "fr":
        return w[0] in WH_FR_ALWAYS or any(x.startswith(("est-ce", "qu'est-ce")) for x in w[:3]) or \
            any(FR_INVERSION.match(x) for x in w[:4])
    if w[0] in AUX_EN:
        return len(w) > 1 and w[1] in SUBJECT_EN
    if w[0] in WH_AUX_EN or w[:2] in (["how", "come"], ["why", "not"]):
        return True
    return w[0] in WH_EN and any(x in AUX_EN for x in w[1:3])


def is_interrogative(sentence, lang):
    tail = sentence.rstrip(" \"'”»)")
    if tail.endswith("?") or re.search(r"\?[!?]*$", tail):
        return True
    if tail.endswith("!"):
        return False
    return opens_like_question(sentence, lang)


def label_social(text, lang):
    """1 when the last substantive sentence asks something, else 0; None when no sentence."""
    s = sentences(text)
    if not s:
        return None
    return 1 if is_interrogative(s[-1], lang) else 0


def strip_qmark(text):
    """The text without its final question marks (and the space before them), or None."""
    t = text.rstrip()
    if not t.endswith("?"):
        return None
    t = t.rstrip("?!").rstrip()
    return t if len(t.split()) >= 2 else None


# Templates (train only): what an audience of a live Q&A writes.
TOPICS_EN = ["the new budget", "the pension reform", "the tram project", "the school renovation", "the festival",
             "the cycling plan", "the public consultation", "the new service", "the vaccination campaign",
             "the next council meeting", "the annual report", "the merger", "the layoffs", "the price increase",
             "the new policy on remote work", "the climate plan"]
QUESTIONS_EN = ["What is the timeline for {t}?", "When will {t} start?", "How will {t} be funded?",
                "Why was {t} postponed?", "Will {t} be streamed online?", "Who is responsible for {t}?",
                "How much does {t} cost?", "Where can I find the details of {t}?", "Can you tell us more about {t}?",
                "What are the goals of {t}?", "Thanks for the talk, what do you plan for {t}?",
                "Is it possible to join {t} remotely?", "Could you explain {t} in simple terms?",
                "Why is {t} always late?", "What will change with {t}?", "Do you think {t} was a mistake?",
                "Has anyone evaluated {t}?", "Are there alternatives to {t}?", "Please explain {t}.",
                "I would like to know who decided on {t}.", "Tell us why {t} was delayed.",
                "what about {t}", "any update on {t}", "so when does {t} actually start"]
STATEMENTS_EN = ["{T} is a waste of money.", "I fully support {t}.", "Shame on you for {t}!",
                 "Thank you for the great presentation on {t}.", "{T} is the best decision this year.",
                 "We will never accept {t}!", "Resign now!", "Stop {t} now!", "{T} was announced last week.",
                 "I attended the meeting about {t} yesterday.", "Great talk, thank you!", "No to {t}!",
                 "{T} is a disgrace and everyone knows it.", "My neighbour works on {t}.",
                 "Nobody asked for {t}.", "Totally agree with the speaker on {t}.", "What a joke {t} is!",
                 "How dare you defend {t}!", "Why? Because {t} only helps the rich.", "{T}? A scandal, plain and simple."]
STATEMENTS_FR = ["{T} est un gaspillage d'argent.", "Je soutiens totalement {t}.", "Honte à vous pour {t} !",
                 "Merci pour la belle présentation sur {t}.", "Démission !", "Non à {t} !",
                 "{T} a été annoncé la semaine dernière.", "J'étais à la réunion sur {t} hier.",
                 "Personne n'a demandé {t}.", "Tout à fait d'accord avec l'intervenant sur {t}.",
                 "Quelle honte, {t} !", "Pourquoi ? Parce que {t} ne profite qu'aux riches.",
                 "{T} ? Un scandale, tout simplement."]


def cap(s):
    return s[:1].upper() + s[1:]


def templates():
    """Yields (lang, text, label)."""
    for frame in QUESTIONS_EN:
        for t in TOPICS_EN:
            yield "en", cap(frame.format(t=t)), 1
    for frame in STATEMENTS_EN:
        for t in TOPICS_EN:
            yield "en", frame.format(t=t, T=cap(t)), 0
    for frame in counter_data.QUESTION_FRAMES_FR:
        for t in counter_data.QUESTION_TOPICS_FR:
            yield "fr", cap(frame.format(t=t)), 1
    for frame in STATEMENTS_FR:
        for t in counter_data.QUESTION_TOPICS_FR:
            yield "fr", frame.format(t=t, T=cap(t)), 0


def split_of(group):
    h = hashlib.sha256((SPLIT_SEED + "\0" + group).encode("utf-8")).digest()
    return "valid" if int.from_bytes(h[:8], "big") % 100 < VALIDATION_PERCENT else "train"


def picked(key, percent):
    h = hashlib.sha256(("tribune-question-noq-v1\0" + key).encode("utf-8")).digest()
    return int.from_bytes(h[:8], "big") % 100 < percent


def main():
    args = prepare_data.data_arguments("prepare_questions")
    if isinstance(args, int):
        return args
    data_dir, out_path = args
    col = prepare_data.read_all(data_dir)
    rows, seen = [], set()

    def add(source, lang, kind, label, text, group, split=None):
        text = prepare_data.flat(text).strip()
        k = prepare_data.dedup_key(text) + ("?" if "?" in text else "")
        if len(k) < 2 or k in seen:
            return
        seen.add(k)
        rows.append((hashlib.sha1(k.encode()).hexdigest()[:16], split or split_of(group), lang, source, kind,
                     str(label), text))

    counts = {}
    for it in col.items:
        src, lang, text = it["source"], it["lang"], it["text"]
        if src == "trec_questions":
            label, kind = 1, "trec"
        else:
            label, kind = label_social(text, lang), "social"
            if label is None:
                continue
        group = src + ":" + prepare_data.dedup_key(text)
        add(src, lang, kind, label, text, group)
        counts[(kind, label)] = counts.get((kind, label), 0) + 1
        if label == 1 and (kind == "trec" or opens_like_question(sentences(text)[-1], lang)) and \
                picked(group, NO_QMARK_PERCENT):
            bare = strip_qmark(text)
            if bare:
                add(src, lang, kind + "_noq", 1, bare, group)
    for lang, text, label in templates():
        add("tribune_templates", lang, "template", label, text, "template:" + text, split="train")
        bare = strip_qmark(text) if label == 1 and picked(text, NO_QMARK_PERCENT) else None
        if bare:
            add("tribune_templates", lang, "template", 1, bare, "template:" + text, split="train")
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        for r in rows:
            f.write("\t".join(r) + "\n")
    n_valid = sum(1 for r in rows if r[1] == "valid")
    print(f"[questions] {len(rows)} examples ({n_valid} validation); "
          f"{sum(1 for r in rows if r[5] == '1')} questions; by kind and label: "
          + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
