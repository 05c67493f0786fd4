#!/usr/bin/python3
"""attention-cli beyond looking (issue 14): predict, generate, rollout,
weights --ablate and heads --probe induction, checked against the numpy
reference (tools/reference/gpt2_reference.py) on the tiny GPT-2 fixture.

Usage: test-cli-predict.py ATTENTION_CLI MODEL_DIR
Prints TAP, so meson counts every case.
"""

import csv
import io
import json
import os
import sys

import numpy as np

from clitap import Suite

CLI, MODEL = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools", "reference"))
import gpt2_reference as ref  # noqa: E402

suite = Suite("cli-predict", CLI)
case, run = suite.case, suite.run
CFG, W = ref.load_model(MODEL)
TEXT = "The cat sat on the mat. The cat"


def as_json(*args):
    return json.loads(run(*args).stdout)


def log_softmax(z):
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def ref_logits(ids, ablate=None, kind="zero", block=-1):
    r = ref.forward(CFG, W, ids, ablate=ablate, kind=kind)
    return ref.final_norm(CFG, W, r["resid"][block]) @ ref.lm_head(CFG, W).T, r


def check_predictions(got, logits, k):
    p = np.exp(log_softmax(logits))
    order = np.argsort(-p, kind="stable")[:k]
    assert [g["id"] for g in got] == order.tolist(), (got, order)
    for g in got:
        assert abs(g["probability"] - p[g["id"]]) < 1e-5, (g, p[g["id"]])
        assert abs(g["logit"] - logits[g["id"]]) < 1e-5, (g, logits[g["id"]])


@case
def predict_json_against_reference():
    out = as_json("predict", "--model", MODEL, "--format", "json", "--top", "7", TEXT)
    ids = out["ids"]
    assert out["position"] == len(ids) - 1 and len(out["tokens"]) == len(ids)
    assert len(out["predictions"]) == 7
    logits, _ = ref_logits(ids)
    check_predictions(out["predictions"], logits[-1], 7)
    probs = [p["probability"] for p in out["predictions"]]
    assert probs == sorted(probs, reverse=True)
    # each token's log-probability under the model
    lp = log_softmax(logits)
    assert out["token_logprobs"][0] is None
    for t in range(1, len(ids)):
        assert abs(out["token_logprobs"][t] - lp[t - 1, ids[t]]) < 1e-5
    # another position
    mid = as_json("predict", "--model", MODEL, "--format", "json", "--position", "3", "-k", "4", TEXT)
    assert mid["position"] == 3
    check_predictions(mid["predictions"], logits[3], 4)


@case
def predict_lens_and_ablation():
    out = as_json("predict", "--model", MODEL, "--format", "json", "--lens", "-k", "3", TEXT)
    ids = out["ids"]
    assert len(out["lens"]) == CFG["n_layer"] + 1
    for b, entry in enumerate(out["lens"]):
        assert entry["after_layer"] == b - 1
        logits, _ = ref_logits(ids, block=b)
        check_predictions(entry["predictions"], logits[-1], 3)
    for kind in ("zero", "mean"):
        ab = as_json("predict", "--model", MODEL, "--format", "json", "--ablate", "0.1,1.3",
                     "--ablation", kind, "-k", "5", TEXT)
        assert ab["ablated"] == ["0.1", "1.3"] and ab["ablation"] == kind
        logits, _ = ref_logits(ids, ablate=[(0, 1), (1, 3)], kind=kind)
        check_predictions(ab["predictions"], logits[-1], 5)
        intact, _ = ref_logits(ids)
        assert np.abs(logits[-1] - intact[-1]).max() > 1e-3   # the ablation changes something


@case
def predict_text():
    out = run("predict", "--model", MODEL, "-k", "2", TEXT).stdout.decode()
    assert out.startswith('After token ') and "intact model" in out and out.count("logit") == 2, out
    out = run("predict", "--model", MODEL, "-k", "2", "--ablate", "1.0", TEXT).stdout.decode()
    assert "heads 1.0 off (zero)" in out, out


