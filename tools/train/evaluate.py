#!/usr/bin/python3
"""Evaluate an exported model directory on held-out sentences it never saw.

Reports the held-out loss (nats/token, each sentence fed alone after BOS, every
token including the first predicted) and, per head, the statistics and label the
app shows. Per sentence and head, over query rows 1..T-1 (row 0 is BOS itself):
  prev   mean weight on the previous token        first  mean weight on BOS (key 0)
  self   mean weight on the query token itself    local  mean weight on keys q-3..q
  ent    mean normalised entropy H(row)/ln(q+1)   argmax share of rows whose largest
                                                         weight is the previous token
Label (first rule that matches, same rule as the app):
  "previous token"     prev >= 0.4 and prev >= first and prev >= self
  "first token (sink)" first >= 0.5
  "self"               self >= 0.4
  "nearby tokens"      local >= 0.6
  "broad"              ent >= 0.7
  "specific tokens"    otherwise
The table averages each statistic over sentences and labels the averages; it also
gives the share of sentences that get the head's label on their own.

Usage: tools/train/evaluate.py [--model DIR] [--markdown] CORPUS_DIR
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
import data  # noqa: E402
import hfmodel  # noqa: E402

BOS = 8191
STATS = ("prev", "first", "self", "local", "ent", "argmax")


def head_stats(att):
    """att: [H, T, T] for one sentence (T >= 2) → dict of arrays [H] over rows 1..T-1."""
    H, T, _ = att.shape
    q = np.arange(1, T)
    rows = att[:, 1:, :]  # [H, T-1, T]
    near = (np.arange(T)[None, :] >= q[:, None] - 3) & (np.arange(T)[None, :] <= q[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(rows > 0, rows * np.log(rows), 0.0)
    ent = -plogp.sum(-1) / np.log(q + 1)[None, :]
    return {
        "prev": rows[:, np.arange(T - 1), q - 1].mean(-1),
        "first": rows[:, :, 0].mean(-1),
        "self": rows[:, np.arange(T - 1), q].mean(-1),
        "local": (rows * near[None]).sum(-1).mean(-1),
        "ent": ent.mean(-1),
        "argmax": (rows.argmax(-1) == (q - 1)[None, :]).mean(-1),
    }


def label(s):
    if s["prev"] >= 0.4 and s["prev"] >= s["first"] and s["prev"] >= s["self"]:
        return "previous token"
    if s["first"] >= 0.5:
        return "first token (sink)"
    if s["self"] >= 0.4:
        return "self"
    if s["local"] >= 0.6:
        return "nearby tokens"
    if s["ent"] >= 0.7:
        return "broad"
    return "specific tokens"


@torch.no_grad()
def evaluate(model, sents, n_attn=500):
    """Return (per-sentence losses, per-head mean stats, per-head label votes, sentences used)."""
    losses = []  # (sum of nats, tokens) per sentence
    for s in sents:
        x = torch.from_numpy(s[:model.config["n_positions"] + 1])
        logits, _ = model(x[None, :-1])
        losses.append((F.cross_entropy(logits[0], x[1:], reduction="sum").item(), len(x) - 1))
    L, H = model.config["n_layer"], model.config["n_head"]
    sums = {k: np.zeros((L, H)) for k in STATS}
    votes = [[collections.Counter() for _ in range(H)] for _ in range(L)]
    used = [s for s in sents if len(s) >= 5]  # BOS + at least 4 tokens
    used = used[::max(1, len(used) // n_attn)][:n_attn]  # spread over Brown and WordNet
    for s in used:
        _, atts = model(torch.from_numpy(s[:model.config["n_positions"]])[None], want_attn=True)
        for l, a in enumerate(atts):
            st = head_stats(a[0].double().numpy())
            for k in STATS:
                sums[k][l] += st[k]
            for h in range(H):
                votes[l][h][label({k: st[k][h] for k in STATS})] += 1
    means = {k: v / len(used) for k, v in sums.items()}
    return losses, means, votes, len(used)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default=os.path.join(HERE, "..", "..", "data", "models",
                                                   "minigpt-en"))
    p.add_argument("--markdown", action="store_true", help="print the model card's table")
    p.add_argument("corpus")
    args = p.parse_args()
    torch.set_num_threads(1)
    model = hfmodel.load_model_dir(args.model)
    arrays = data.load(args.corpus, "heldout", args.model)
    sents = data.sentences(arrays, BOS)
    losses, m, votes, n_used = evaluate(model, sents)
    # heldout.txt ends with one block of WordNet examples; the blocks before it are Brown texts.
    with open(os.path.join(args.corpus, "heldout.txt"), encoding="utf-8") as f:
        n_wordnet = len([l for l in f.read().strip().split("\n\n")[-1].split("\n") if l.strip()])
    parts = [("all", losses), ("Brown", losses[:-n_wordnet]), ("WordNet", losses[-n_wordnet:])]
    for name, part in parts:
        nats, n_tok = sum(l for l, _ in part), sum(n for _, n in part)
        print("held-out loss %-7s %.4f nats/token (%d sentences, %d tokens; perplexity %.1f)"
              % (name, nats / n_tok, len(part), n_tok, np.exp(nats / n_tok)))
    print("per-head statistics over %d held-out sentences of >= 4 tokens" % n_used)
    L, H = m["prev"].shape
    if args.markdown:
        print("\n| head | prev | argmax prev | first (BOS) | self | local ≤3 | entropy | label |"
              " sentences with this label |")
        print("|---|---|---|---|---|---|---|---|---|")
    else:
        print("head    prev argmax  first   self  local    ent  label (sentences agreeing)")
    for l in range(L):
        for h in range(H):
            s = {k: m[k][l, h] for k in STATS}
            lab = label(s)
            agree = votes[l][h][lab] / n_used
            if args.markdown:
                print("| %d.%d | %.2f | %.0f %% | %.2f | %.2f | %.2f | %.2f | %s | %.0f %% |"
                      % (l, h, s["prev"], 100 * s["argmax"], s["first"], s["self"], s["local"],
                         s["ent"], lab, 100 * agree))
            else:
                print("%d.%d   %6.3f %5.0f%% %6.3f %6.3f %6.3f %6.3f  %s (%.0f%%)"
                      % (l, h, s["prev"], 100 * s["argmax"], s["first"], s["self"], s["local"],
                         s["ent"], lab, 100 * agree))
    bp = np.unravel_index(m["argmax"].argmax(), m["argmax"].shape)
    bf = np.unravel_index(m["first"].argmax(), m["first"].shape)
    print("best previous-token head %d.%d: argmax on previous token for %.0f %% of queries"
          % (bp[0], bp[1], 100 * m["argmax"][bp]))
    print("best sink head %d.%d: mean weight on BOS %.2f" % (bf[0], bf[1], m["first"][bf]))


if __name__ == "__main__":
    main()
