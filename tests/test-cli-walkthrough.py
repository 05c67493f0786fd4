#!/usr/bin/python3
"""attention-cli walkthrough's contract (issue 5): its JSON agrees with
`weights --format json` for the same pair, the sandbox gives the seed's
figures, and errors go to stderr with a non-zero status.

Usage: test-cli-walkthrough.py ATTENTION_CLI MODEL_DIR...
Model directories without model.safetensors (the built-in model before it is
trained) are left out.  Prints TAP, so meson counts every case.
"""

import json
import math
import os
import sys

from clitap import Suite

CLI = sys.argv[1]
MODELS = [d for d in sys.argv[2:] if os.path.exists(os.path.join(d, "model.safetensors"))]
TEXT = "The cat sat on the mat because it was tired."
FIELDS = ["tokens", "layer", "head", "query", "key", "d_head", "x", "x_key", "w_q", "w_k", "w_v",
          "b_q", "b_k", "b_v", "q", "k", "v", "products", "dot", "scale", "score", "masked",
          "scores", "weights", "weight", "head_output", "heads_joined", "attn_output"]
suite = Suite("cli-walkthrough", CLI)
case, run = suite.case, suite.run


def walk(model, layer, head, query, key):
    return json.loads(run("walkthrough", "--model", model, "--layer", str(layer), "--head", str(head),
                          "--query", str(query), "--key", str(key), "--format", "json", TEXT).stdout)


def close(a, b, tol=1e-6):
    return abs(a - b) <= tol


@case
def json_agrees_with_weights():
    assert MODELS, "no model to test"
    for model in MODELS:
        w = json.loads(run("weights", "--model", model, "--format", "json", TEXT).stdout)
        T = len(w["tokens"])
        for layer in sorted({0, w["n_layer"] - 1}):
            for head in sorted({0, w["n_head"] - 1}):
                for query, key in [(0, 0), (T - 1, 0), (T - 1, T - 2), (T // 2, T // 2), (1, T - 1)]:
                    s = walk(model, layer, head, query, key)
                    row = w["attention"][layer][head][query]
                    assert s["tokens"] == w["tokens"]
                    assert all(close(a, b) for a, b in zip(s["weights"], row)), (model, layer, head, query)
                    assert close(s["weight"], row[key]), (s["weight"], row[key])
                    assert close(sum(s["weights"]), 1.0, 1e-5)
                    assert s["masked"] == (key > query)
                    if s["masked"]:
                        assert s["score"] is None and s["weight"] == 0.0
                    else:
                        assert close(s["score"], s["dot"] * s["scale"], 1e-5)
                        assert s["scores"][key] is not None
                    assert all(x is None for x in s["scores"][query + 1:])


@case
def json_fields_and_shapes():
    model = MODELS[0]
    s = walk(model, 0, 1, 3, 2)
    missing = [f for f in FIELDS if f not in s]
    assert not missing, missing
    C, hs, T = len(s["x"]), s["d_head"], len(s["tokens"])
    assert len(s["w_q"]) == C and all(len(r) == hs for r in s["w_q"] + s["w_k"] + s["w_v"])
    for f in ["b_q", "b_k", "b_v", "q", "k", "v", "products", "head_output"]:
        assert len(s[f]) == hs, f
    assert len(s["scores"]) == len(s["weights"]) == T
    assert len(s["heads_joined"]) == len(s["attn_output"]) == C
    # q really is x·W_Q + b_Q, and the products sum to the dot product
    q = [sum(s["x"][i] * s["w_q"][i][j] for i in range(C)) + s["b_q"][j] for j in range(hs)]
    assert all(close(a, b, 1e-4) for a, b in zip(q, s["q"]))
    assert close(sum(s["products"]), s["dot"], 1e-5)
    assert close(s["scale"], 1 / math.sqrt(hs))


@case
def sandbox_seed_figures():
    s = json.loads(run("walkthrough", "--sandbox", "--format", "json").stdout)
    assert s["tokens"] == ["sat", "cat"] and (s["query"], s["key"]) == (1, 0)
    assert [f"{x:.2f}" for x in s["q"]] == ["0.40", "-0.05", "0.23", "0.21"], s["q"]
    assert [f"{x:.2f}" for x in s["k"]] == ["-0.01", "0.79", "-0.07", "0.53"], s["k"]
    assert f"{s['dot']:.3f}" == "0.052" and f"{s['score']:.3f}" == "0.026"
    assert f"{s['weight']:.3f}" == "0.506"
    assert s["heads_joined"] is None
    text = run("walkthrough", "--sandbox").stdout.decode()
    assert "0.052" in text and "0.026" in text and "0.506" in text, text


@case
def sandbox_embedding_override():
    base = json.loads(run("walkthrough", "--sandbox", "--format", "json").stdout)
    moved = json.loads(run("walkthrough", "--sandbox", "--format", "json",
                           "--embedding", "cat=0.70,0.45,0.50,0.10").stdout)
    assert moved["x"][1] == 0.449999988 or close(moved["x"][1], 0.45)
    assert moved["k"] == base["k"] and moved["q"] != base["q"]
    assert moved["weight"] != base["weight"]
    own = json.loads(run("walkthrough", "--sandbox", "--format", "json", "--query", "cat", "--key", "cat").stdout)
    assert own["key"] == 1 and close(own["weight"], 1 - base["weight"])
    masked = json.loads(run("walkthrough", "--sandbox", "--format", "json", "--query", "sat", "--key", "cat").stdout)
    assert masked["masked"] and masked["score"] is None and masked["weight"] == 0.0
    # The largest embedding taken still gives finite steps, every vector whole.
    big = json.loads(run("walkthrough", "--sandbox", "--format", "json",
                         "--embedding", "cat=1000,-1000,1000,-1000").stdout)
    assert len(big["x"]) == 4 and len(big["q"]) == 4 and len(big["weights"]) == 2, big
    assert all(v is not None for v in big["q"] + big["products"] + big["weights"]), big


@case
def errors():
    model = MODELS[0]
    run("walkthrough", "--model", model, "--query", "99", "--key", "0", TEXT, ok=False)
    run("walkthrough", "--model", model, "--query", "0", "--key", "99", TEXT, ok=False)
    run("walkthrough", "--model", model, "--query", "-1", "--key", "0", TEXT, ok=False)
    run("walkthrough", "--model", model, "--layer", "99", "--query", "0", "--key", "0", TEXT, ok=False)
    run("walkthrough", "--model", model, "--head", "99", "--query", "0", "--key", "0", TEXT, ok=False)
    run("walkthrough", "--model", model, "--key", "0", TEXT, ok=False)
    run("walkthrough", "--model", model, "--query", "0", "--key", "0", ok=False)
    run("walkthrough", "--model", model, "--query", "0", "--key", "0", "--format", "xml", TEXT, ok=False)
    run("walkthrough", "--sandbox", "--query", "dog", ok=False)
    run("walkthrough", "--sandbox", "--embedding", "cat=1,2", ok=False)
    run("walkthrough", "--sandbox", "--embedding", "dog=1,2,3,4", ok=False)
    # Past float32's reach the steps were inf and NaN, and the JSON lost them.
    p = run("walkthrough", "--sandbox", "--embedding", "cat=1e30,0,0,0", ok=False)
    assert b"1e30" in p.stderr and b"range" in p.stderr, p.stderr
    run("walkthrough", "--sandbox", "some text", ok=False)


suite.main()
