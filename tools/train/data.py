"""Corpus → token arrays, cached next to the corpus as tokens-<split>.npz.

Every sentence is kept twice: "A" tokens (no leading space, as it starts a text)
and "B" tokens (" " + sentence, as it follows another one). Training windows
start at a sentence: BOS + A_k + B_{k+1} + B_{k+2} ..., so the model sees what the
app shows it (BOS, then text starting at a sentence) and still learns long context.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tokenizer"))
from bpe import Tokenizer  # noqa: E402


def read_sentences(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip()]


def load(corpus_dir, split, model_dir):
    cache = os.path.join(corpus_dir, "tokens-%s.npz" % split)
    if os.path.exists(cache):
        z = np.load(cache)
        return z["a"], z["a_start"], z["b"], z["b_start"]
    tok = Tokenizer(model_dir)
    sentences = read_sentences(os.path.join(corpus_dir, split + ".txt"))
    a = [tok.encode(s) for s in sentences]
    b = [tok.encode(" " + s) for s in sentences]
    starts = lambda seqs: np.cumsum([0] + [len(s) for s in seqs]).astype(np.int64)
    arrays = dict(a=np.concatenate(a).astype(np.int16), a_start=starts(a),
                  b=np.concatenate(b).astype(np.int16), b_start=starts(b))
    np.savez(cache, **arrays)
    return arrays["a"], arrays["a_start"], arrays["b"], arrays["b_start"]


class Windows:
    """Random training windows of n_ctx tokens (plus one target), starting at sentences."""

    def __init__(self, arrays, n_ctx, bos):
        self.a, self.a_start, self.b, self.b_start = arrays
        self.n_ctx, self.bos = n_ctx, bos
        # Only sentences followed by at least n_ctx tokens can start a full window.
        self.n_starts = int(np.searchsorted(self.b_start, len(self.b) - n_ctx - 1)) - 1

    def batch(self, rng, size):
        out = np.empty((size, self.n_ctx + 1), dtype=np.int64)
        for row, k in enumerate(rng.integers(0, self.n_starts, size)):
            first = self.a[self.a_start[k]:self.a_start[k + 1]][:self.n_ctx]
            rest = self.n_ctx - len(first)
            nxt = self.b_start[k + 1]
            out[row, 0] = self.bos
            out[row, 1:1 + len(first)] = first
            out[row, 1 + len(first):] = self.b[nxt:nxt + rest]
        return out


def sentences(arrays, bos, limit=None, every=1):
    """Held-out sentences one by one, each as BOS + A tokens (what the app feeds)."""
    a, a_start = arrays[0], arrays[1]
    idx = range(0, len(a_start) - 1, every)
    out = [np.concatenate([[bos], a[a_start[k]:a_start[k + 1]]]).astype(np.int64) for k in idx]
    return out[:limit] if limit else out
