#!/usr/bin/python3
"""attention-cli's contract (issue 2): info, tokens and weights as JSON, CSV
and NPY holding the same numbers; errors on stderr with a non-zero status.

Usage: test-cli.py ATTENTION_CLI MODEL_DIR
Prints TAP, so meson counts every case.
"""

import csv
import io
import json
import os
import sys
import tempfile

import numpy as np

from clitap import Suite

CLI, MODEL = sys.argv[1], sys.argv[2]
FIXTURES = os.path.dirname(os.path.dirname(os.path.abspath(MODEL)))
suite = Suite("cli", CLI)
case, run = suite.case, suite.run


def weights_json(*extra):
    return json.loads(run("weights", "--model", MODEL, *extra, "The cat sat on the mat.").stdout)


@case
def info_text_and_json():
    out = run("info", "--model", MODEL).stdout.decode()
    assert "layers" in out and "tiny-f32" in out, out
    info = json.loads(run("info", "--model", MODEL, "--format", "json").stdout)
    assert (info["n_layer"], info["n_head"], info["n_ctx"]) == (2, 4, 32), info
    assert info["dtype"] == "F32"
    assert info["tokenizer"] == "GPT-2 byte-level BPE (vocab.json, merges.txt)", info
    assert (info["architecture"], info["positions"], info["n_kv_head"]) == ("GPT-2", "learned", 4)


@case
def learner_small_things():
    """Issue 16's CLI details: a float32 epsilon prints as 1e-05, a folder
    without config.json is "not a model" (no doubled slash), the sandbox
    says q = x·W_Q (it has no bias), and the −∞ rows stay in their columns."""
    raw = run("info", "--model", MODEL, "--format", "json").stdout.decode()
    assert '"layer_norm_epsilon": 1e-05' in raw or '"layer_norm_epsilon": 1e-5' in raw, raw
    with tempfile.TemporaryDirectory() as empty:
        p = run("tokens", "--model", empty + "/", "x", ok=False)
        err = p.stderr.decode()
        assert "this folder is not a model: no config.json" in err, err
        assert "//" not in err, err
    sandbox = run("walkthrough", "--sandbox").stdout.decode()
    assert "q = x·W_Q,  k = x_key·W_K,  v = x_key·W_V" in sandbox and "b_Q" not in sandbox, sandbox
    text = run("walkthrough", "--model", MODEL, "--query", "1", "--key", "1",
               "The cat sat on the mat.").stdout.decode()
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.strip().startswith("j  token")) + 1
    table = []
    for l in lines[start:]:
        if not l.strip() or not l.strip()[0].isdigit():
            break
        table.append(l)
    assert any("−∞" in l for l in table) and any("−∞" not in l for l in table), table
    # every row's weight ends in the same column (characters, as a terminal shows them)
    ends = {len(l.split("◀")[0].rstrip()) for l in table}
    assert len(ends) == 1, table


