"""Per-head attention statistics, the app's label rule, and the induction test.

head_stats/label: over query rows 1..T-1 of one sentence (row 0 is BOS itself):
  prev   mean weight on the previous token        first  mean weight on BOS (key 0)
  self   mean weight on the query token itself    local  mean weight on keys q-3..q
  ent    mean normalised entropy H(row)/ln(q+1)   argmax share of rows whose largest
                                                         weight is the previous token
With the token ids, also (as ae_head_stats_compute_tokens):
  repeat_rows  rows q whose token occurred before at some j <= q - 3
  induction    mean over those rows of the weight on all such j + 1
Label (first rule that matches; src/engine/ae-stats.c's ae_head_label is the same):
  "induction"          repeat_rows >= 4 and induction >= 0.3
  "previous token"     prev >= 0.4 and prev >= first and prev >= self
  "first token (sink)" first >= 0.5
  "self"               self >= 0.4
  "nearby tokens"      local >= 0.6
  "broad"              ent >= 0.7
  "specific tokens"    otherwise

Induction: BOS + w_1..w_n + w_1..w_n with n random common one-token words
(10..20). A query at w_i of the second copy (i = 1..n) looks, in an induction
head, at the token after w_i's earlier occurrence (w_{i+1} of the first copy, or
the second copy's w_1 for i = n). The score is that weight averaged over the
second copy; chance (uniform over the visible keys) is about 4 %.
"""
import re

import numpy as np

STATS = ("prev", "first", "self", "local", "ent", "argmax")


INDUCTION_MIN_ROWS, INDUCTION_MIN_WEIGHT = 4, 0.3


def repeat_stats(att, ids):
    """(repeat_rows, induction [H]): the induction figures of ae_head_stats_compute_tokens."""
    H, T, _ = att.shape
    total, rows = np.zeros(H), 0
    for q in range(3, T):
        j = [j for j in range(q - 2) if ids[j] == ids[q]]
        if j:
            total += att[:, q, np.array(j) + 1].sum(-1)
            rows += 1
    return rows, (total / rows if rows else total)


def head_stats(att, ids=None):
    """att: [H, T, T] for one sentence (T >= 2) → dict of arrays [H] over rows 1..T-1;
    with the token ids also the induction figures."""
    H, T, _ = att.shape
    q = np.arange(1, T)
    rows = att[:, 1:, :]  # [H, T-1, T]
    near = (np.arange(T)[None, :] >= q[:, None] - 3) & (np.arange(T)[None, :] <= q[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(rows > 0, rows * np.log(rows), 0.0)
    ent = -plogp.sum(-1) / np.log(q + 1)[None, :]
    out = {} if ids is None else dict(zip(("repeat_rows", "induction"), repeat_stats(att, ids)))
    return out | {
        "prev": rows[:, np.arange(T - 1), q - 1].mean(-1),
        "first": rows[:, :, 0].mean(-1),
        "self": rows[:, np.arange(T - 1), q].mean(-1),
        "local": (rows * near[None]).sum(-1).mean(-1),
        "ent": ent.mean(-1),
        "argmax": (rows.argmax(-1) == (q - 1)[None, :]).mean(-1),
    }


def label(s):
    if (s.get("repeat_rows", 0) >= INDUCTION_MIN_ROWS
            and s["induction"] >= INDUCTION_MIN_WEIGHT):
        return "induction"
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


def label_of(stats, h):
    """label() of head h from head_stats()' per-head arrays."""
    return label({k: (v if k == "repeat_rows" else v[h]) for k, v in stats.items()})


def common_words(tokens, decoder, n=500):
    """The n most frequent tokens in `tokens` that are a whole lower-case word (" word")."""
    counts = np.bincount(np.asarray(tokens, dtype=np.int64), minlength=len(decoder))
    ok = [i for i in np.argsort(-counts)
          if counts[i] and re.fullmatch("\u0120[a-z]{3,}", decoder.get(int(i), ""))]
    return np.array(ok[:n], dtype=np.int64)


def repeated_sequences(words, bos, count=50, seed=0):
    """[(ids, n)]: BOS + n random distinct words + the same n words, n in 10..20."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        n = int(rng.integers(10, 21))
        w = rng.choice(words, n, replace=False)
        out.append((np.concatenate([[bos], w, w]).astype(np.int64), n))
    return out


def induction_score(att, n):
    """att: [H, T, T] on BOS + w + w (T = 2n+1) → [H] mean weight on the earlier next token."""
    q = np.arange(n + 1, 2 * n + 1)  # the second copy
    return att[:, q, q - n + 1].mean(-1)


def induction_scores(model, seqs):
    """[L, H] induction scores averaged over the sequences."""
    import torch  # here only: tests/test-cli.py checks the label rule without PyTorch

    total = 0.0
    for ids, n in seqs:
        with torch.no_grad():
            _, atts = model(torch.from_numpy(ids)[None], want_attn=True)
        total = total + np.stack([induction_score(a[0].double().numpy(), n) for a in atts])
    return total / len(seqs)