@case
def generate_greedy_and_seeded():
    g = as_json("generate", "--model", MODEL, "--format", "json", "--temperature", "0",
                "--tokens", "5", TEXT)
    ids = list(g["prompt_ids"])
    assert ids == as_json("predict", "--model", MODEL, "--format", "json", TEXT)["ids"]
    for new in g["new_ids"]:          # greedy: the reference's argmax each step
        logits, _ = ref_logits(ids)
        assert new == int(np.argmax(logits[-1])), (new, np.argmax(logits[-1]))
        ids.append(new)
    assert g["text"].startswith(TEXT) and len(g["new_ids"]) == 5
    # top-k 1 at any temperature is greedy too
    k1 = as_json("generate", "--model", MODEL, "--format", "json", "--temperature", "3",
                 "--top-k", "1", "--seed", "9", "--tokens", "5", TEXT)
    assert k1["new_ids"] == g["new_ids"]
    a = as_json("generate", "--model", MODEL, "--format", "json", "--seed", "5", "--tokens", "12", TEXT)
    b = as_json("generate", "--model", MODEL, "--format", "json", "--seed", "5", "--tokens", "12", TEXT)
    c = as_json("generate", "--model", MODEL, "--format", "json", "--seed", "6", "--tokens", "12", TEXT)
    assert a == b and a["new_ids"] != c["new_ids"], (a, c)
    assert run("generate", "--model", MODEL, "--seed", "5", "--tokens", "12", TEXT).stdout.decode() \
        == a["text"] + "\n"
    # the settings read back as typed (nine significant digits, not 0.80000000000000004)
    raw = run("generate", "--model", MODEL, "--format", "json", "--temperature", "0.8", "--top-p", "0.9",
              "--tokens", "1", TEXT).stdout.decode()
    assert '"temperature": 0.8,' in raw and '"top_p": 0.9,' in raw, raw


@case
def generate_stops_at_context():
    p = run("generate", "--model", MODEL, "--format", "json", "--temperature", "0", "--tokens", "100",
            TEXT)
    out = json.loads(p.stdout)
    assert len(out["prompt_ids"]) + len(out["new_ids"]) == 32, out
    assert "context (32 tokens) is full" in p.stderr.decode()


def ref_rollout(weights):
    T = weights.shape[-1]
    r = np.eye(T)
    for a in weights:
        r = (0.5 * a.mean(axis=0) + 0.5 * np.eye(T)) @ r
    return r


@case
def rollout_formats(tmp):
    out = as_json("rollout", "--model", MODEL, TEXT)
    ids = out["ids"]
    R = np.array(out["rollout"])
    expected = ref_rollout(ref.forward(CFG, W, ids)["weights"])
    assert np.abs(R - expected).max() < 1e-5, np.abs(R - expected).max()
    assert np.allclose(R.sum(axis=1), 1.0, atol=1e-5)
    path = os.path.join(tmp, "r.npy")
    with open(path, "wb") as f:
        f.write(run("rollout", "--model", MODEL, "--format", "npy", TEXT).stdout)
    npy = np.load(path)
    assert npy.dtype == np.float32 and npy.shape == R.shape and np.abs(npy - R).max() < 1e-7
    rows = list(csv.DictReader(io.StringIO(run("rollout", "--model", MODEL, "-f", "csv", TEXT)
                                           .stdout.decode())))
    T = len(ids)
    assert len(rows) == T * (T + 1) // 2
    for r in rows:
        assert abs(float(r["rollout"]) - R[int(r["query"]), int(r["key"])]) < 1e-7
        assert r["query_token"] == out["tokens"][int(r["query"])]
    ab = as_json("rollout", "--model", MODEL, "--ablate", "0.0", TEXT)
    assert ab["ablated"] == ["0.0"]
    expected = ref_rollout(ref.forward(CFG, W, ids, ablate=[(0, 0)])["weights"])
    assert np.abs(np.array(ab["rollout"]) - expected).max() < 1e-5


