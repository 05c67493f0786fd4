"""Writes tests/fixtures/delta-tiny-f32.json: what the app's difference
("Δ") and rollout views must show for a text on the tiny fixture model,
computed by the numpy reference (gpt2_reference.py) from the published
architecture: the intact and the ablated pass's attention weights, their
difference, the intact model's top next-token prediction at every
position with its log-probability in both passes, and the intact and
ablated rollout (½·mean over heads + ½·I multiplied over the layers).
The text is tokenized by the Python BPE encoder of tools/tokenizer/bpe.py,
so the ids do not come from the engine either.

Remake, from the repository root (deterministic):

    /usr/bin/python3 tools/reference/make_delta_fixtures.py

tests/test-derived.c holds the app's core (AttnResult runs, Δ, rollout,
exports) to these within 1e-5.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import make_fixtures as mf                     # noqa: E402
import make_prediction_fixtures as mp          # noqa: E402
from bpe import Tokenizer                      # noqa: E402

MODEL = "tiny-f32"
TEXT = "The cat sat on the mat. The cat sat on the"
# an early head, so that later layers' attention changes too, and a later one
ABLATED = [(0, 1), (1, 2)]
KIND = "zero"


def main():
    ref, cfg, w = mp.load(MODEL)
    ids = Tokenizer(os.path.join(mf.FIXTURES, "models", MODEL)).encode(TEXT)
    intact = ref.forward(cfg, w, ids)
    ablated = ref.forward(cfg, w, ids, ablate=ABLATED, kind=KIND)
    logp_intact = mp.log_softmax(mp.logits_of(ref, cfg, w, intact["resid"][-1]))    # (T, V)
    logp_ablated = mp.log_softmax(mp.logits_of(ref, cfg, w, ablated["resid"][-1]))
    top = logp_intact.argmax(axis=-1)
    out = {"model": MODEL, "made_by": "/usr/bin/python3 tools/reference/make_delta_fixtures.py",
           "text": TEXT, "ids": [int(i) for i in ids],
           "heads": ["%d.%d" % lh for lh in ABLATED], "kind": KIND,
           "intact_weights": mf.rounded(intact["weights"]),
           "ablated_weights": mf.rounded(ablated["weights"]),
           "delta": mf.rounded(ablated["weights"] - intact["weights"]),
           "top_ids": [int(t) for t in top],
           "top_logprob_intact": mf.rounded(np.array([logp_intact[t, top[t]] for t in range(len(ids))])),
           "top_logprob_ablated": mf.rounded(np.array([logp_ablated[t, top[t]] for t in range(len(ids))])),
           "rollout_intact": mf.rounded(mp.rollout(intact["weights"])),
           "rollout_ablated": mf.rounded(mp.rollout(ablated["weights"]))}
    path = os.path.join(mf.FIXTURES, "delta-%s.json" % MODEL)
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.relpath(path, mf.ROOT))


if __name__ == "__main__":
    main()
