#!/usr/bin/python3
"""Evaluate a model on held-out text it never saw, against issue 18's targets.

Prints:
  * held-out loss (nats/token) on plain modern English sentences, each fed alone
    after BOS with every token predicted, the first word included (the target,
    <= 4.0), split into Brown and WordNet; and on held-out running text, whole
    128-token windows of held-out documents (Brown, and the KJV if present);
  * per head, the statistics and label the app shows (tools/train/heads.py, the
    same rule as src/engine/ae-stats.c), averaged over held-out sentences;
  * per head, the induction score on repeated random common words (BOS + n words
    + the same n words, n = 10..20) and the head's label there;
  * the targets: best previous-token head's argmax share (>= 70 %), best
    induction score (>= 30 %), best sink head's mean weight on BOS (>= 60 %).

Usage: tools/train/evaluate.py [--model DIR | --checkpoint FILE.pt] [--markdown] CORPUS_DIR
"""
import argparse
import collections
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tokenizer"))
import data  # noqa: E402
import heads  # noqa: E402
import hfmodel  # noqa: E402
from bpe import Tokenizer  # noqa: E402
from model import load_checkpoint  # noqa: E402

BOS = 8191
MODEL_DIR = os.path.join(HERE, "..", "..", "data", "models", "minigpt-en")
TARGETS = {"loss": 4.0, "prev": 0.70, "induction": 0.30, "sink": 0.60}


@torch.no_grad()
def losses_of(model, seqs):
    """[(sum of nats, tokens)] per sequence, each fed alone."""
    out = []
    for s in seqs:
        x = torch.from_numpy(s[:model.config["n_positions"] + 1])
        logits, _ = model(x[None, :-1])
        out.append((F.cross_entropy(logits[0], x[1:], reduction="sum").item(), len(x) - 1))
    return out


