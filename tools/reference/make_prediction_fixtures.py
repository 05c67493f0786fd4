"""Writes tests/fixtures/predict-<model>.json: what the numpy references
compute beyond attention, for the fixture models of every family: the
logits of the last position, each token's log-probability, the logit lens
(the last position read from every layer's residual stream through the
final norm and the LM head), the same pass with heads zero- and
mean-ablated, and attention rollout computed directly from the weights.

Remake, from the repository root (deterministic; run the other fixture
scripts first if the models changed):

    /usr/bin/python3 tools/reference/make_prediction_fixtures.py

tests/test-predict.c holds the engine to these within 1e-5.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import families_reference as fam          # noqa: E402
import gpt2_reference as g2               # noqa: E402
import make_fixtures as mf                # noqa: E402

# every family, tied and untied heads, F32/F16/BF16
MODELS = ["tiny-f32", "tiny-bf16", "gpt2-options", "llama-gqa2", "llama-bf16-shards",
          "qwen2-gqa4", "mistral-window", "pythia-parallel", "pythia-sequential"]

# heads switched off: (layer, head) pairs, and the ablation kind
ABLATIONS = [([(0, 1), (1, 0)], "zero"), ([(0, 0), (1, 1)], "mean")]


def load(name):
    d = os.path.join(mf.FIXTURES, "models", name)
    with open(os.path.join(d, "config.json")) as f:
        gpt2 = json.load(f)["model_type"] == "gpt2"
    ref = g2 if gpt2 else fam
    cfg, w = ref.load_model(d)
    return ref, cfg, w


def log_softmax(z):
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def logits_of(ref, cfg, w, x):
    """The LM head on residual-stream rows x (..., C), through the final norm."""
    return ref.final_norm(cfg, w, x) @ ref.lm_head(cfg, w).T


def rollout(weights):
    """Abnar & Zuidema's rollout from weights (L, NH, T, T), directly:
    R = Â_{L-1} ... Â_0, Â_l = ½ mean_h A_l + ½ I."""
    T = weights.shape[-1]
    r = np.eye(T)
    for a in weights:
        r = (0.5 * a.mean(axis=0) + 0.5 * np.eye(T)) @ r
    return r


def write(name):
    ref, cfg, w = load(name)
    V = cfg["vocab_size"]
    rng = np.random.default_rng(sum(map(ord, name)))
    ids = rng.integers(0, V, size=9).tolist()
    r = ref.forward(cfg, w, ids)
    resid = r["resid"]
    logits = logits_of(ref, cfg, w, resid[-1])           # (T, V)
    logp = log_softmax(logits)
    lens = logits_of(ref, cfg, w, resid[:, -1, :])        # (L + 1, V)
    out = {"model": name, "made_by": "/usr/bin/python3 tools/reference/make_prediction_fixtures.py",
           "ids": ids,
           "logits": mf.rounded(logits[-1]),
           "token_logprobs": [None] + mf.rounded(np.array(
               [logp[t - 1, ids[t]] for t in range(1, len(ids))])),
           "lens": mf.rounded(lens),
           "rollout": mf.rounded(rollout(r["weights"])),
           "ablations": []}
    for heads, kind in ABLATIONS:
        a = ref.forward(cfg, w, ids, ablate=heads, kind=kind)
        out["ablations"].append({
            "heads": ["%d.%d" % lh for lh in heads], "kind": kind,
            "weights": mf.rounded(a["weights"]),
            "logits": mf.rounded(logits_of(ref, cfg, w, a["resid"][-1, -1]))})
    path = os.path.join(mf.FIXTURES, "predict-%s.json" % name)
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    return path


def main():
    for name in MODELS:
        print("wrote", os.path.relpath(write(name), mf.ROOT))


if __name__ == "__main__":
    main()
