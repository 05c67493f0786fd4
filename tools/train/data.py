"""Corpus → token arrays, cached next to the corpus as tokens-<split>.npz.

Every sentence is kept twice: "A" tokens (no leading space, as it starts a text)
and "B" tokens (" " + sentence, as it follows another one). Training windows are
running text from one document: BOS + A_k + B_{k+1} + B_{k+2} ... cut at n_ctx
tokens, starting at a sentence, so the model sees what the app shows it (BOS,
then text starting at a sentence) and learns long context. A window never runs
into the next document.

A share of windows (--repeat) repeats an earlier span of its own real text
later in the window: the stand-in for the repetition that long documents have
(names, phrases, refrains) and the material induction heads learn from.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tokenizer"))
from bpe import Tokenizer  # noqa: E402


def read_documents(path):
    """[[sentence, ...], ...]: one sentence a line, a blank line between documents."""
    with open(path, encoding="utf-8") as f:
        blocks = f.read().split("\n\n")
    docs = [[l.strip() for l in b.split("\n") if l.strip()] for b in blocks]
    return [d for d in docs if d]


def read_sentences(path):
    return [s for doc in read_documents(path) for s in doc]


def load(corpus_dir, split, model_dir):
    """Token arrays of one split: a, a_start, b, b_start, doc (first sentence of each document)."""
    cache = os.path.join(corpus_dir, "tokens-%s.npz" % split)
    if os.path.exists(cache):
        z = np.load(cache)
        return z["a"], z["a_start"], z["b"], z["b_start"], z["doc"]
    tok = Tokenizer(model_dir)
    docs = read_documents(os.path.join(corpus_dir, split + ".txt"))
    sentences = [s for d in docs for s in d]
    a = [tok.encode(s) for s in sentences]
    b = [tok.encode(" " + s) for s in sentences]
    starts = lambda seqs: np.cumsum([0] + [len(s) for s in seqs]).astype(np.int64)
    arrays = dict(a=np.concatenate(a).astype(np.int16), a_start=starts(a),
                  b=np.concatenate(b).astype(np.int16), b_start=starts(b),
                  doc=starts(docs))
    np.savez(cache, **arrays)
    return arrays["a"], arrays["a_start"], arrays["b"], arrays["b_start"], arrays["doc"]


class Windows:
    """Random training windows of n_ctx tokens (plus one target), starting at sentences."""

    def __init__(self, parts, n_ctx, bos, repeat=0.0, span=(8, 48)):
        """parts: a list of load() results (e.g. the modern corpus and the KJV)."""
        self.n_ctx, self.bos, self.repeat, self.span = n_ctx, bos, repeat, span
        self.parts, starts = [], []
        for p, (a, a_start, b, b_start, doc) in enumerate(parts):
            # A sentence can start a window if its document has n_ctx more tokens after it.
            doc_end_tok = b_start[doc[1:]]  # token offset where each document ends
            n_sent = len(a_start) - 1
            doc_of = np.searchsorted(doc, np.arange(n_sent), side="right") - 1
            ok = b_start[:-1] + n_ctx + 1 <= doc_end_tok[doc_of]
            self.parts.append((a, a_start, b, b_start))
            starts.append(np.stack([np.full(int(ok.sum()), p), np.flatnonzero(ok)], 1))
        self.starts = np.concatenate(starts)  # (part, sentence) pairs, uniform over all text
        self.n_tokens = sum(len(p[2]) for p in self.parts)

    def batch(self, rng, size):
        out = np.empty((size, self.n_ctx + 1), dtype=np.int64)
        for row, (p, k) in enumerate(self.starts[rng.integers(0, len(self.starts), size)]):
            a, a_start, b, b_start = self.parts[p]
            first = a[a_start[k]:a_start[k + 1]][:self.n_ctx]
            rest = self.n_ctx - len(first)
            nxt = b_start[k + 1]
            out[row, 0] = self.bos
            out[row, 1:1 + len(first)] = first
            out[row, 1 + len(first):] = b[nxt:nxt + rest]
            if rng.random() < self.repeat:
                self.repeat_span(rng, out[row])
        return out

    def repeat_span(self, rng, w):
        """Copy a span of the window's own text (tokens 1..) over a later stretch of it."""
        n = len(w)
        span = int(rng.integers(self.span[0], self.span[1] + 1))
        src = int(rng.integers(1, n - 2 * span + 1))
        dst = int(rng.integers(src + span, n - span + 1))
        w[dst:dst + span] = w[src:src + span]


def sentences(arrays, bos, limit=None, every=1):
    """Held-out sentences one by one, each as BOS + A tokens (what the app feeds)."""
    a, a_start = arrays[0], arrays[1]
    idx = range(0, len(a_start) - 1, every)
    out = [np.concatenate([[bos], a[a_start[k]:a_start[k + 1]]]).astype(np.int64) for k in idx]
    return out[:limit] if limit else out


def running_windows(arrays, bos, n_ctx, limit=None):
    """Held-out running text: each document cut into whole windows BOS + n_ctx tokens."""
    a, a_start, b, b_start, doc = arrays
    out = []
    for d in range(len(doc) - 1):
        k, end = doc[d], doc[d + 1]
        while k < end:
            w = list(a[a_start[k]:a_start[k + 1]])
            j = k + 1
            while len(w) < n_ctx and j < end:
                w.extend(b[b_start[j]:b_start[j + 1]])
                j += 1
            if len(w) < n_ctx:
                break
            out.append(np.array([bos] + w[:n_ctx], dtype=np.int64))
            k = j
    return out[:limit] if limit else out