@torch.no_grad()
def sentence_heads(model, sents, n_attn=500):
    """Per-head mean stats over held-out sentences, label votes, sentences used."""
    L, H = model.config["n_layer"], model.config["n_head"]
    sums = {k: np.zeros((L, H)) for k in heads.STATS}
    votes = [[collections.Counter() for _ in range(H)] for _ in range(L)]
    used = [s for s in sents if len(s) >= 5]  # BOS + at least 4 tokens
    used = used[::max(1, len(used) // n_attn)][:n_attn]  # spread over Brown and WordNet
    for s in used:
        _, atts = model(torch.from_numpy(s[:model.config["n_positions"]])[None], want_attn=True)
        for l, a in enumerate(atts):
            st = heads.head_stats(a[0].double().numpy(), s)  # with ids, as the app
            for k in heads.STATS:
                sums[k][l] += st[k]
            for h in range(H):
                votes[l][h][heads.label_of(st, h)] += 1
    return {k: v / len(used) for k, v in sums.items()}, votes, len(used)


@torch.no_grad()
def repeat_heads(model, seqs):
    """Per-head induction score and label votes on the repeated sequences."""
    L, H = model.config["n_layer"], model.config["n_head"]
    score = np.zeros((L, H))
    votes = [[collections.Counter() for _ in range(H)] for _ in range(L)]
    for ids, n in seqs:
        _, atts = model(torch.from_numpy(ids)[None], want_attn=True)
        for l, a in enumerate(atts):
            att = a[0].double().numpy()
            score[l] += heads.induction_score(att, n)
            st = heads.head_stats(att, ids)
            for h in range(H):
                votes[l][h][heads.label_of(st, h)] += 1
    return score / len(seqs), votes


def load(args):
    if args.checkpoint:
        model, ckpt = load_checkpoint(args.checkpoint)
        return model, "%s (step %d)" % (args.checkpoint, ckpt["step"])
    return hfmodel.load_model_dir(args.model), args.model


def report_loss(name, part):
    nats, n_tok = sum(l for l, _ in part), sum(n for _, n in part)
    print("held-out loss %-22s %.4f nats/token (%d sequences, %d tokens; perplexity %.1f)"
          % (name, nats / n_tok, len(part), n_tok, np.exp(nats / n_tok)))
    return nats / n_tok


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default=MODEL_DIR)
    p.add_argument("--checkpoint", help="a tools/train/train.py checkpoint instead of --model")
    p.add_argument("--markdown", action="store_true", help="print the model card's table")
    p.add_argument("--sequences", type=int, default=200, help="repeated sequences to test")
    p.add_argument("corpus")
    args = p.parse_args()
    torch.set_num_threads(1)
    model, what = load(args)
    print("model: %s" % what)
    arrays = data.load(args.corpus, "heldout", MODEL_DIR)
    sents = data.sentences(arrays, BOS)
    losses = losses_of(model, sents)
    # heldout.txt ends with one block of WordNet examples; the blocks before it are Brown texts.
    n_wordnet = len(data.read_documents(os.path.join(args.corpus, "heldout.txt"))[-1])
    loss = report_loss("sentences, all", losses)
    report_loss("sentences, Brown", losses[:-n_wordnet])
    report_loss("sentences, WordNet", losses[-n_wordnet:])
    n_ctx = model.config["n_positions"]
    brown = data.running_windows(arrays[:2] + arrays[2:4] + (arrays[4][:-1],), BOS, n_ctx)
    report_loss("windows, Brown", losses_of(model, brown))
    if os.path.exists(os.path.join(args.corpus, "heldout-kjv.txt")):
        kjv = data.running_windows(data.load(args.corpus, "heldout-kjv", MODEL_DIR), BOS, n_ctx)
        report_loss("windows, KJV", losses_of(model, kjv))

    m, votes, n_used = sentence_heads(model, sents)
    words = heads.common_words(arrays[2], Tokenizer(MODEL_DIR).decoder)
    seqs = heads.repeated_sequences(words, BOS, count=args.sequences)
    ind, rvotes = repeat_heads(model, seqs)
    print("per-head statistics over %d held-out sentences of >= 4 tokens; induction over %d "
          "repeated sequences of 10-20 of the %d commonest one-token words"
          % (n_used, len(seqs), len(words)))
    L, H = m["prev"].shape
    if args.markdown:
        print("\n| head | prev | argmax prev | first (BOS) | self | local ≤3 | entropy | label |"
              " sentences with this label | induction | label on repeated words |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
    else:
        print("head    prev argmax  first   self  local    ent  label (sentences agreeing)"
              "  induction  label on repeats")
    for l in range(L):
        for h in range(H):
            s = {k: m[k][l, h] for k in heads.STATS}
            lab = heads.label(s)
            agree = votes[l][h][lab] / n_used
            rlab, rn = rvotes[l][h].most_common(1)[0]
            if args.markdown:
                print("| %d.%d | %.2f | %.0f %% | %.2f | %.2f | %.2f | %.2f | %s | %.0f %% | %.0f %% "
                      "| %s (%.0f %%) |"
                      % (l, h, s["prev"], 100 * s["argmax"], s["first"], s["self"], s["local"],
                         s["ent"], lab, 100 * agree, 100 * ind[l, h], rlab, 100 * rn / len(seqs)))
            else:
                print("%d.%d   %6.3f %5.0f%% %6.3f %6.3f %6.3f %6.3f  %s (%.0f%%)  %5.1f%%  %s (%.0f%%)"
                      % (l, h, s["prev"], 100 * s["argmax"], s["first"], s["self"], s["local"],
                         s["ent"], lab, 100 * agree, 100 * ind[l, h], rlab,
                         100 * rn / len(seqs)))
    bp = np.unravel_index(m["argmax"].argmax(), m["argmax"].shape)
    bi = np.unravel_index(ind.argmax(), ind.shape)
    bf = np.unravel_index(m["first"].argmax(), m["first"].shape)
    met = lambda ok: "met" if ok else "MISSED"
    print("\ntargets (issue 18):")
    print("  held-out loss on sentences %.2f nats/token (<= %.1f): %s"
          % (loss, TARGETS["loss"], met(loss <= TARGETS["loss"])))
    print("  previous-token head %d.%d: argmax on the previous token for %.0f %% of queries "
          "(>= %.0f %%): %s" % (bp[0], bp[1], 100 * m["argmax"][bp], 100 * TARGETS["prev"],
                                met(m["argmax"][bp] >= TARGETS["prev"])))
    print("  induction head %d.%d: %.0f %% of its weight on the token after the earlier "
          "occurrence (>= %.0f %%): %s" % (bi[0], bi[1], 100 * ind[bi], 100 * TARGETS["induction"],
                                          met(ind[bi] >= TARGETS["induction"])))
    print("  sink head %d.%d: mean weight on BOS %.0f %% (>= %.0f %%): %s"
          % (bf[0], bf[1], 100 * m["first"][bf], 100 * TARGETS["sink"],
             met(m["first"][bf] >= TARGETS["sink"])))


if __name__ == "__main__":
    main()