@case
def weights_ablated():
    for kind in ("zero", "mean"):
        out = as_json("weights", "--model", MODEL, "--ablate", "0.2", "--ablation", kind, TEXT)
        assert out["ablated"] == ["0.2"] and out["ablation"] == kind
        r = ref.forward(CFG, W, out["ids"], ablate=[(0, 2)], kind=kind)
        got = np.array(out["attention"])
        assert np.abs(got - r["weights"]).max() < 1e-5
        intact = ref.forward(CFG, W, out["ids"])["weights"]
        assert np.abs(intact[1] - r["weights"][1]).max() > 1e-4   # layer 1 sees the change
    plain = as_json("weights", "--model", MODEL, TEXT)
    assert "ablated" not in plain


def induction(weights, ids):
    """The issue's definition, by hand."""
    total, n = 0.0, 0
    for q in range(len(ids)):
        earlier = [k for k in range(q) if ids[k] == ids[q]]
        if earlier:
            total += weights[q, earlier[-1] + 1]
            n += 1
    return total / n


@case
def heads_probe_induction():
    out = as_json("heads", "--model", MODEL, "--format", "json", "--probe", "induction", TEXT)
    ids = out["probe_ids"]
    n = (len(ids) - 1) // 2 if len(ids) % 2 else len(ids) // 2
    start = len(ids) - 2 * n
    assert ids[start:start + n] == ids[start + n:] and len(set(ids[start:start + n])) == n
    assert len(ids) <= 32 and out["probe"] == "induction"
    weights = ref.forward(CFG, W, ids)["weights"]
    for h in out["heads"]:
        expected = induction(weights[h["layer"], h["head"]], ids)
        assert abs(h["induction"] - expected) < 1e-5, (h, expected)
        assert "duplicate" in h
    # without the probe, no probe fields
    plain = as_json("heads", "--model", MODEL, "--format", "json", TEXT)
    assert "probe_ids" not in plain and "duplicate" in plain["heads"][0]
    text = run("heads", "--model", MODEL, "--probe", "induction", TEXT).stdout.decode()
    assert "induction" in text.splitlines()[0]


def pdf_title(path):
    """The /Title of a PDF cairo wrote: (ASCII) or <FEFF…> UTF-16 hex."""
    import re
    with open(path, "rb") as f:
        data = f.read()
    m = re.search(rb"/Title\s*<([0-9A-Fa-f]+)>", data)
    if m:
        return bytes.fromhex(m.group(1).decode()).decode("utf-16")
    m = re.search(rb"/Title\s*\((.*?)\)", data)
    return m.group(1).decode() if m else ""


@case
def export_title_names_ablation(tmp):
    """The PDF's title names the heads switched off (and only then)."""
    pdf = os.path.join(tmp, "h.pdf")
    run("export", "--model", MODEL, "--view", "heatmap", "--ablate", "0.1", "--ablation", "mean",
        "-o", pdf, TEXT)
    title = pdf_title(pdf)
    assert "heads 0.1 off (mean)" in title, title
    run("export", "--model", MODEL, "--view", "heatmap", "-o", pdf, TEXT)
    assert "off (" not in pdf_title(pdf) and "tiny-f32" in pdf_title(pdf), pdf_title(pdf)


@case
def usage_errors():
    for args in (["predict", "--position", "99", TEXT], ["predict", "--top", "0", TEXT],
                 ["predict", "--ablate", "5.0", TEXT], ["predict", "--ablate", "0-1", TEXT],
                 ["weights", "--ablate", "0.1", "--ablation", "half", TEXT],
                 ["generate", "--temperature", "-1", TEXT], ["generate", "--top-p", "1.5", TEXT],
                 ["generate", "--seed", "x", TEXT], ["heads", "--probe", "copying", TEXT],
                 ["rollout", "--format", "xml", TEXT]):
        p = run(args[0], "--model", MODEL, *args[1:], ok=False)
        assert p.returncode == 2, (args, p.returncode, p.stderr)


suite.main()
