#!/usr/bin/python3
"""Choose the walkthrough sandbox's fixed 4x4 projections W_Q, W_K, W_V.

The seed's walkthrough prints, for the embeddings
    cat = (0.70, -0.30, 0.50, 0.10)   (the query)
    sat = (0.20, 0.80, -0.10, 0.60)   (the key)
the figures
    Q(cat) = (0.40, -0.05, 0.23, 0.21)
    K(sat) = (-0.01, 0.79, -0.07, 0.53)
    Q.K = 0.052, scaled by 1/sqrt(4): 0.026, attention weight 0.506.

The sandbox runs the engine's own causal ae_attention_head on the sequence
[sat, cat]: the query "cat" comes after the key "sat", so its row holds two
keys, "sat" and "cat" itself.  The weight on "sat" is
    1 / (1 + exp(score(cat, cat) - score(cat, sat)))
so 0.506 fixes cat's score on itself at about 0.002.

We look for matrices whose entries have two decimals (easy to read in the
pane), near the identity (so each slider mostly moves its own coordinate):
the exact least-change solutions, rounded entry by entry up or down (all
2**16 roundings are tried), keeping the rounding for which the defaults give every printed figure with a margin
from the rounding boundary, computed in float32 as the engine does.

Run:  /usr/bin/python3 tools/sandbox/solve_matrices.py
It prints the matrices as C initialisers for src/engine/ae-sandbox.c and
the figures they give.
"""
import numpy as np

cat = np.array([0.70, -0.30, 0.50, 0.10])
sat = np.array([0.20, 0.80, -0.10, 0.60])
Q_TARGET = np.array([0.40, -0.05, 0.23, 0.21])
K_TARGET = np.array([-0.01, 0.79, -0.07, 0.53])
MARGIN = 0.2  # in units of the last printed digit: stay this far inside the rounding interval


def inside(value, target, decimals):
    """value rounds to target at @decimals, with MARGIN to spare."""
    unit = 10.0 ** -decimals
    return abs(value - target) <= (0.5 - MARGIN) * unit


def figures(wq, wk, wv):
    f = np.float32
    x = np.stack([sat, cat]).astype(f)        # sequence [sat, cat]
    q = x @ wq.astype(f)
    k = x @ wk.astype(f)
    v = x @ wv.astype(f)
    scores = (q @ k.T) * f(1.0 / np.sqrt(4.0))
    row = scores[1, :2]
    w = np.exp(row - row.max())
    w /= w.sum()
    return {
        "q_cat": q[1], "k_sat": k[0], "k_cat": k[1], "v": v,
        "dot": float(q[1] @ k[0]), "score": float(row[0]),
        "self_score": float(row[1]), "weight": float(w[0]),
    }


def ok(fig):
    return (all(inside(a, b, 2) for a, b in zip(fig["q_cat"], Q_TARGET))
            and all(inside(a, b, 2) for a, b in zip(fig["k_sat"], K_TARGET))
            and inside(fig["dot"], 0.052, 3)
            and inside(fig["score"], 0.026, 3)
            and inside(fig["weight"], 0.506, 3))


def nearest_exact(w0, x, target):
    """The W closest to w0 (Frobenius) with x.W == target."""
    return w0 + np.outer(x, target - x @ w0) / (x @ x)


def roundings(w_exact):
    """All 2**16 ways of rounding each entry of w_exact down or up to 0.01, shape (65536, 4, 4)."""
    lo = np.floor(w_exact * 100) / 100
    bits = (np.arange(1 << 16)[:, None] >> np.arange(16)[None, :]) & 1
    return np.round(lo[None] + bits.reshape(-1, 4, 4) * 0.01, 2)


def search():
    eye = np.eye(4)
    # W_V: a gentle mix, not constrained by the seed's figures.
    wv = np.array([[0.50, 0.10, -0.20, 0.30],
                   [-0.10, 0.60, 0.20, 0.00],
                   [0.30, -0.20, 0.70, 0.10],
                   [0.00, 0.40, -0.10, 0.50]])
    # W_Q: the matrix nearest the identity with cat.W_Q == Q(cat) exactly, then
    # the two-decimal rounding of it whose Q(cat) sits closest to the target.
    wqs = roundings(nearest_exact(eye, cat, Q_TARGET))
    q_dev = np.abs(np.einsum("i,nij->nj", cat, wqs) - Q_TARGET).max(axis=1)
    # W_K: nearest the identity with sat.W_K == K(sat), also moved along the
    # part of cat orthogonal to sat so that Q(cat).K(cat) ~ 0.004 (a self
    # score ~ 0.002, which gives the weight 0.506 on "sat").
    best = None
    for iq in np.argsort(q_dev)[:40]:
        wq = wqs[iq]
        q = cat @ wq
        wk = nearest_exact(eye, sat, K_TARGET)
        c_perp = cat - (cat @ sat) / (sat @ sat) * sat
        need = 0.004 - q @ (cat @ wk)
        wk = wk + np.outer(c_perp, q) * need / ((c_perp @ cat) * (q @ q))
        wks = roundings(wk)
        k_sat = np.einsum("i,nij->nj", sat, wks)
        k_cat = np.einsum("i,nij->nj", cat, wks)
        score = k_sat @ q / 2
        self_score = k_cat @ q / 2
        weight = 1 / (1 + np.exp(self_score - score))
        cost = (np.abs(k_sat - K_TARGET).max(axis=1) * 100 + abs(k_sat @ q - 0.052) * 1000
                + abs(score - 0.026) * 1000 + abs(weight - 0.506) * 1000)
        for ik in np.argsort(cost)[:20]:
            fig = figures(wq, wks[ik], wv)
            if ok(fig):
                total = cost[ik] + q_dev[iq] * 100
                if best is None or total < best[0]:
                    best = (total, wq, wks[ik], fig)
                break
    return best, wv


def c_matrix(name, w):
    rows = ",\n".join("  { " + ", ".join(f"{v: .2f}f" for v in row) + " }" for row in w)
    return f"static const float {name}[4][4] = {{\n{rows},\n}};"


def main():
    best, wv = search()
    if best is None:
        raise SystemExit("no matrices found")
    _, wq, wk, fig = best
    print(c_matrix("W_Q", wq))
    print(c_matrix("W_K", wk))
    print(c_matrix("W_V", wv))
    print()
    print("Q(cat)  =", np.array2string(fig["q_cat"], precision=4))
    print("K(sat)  =", np.array2string(fig["k_sat"], precision=4))
    print("K(cat)  =", np.array2string(fig["k_cat"], precision=4))
    print(f"Q.K     = {fig['dot']:.5f}")
    print(f"score   = {fig['score']:.5f} (self {fig['self_score']:.5f})")
    print(f"weight  = {fig['weight']:.5f}")


if __name__ == "__main__":
    main()