@case
def merge_words_matches_numpy():
    """weights --merge-words: words start at a leading space or a special
    token, and word → word attention is the sum over the key's pieces,
    averaged over the query's, checked against numpy on the token weights."""
    text = "The cat didn't sit."   # the fixture reads 32 tokens at most
    tokens = json.loads(run("weights", "--model", MODEL, text).stdout)
    merged = json.loads(run("weights", "--model", MODEL, "--merge-words", text).stdout)
    assert merged["merged_words"] is True
    pieces = merged["pieces"]
    assert pieces[0][0] == 0 and pieces[-1][1] == len(tokens["tokens"])
    assert any(b - a > 1 for a, b in pieces), pieces   # something was merged
    for (a, b), word in zip(pieces, merged["words"]):
        assert "".join(tokens["tokens"][a:b]) == word
        for t in tokens["tokens"][a + 1:b]:
            assert not t[:1].isspace(), (word, t)
    w = np.array(tokens["attention"], dtype=np.float64)
    L, H, T, _ = w.shape
    W = len(pieces)
    expect = np.zeros((L, H, W, W))
    for qa, (q0, q1) in enumerate(pieces):
        for kb, (k0, k1) in enumerate(pieces):
            expect[:, :, qa, kb] = w[:, :, q0:q1, k0:k1].sum(axis=3).mean(axis=2)
    got = np.array(merged["attention"])
    assert got.shape == expect.shape, (got.shape, expect.shape)
    assert np.abs(got - expect).max() < 1e-6, np.abs(got - expect).max()
    assert np.allclose(got.sum(axis=3), 1, atol=1e-5)
    # the model's tokens ride along: pieces index them
    assert merged["tokens"] == tokens["tokens"], merged["tokens"]
    assert "sum over the key word's pieces" in merged["merge"], merged["merge"]
    # CSV and NPY carry the same merged numbers; CSV names its columns words
    rows = list(csv.DictReader(io.StringIO(
        run("weights", "--model", MODEL, "--merge-words", "--format", "csv", text).stdout.decode())))
    assert "query_word" in rows[0] and "query_token" not in rows[0], rows[0]
    assert len(rows) == L * H * W * W
    for r in rows[:: max(1, len(rows) // 50)]:
        l, h, a, b = (int(r[k]) for k in ("layer", "head", "query", "key"))
        assert r["query_word"] == merged["words"][a] and r["key_word"] == merged["words"][b]
        assert abs(float(r["weight"]) - expect[l, h, a, b]) < 1e-6, r
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "w.npy")
        run("weights", "--model", MODEL, "--merge-words", "-o", path, text)
        arr = np.load(path)
        assert arr.shape == (L, H, W, W) and arr.dtype == np.float32, arr.shape
        assert np.abs(arr - expect).max() < 1e-6
    # one head only: the same numbers
    one = json.loads(run("weights", "--model", MODEL, "--merge-words", "--layer", "1", "--head", "2",
                         text).stdout)
    assert np.abs(np.array(one["attention"])[0, 0] - expect[1, 2]).max() < 1e-6


@case
def info_llama_family():
    llama = os.path.join(FIXTURES, "models", "qwen2-gqa4")
    out = run("info", "--model", llama).stdout.decode()
    assert "Qwen2" in out and "grouped-query" in out and "RMSNorm" in out and "rotary" in out, out
    info = json.loads(run("info", "--model", llama, "--format", "json").stdout)
    assert (info["architecture"], info["n_head"], info["n_kv_head"], info["head_size"]) == \
        ("Qwen2", 4, 1, 6), info
    assert (info["positions"], info["rotary_dim"], info["norm"], info["mlp"]) == \
        ("rotary", 6, "RMSNorm", "SwiGLU"), info
    neox = json.loads(run("info", "--model", os.path.join(FIXTURES, "models", "pythia-parallel"),
                          "--format", "json").stdout)
    assert (neox["architecture"], neox["rotary_dim"], neox["residual"]) == \
        ("GPT-NeoX", 4, "parallel"), neox


@case
def walkthrough_rotary_gqa():
    """Step 2 names the shared KV head; step 3 turns each pair of q and k by
    position times its frequency, and the dot product uses the turned ones."""
    llama = os.path.join(FIXTURES, "models", "llama-gqa2")
    args = ("walkthrough", "--model", llama, "--layer", "1", "--head", "3",
            "--query", "4", "--key", "2", "The cat sat on")
    text = run(*args).stdout.decode()
    assert "k and v from KV head 1, shared by heads 2–3" in text and "Rotate by position" in text, text
    w = json.loads(run(*args, "--format", "json").stdout)
    assert (w["n_kv_head"], w["kv_head"], w["rotary_dim"]) == (2, 1, 6), w
    half = 3
    for vec, rot, angles, pos in (("q", "q_rot", "angle_q", 4), ("k", "k_rot", "angle_k", 2)):
        for i in range(half):
            a = pos * w["freq"][i]
            assert abs(w[angles][i] - a) < 1e-5
            x, y = w[vec][i], w[vec][i + half]
            assert abs(w[rot][i] - (x * np.cos(a) - y * np.sin(a))) < 1e-5, (vec, i)
            assert abs(w[rot][i + half] - (y * np.cos(a) + x * np.sin(a))) < 1e-5, (vec, i)
    dot = sum(a * b for a, b in zip(w["q_rot"], w["k_rot"]))
    assert abs(dot - w["dot"]) < 1e-5, (dot, w["dot"])


@case
def tokens_json_spans():
    text = "The cat sat on the mat."
    t = json.loads(run("tokens", "--model", MODEL, "--format", "json", text).stdout)
    assert len(t["tokens"]) == len(t["ids"]) == len(t["offsets"]) > 0
    raw = text.encode()
    assert b"".join(raw[s:e] for s, e in t["offsets"]) == raw
    assert "".join(t["tokens"]) == text


@case
def tokens_from_standard_input():
    # 64 bytes filled the stdin buffer exactly, which was then read past its end.
    for n in (1, 63, 64, 65, 4096):
        text = "a" * n
        t = json.loads(run("tokens", "--model", MODEL, "--format", "json", "-",
                           stdin=text.encode()).stdout)
        assert "".join(t["tokens"]) == text, (n, t["tokens"])
    # A NUL ended the text there without a word; now it is refused.
    p = run("tokens", "--model", MODEL, "-", stdin=b"The cat\0 sat", ok=False)
    assert b"NUL" in p.stderr and b"7" in p.stderr, p.stderr


@case
def weights_json_shape_and_causality():
    w = weights_json()
    for field in ("model", "n_layer", "n_head", "n_ctx", "tokens", "ids", "offsets",
                  "layers", "heads", "attention"):
        assert field in w, field
    a = np.array(w["attention"], dtype=np.float64)
    T = len(w["tokens"])
    assert a.shape == (2, 4, T, T), a.shape
    assert w["layers"] == [0, 1] and w["heads"] == [0, 1, 2, 3]
    assert np.all(a[..., np.triu_indices(T, 1)[0], np.triu_indices(T, 1)[1]] == 0)
    assert np.allclose(a.sum(-1), 1, atol=1e-5)


@case
def weights_layer_head_restriction():
    w = weights_json("--layer", "1", "--head", "2")
    full = weights_json()
    assert w["layers"] == [1] and w["heads"] == [2]
    assert w["attention"][0][0] == full["attention"][1][2]


@case
def threads_from_environment():
    # ATTENTION_THREADS sets the forward pass's pool (README, "Threads");
    # anything but a positive integer keeps the default.
    def threads(value):
        info = json.loads(run("info", "--model", MODEL, "--format", "json",
                              env={"ATTENTION_THREADS": value}).stdout)
        return info["threads"]
    assert threads("1") == 1 and threads("3") == 3 and threads("7") == 7
    assert threads("0") == threads("two") == threads("") >= 1
    # The heads run in parallel, one per thread: any thread count gives the
    # same attention (to float rounding in the GEMMs' partition).
    text = "The cat sat on the mat. The dog sat on the log. " * 2
    a = [np.array(json.loads(run("weights", "--model", MODEL, "--truncate", text,
                                 env={"ATTENTION_THREADS": n}).stdout)["attention"])
         for n in ("1", "2", "3", "5")]
    for other in a[1:]:
        assert other.shape == a[0].shape and np.abs(other - a[0]).max() <= 1e-6


@case
def csv_npy_json_agree():
    full = np.array(weights_json()["attention"], dtype=np.float32)
    with tempfile.TemporaryDirectory() as d:
        run("weights", "--model", MODEL, "-o", os.path.join(d, "w.npy"), "The cat sat on the mat.")
        run("weights", "--model", MODEL, "--format", "csv", "-o", os.path.join(d, "w.csv"),
            "The cat sat on the mat.")
        npy = np.load(os.path.join(d, "w.npy"))
        assert npy.dtype == np.float32 and npy.shape == full.shape
        assert np.array_equal(npy, full)
        with open(os.path.join(d, "w.csv"), newline="") as f:
            rows = list(csv.reader(f))
    assert rows[0] == ["layer", "head", "query", "key", "query_token", "key_token", "weight"]
    assert len(rows) - 1 == full.size
    tokens = weights_json()["tokens"]
    for r in rows[1:]:
        l, h, q, k = map(int, r[:4])
        assert r[4] == tokens[q] and r[5] == tokens[k]
        assert np.float32(r[6]) == full[l, h, q, k]


@case
def heads_statistics_match_weights():
    h = json.loads(run("heads", "--model", MODEL, "--format", "json", "The cat sat on the mat.").stdout)
    a = np.array(weights_json()["attention"], dtype=np.float64)
    T = a.shape[-1]
    assert len(h["heads"]) == 2 * 4
    labels = {"previous token", "first token (sink)", "self", "nearby tokens", "broad",
              "specific tokens", "induction"}
    for s in h["heads"]:
        w = a[s["layer"], s["head"]]
        rows = range(1, T)
        assert abs(s["prev"] - np.mean([w[q, q - 1] for q in rows])) < 1e-6
        assert abs(s["first"] - np.mean([w[q, 0] for q in rows])) < 1e-6
        assert abs(s["self"] - np.mean([w[q, q] for q in rows])) < 1e-6
        assert s["label"] in labels, s["label"]


@case
def heads_label_rule_matches_python():
    # tools/train/heads.py labels the model card's heads with the app's rule;
    # on repeated text (where the induction figures count) both must agree.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                    "tools", "train"))
    import heads
    # Repeats 2, 3, 4 and more tokens back: the "earlier occurrence" must be
    # at least 3 back in both (the tiny model's tokens are bytes).
    text = "xyxyzxyzwxyzw"
    h = json.loads(run("heads", "--model", MODEL, "--format", "json", text).stdout)
    w = json.loads(run("weights", "--model", MODEL, "--format", "json", text).stdout)
    a = np.array(w["attention"], dtype=np.float64)
    for s in h["heads"]:
        st = heads.head_stats(a[s["layer"]], w["ids"])
        i = s["head"]
        assert s["repeat_rows"] == st["repeat_rows"] >= 4, (s, st["repeat_rows"])
        assert abs(s["induction"] - st["induction"][i]) < 1e-6, (s, st["induction"][i])
        assert abs(s["prev_argmax"] - st["argmax"][i]) < 1e-6
        assert s["label"] == heads.label_of(st, i), (s, heads.label_of(st, i))


@case
def empty_text_is_empty_result():
    w = json.loads(run("weights", "--model", MODEL, "").stdout)
    assert w["tokens"] == [] and w["attention"] == [[[], [], [], []], [[], [], [], []]]


@case
def too_long_text_names_the_limit():
    p = run("weights", "--model", MODEL, " word" * 40, ok=False)
    assert b"32" in p.stderr and b"--truncate" in p.stderr and p.stdout == b"", p.stderr


@case
def truncate_uses_what_fits():
    w = json.loads(run("weights", "--model", MODEL, "--truncate", "--layer", "1", " word" * 40).stdout)
    assert len(w["tokens"]) == 32 and w["n_layer"] == 2 and w["layers"] == [1]
    assert np.array(w["attention"]).shape == (1, 4, 32, 32)


@case
def negative_indices_are_refused():
    for args in (["weights", "--layer", "-5"], ["weights", "--head", "-1"],
                 ["export", "--query", "-3", "-o", "/tmp/never.png"]):
        p = run(*args, "--model", MODEL, "x", ok=False)
        assert b"start at 0" in p.stderr, p.stderr
    assert not os.path.exists("/tmp/never.png")


@case
def missing_model_names_the_file():
    p = run("info", "--model", "/nonexistent/model", ok=False)
    assert b"config.json" in p.stderr, p.stderr


@case
def bad_layer_and_format():
    assert b"layer" in run("weights", "--model", MODEL, "--layer", "7", "x", ok=False).stderr
    assert b"format" in run("weights", "--model", MODEL, "--format", "xml", "x", ok=False).stderr


@case
def unwritable_output_leaves_nothing():
    with tempfile.TemporaryDirectory() as d:
        target = os.path.join(d, "missing-folder", "w.json")
        p = run("weights", "--model", MODEL, "-o", target, "The cat", ok=False)
        assert b"w.json" in p.stderr, p.stderr
        assert not os.path.exists(target)
        os.chmod(d, 0o500)
        try:
            if os.access(d, os.W_OK):  # root ignores permissions; nothing to check then
                return
            target = os.path.join(d, "w.json")
            run("weights", "--model", MODEL, "-o", target, "The cat", ok=False)
            assert os.listdir(d) == []
        finally:
            os.chmod(d, 0o700)


suite.main()
