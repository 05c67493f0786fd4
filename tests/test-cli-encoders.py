#!/usr/bin/python3
"""Encoders through attention-cli (issue 15): BERT, DistilBERT and RoBERTa
random-weight checkpoints (tools/reference/make_encoder_fixtures.py) on
texts and sentence pairs, against encoder-cli.json
(tools/reference/make_encoder_cli_fixtures.py): the ids the tokenizers'
published algorithms give, the token types and segments, every head's
attention from the numpy reference to 1e-5 ([layer][head][query][key]),
and the masked-LM head's top words at each [MASK] / <mask> (probabilities
and logits to 1e-5).  --pair on a decoder is a usage error (exit 2) that
says why.

Usage: test-cli-encoders.py ATTENTION_CLI FIXTURES_DIR
Prints TAP, so meson counts every case.
"""

import json
import os
import sys

import numpy as np

from clitap import Suite

CLI, FIXTURES = sys.argv[1], sys.argv[2]
suite = Suite("cli-encoders", CLI)
case, run = suite.case, suite.run

with open(os.path.join(FIXTURES, "encoder-cli.json"), encoding="utf-8") as f:
    CASES = json.load(f)


def model(name):
    return os.path.join(FIXTURES, "models", name)


def args(c, *command):
    pair = ["--pair", c["text_b"]] if "text_b" in c else []
    return [*command, "--model", model(c["model"]), *pair, "--format", "json", c["text"]]


def label(c):
    return "%s %r/%r" % (c["model"], c["text"], c.get("text_b"))


@case
def tokens_types_and_segments():
    for c in CASES:
        got = json.loads(run(*args(c, "tokens")).stdout)
        assert got["ids"] == c["ids"], (label(c), got["ids"], c["ids"])
        assert got["token_type_ids"] == c["token_type_ids"], (label(c), got["token_type_ids"])
        assert got["segments"] == c["segments"], (label(c), got["segments"])
        assert got.get("text_b") == c.get("text_b"), label(c)
        assert len(got["offsets"]) == len(c["ids"])


@case
def weights_against_the_numpy_reference():
    worst = 0.0
    for c in CASES:
        got = json.loads(run(*args(c, "weights")).stdout)
        assert got["ids"] == c["ids"], label(c)
        assert got["token_type_ids"] == c["token_type_ids"], label(c)
        assert got["segments"] == c["segments"], label(c)
        att = np.array(got["attention"], dtype=np.float64)
        want = np.array(c["weights"]).reshape(c["shape"])
        assert att.shape == want.shape, (label(c), att.shape, want.shape)
        diff = np.abs(att - want).max()
        worst = max(worst, diff)
        assert diff < 1e-5, "%s: attention differs by %g" % (label(c), diff)
        # an encoder: every row sees every key, B included
        assert (att > 0).all(), label(c)
    print("# worst attention difference %.3g" % worst)


@case
def pair_changes_the_numbers():
    """B's token types reach the model: a pair's A rows are not those of A
    alone (BERT), and B's presence is seen from A (all families)."""
    for c in CASES:
        if "text_b" not in c:
            continue
        pair = np.array(json.loads(run(*args(c, "weights")).stdout)["attention"])
        alone = np.array(json.loads(run("weights", "--model", model(c["model"]), "--format",
                                        "json", c["text"]).stdout)["attention"])
        n = alone.shape[-1] - 1   # A's tokens and its [CLS], before A's [SEP]
        assert np.abs(pair[..., :n, :n] - alone[..., :n, :n]).max() > 1e-4, label(c)


@case
def masked_predictions_against_the_reference():
    worst = 0.0
    for c in CASES:
        if "masked" not in c:
            continue
        got = json.loads(run(*args(c, "predict"), "--top", "5").stdout)
        assert got["ids"] == c["ids"], label(c)
        assert [m["position"] for m in got["masked"]] == [m["position"] for m in c["masked"]]
        for g, w in zip(got["masked"], c["masked"]):
            assert [p["id"] for p in g["predictions"]] == w["ids"], (label(c), g, w)
            for p, prob, logit in zip(g["predictions"], w["probabilities"], w["logits"]):
                worst = max(worst, abs(p["probability"] - prob), abs(p["logit"] - logit))
                assert abs(p["probability"] - prob) < 1e-5, (label(c), p, prob)
                assert abs(p["logit"] - logit) < 1e-5 * max(1.0, abs(logit)), (label(c), p, logit)
        text = run(*args(c, "predict")[:-3], c["text"]).stdout.decode()
        assert "filled in" in text, text
    print("# worst probability or logit difference %.3g" % worst)


@case
def predict_at_a_position_and_errors():
    c = next(c for c in CASES if c["model"] == "bert-mlm" and "masked" in c)
    pos = c["masked"][0]["position"]
    got = json.loads(run(*args(c, "predict"), "--position", str(pos), "--top", "3").stdout)
    assert [m["position"] for m in got["masked"]] == [pos]
    assert [p["id"] for p in got["masked"][0]["predictions"]] == c["masked"][0]["ids"][:3]
    # no mask in the text
    p = run("predict", "--model", model("bert-mlm"), "the cat", ok=False)
    assert p.returncode == 1 and b"[MASK]" in p.stderr, p.stderr
    # an encoder without a masked-LM head
    p = run("predict", "--model", model("bert-base"), "the [MASK]", ok=False)
    assert p.returncode == 1 and b"masked-LM head" in p.stderr, p.stderr
    # the logit lens is a decoder's
    p = run("predict", "--lens", "--model", model("bert-mlm"), "the [MASK]", ok=False)
    assert p.returncode == 2 and b"encoder" in p.stderr, p.stderr


@case
def pair_on_a_decoder_is_a_usage_error():
    for command in ("tokens", "weights", "heads", "walkthrough", "export", "predict"):
        extra = {"walkthrough": ["--query", "0", "--key", "0"],
                 "export": ["-o", "/tmp/never-written.png"]}.get(command, [])
        p = run(command, "--model", model("tiny-f32"), "--pair", "B", *extra, "A", ok=False)
        assert p.returncode == 2, (command, p.returncode, p.stderr)
        assert b"--pair" in p.stderr and b"decoder" in p.stderr, (command, p.stderr)


@case
def pair_on_heads_walkthrough_and_export(tmp):
    c = next(c for c in CASES if c["model"] == "bert-mlm" and "text_b" in c)
    heads = json.loads(run(*args(c, "heads")).stdout)
    assert heads["segments"] == c["segments"] and heads["n_tokens"] == len(c["ids"])
    b = c["segments"].index("B")
    walk = json.loads(run(*args(c, "walkthrough"), "--query", "1", "--key", str(b)).stdout)
    assert walk["segments"] == c["segments"]
    # the walkthrough's weight is the reference's
    want = np.array(c["weights"]).reshape(c["shape"])[0, 0, 1, b]
    assert abs(walk["weight"] - want) < 1e-5, (walk["weight"], want)
    out = os.path.join(tmp, "pair.png")
    run("export", "--model", model(c["model"]), "--pair", c["text_b"], "-o", out, c["text"])
    with open(out, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


@case
def links_filter_in_weights_and_export(tmp):
    """--links keeps the app's Links filter: weights writes the block of the
    query sentence's rows and the key sentence's columns (JSON says which,
    CSV keeps the tokens' indices, NPY has the block's shape), equal to the
    reference's; export draws only those links."""
    for c in CASES:
        if "text_b" not in c:
            continue
        want = np.array(c["weights"]).reshape(c["shape"])
        # BertViz's split: [CLS] A [SEP] | B [SEP], <s> A </s> | </s> B </s>
        first_b = len(c["segments"]) - c["segments"][::-1].index("A") + 1
        T = len(c["ids"])
        sentence = [range(0, first_b), range(first_b, T)]
        for links, (qs, ks) in {"A->A": (0, 0), "A->B": (0, 1), "B->A": (1, 0), "B->B": (1, 1)}.items():
            rows, keys = list(sentence[qs]), list(sentence[ks])
            block = want[:, :, rows][:, :, :, keys]
            got = json.loads(run(*args(c, "weights"), "--links", links).stdout)
            assert got["links"] == links and got["queries"] == rows and got["keys"] == keys, \
                (label(c), links, got.get("queries"), got.get("keys"))
            att = np.array(got["attention"], dtype=np.float64)
            assert att.shape == block.shape and np.abs(att - block).max() < 1e-5, (label(c), links)
            npy = os.path.join(tmp, "w.npy")
            run("weights", "--model", model(c["model"]), "--pair", c["text_b"], "--links", links,
                "-o", npy, c["text"])
            assert np.abs(np.load(npy) - block).max() < 1e-5, (label(c), links)
            csv = run("weights", "--model", model(c["model"]), "--pair", c["text_b"], "--links", links,
                      "--format", "csv", c["text"]).stdout.decode().splitlines()[1:]
            assert len(csv) == block.size, (label(c), links, len(csv))
            assert {(int(r.split(",")[2]), int(r.split(",")[3])) for r in csv} == \
                {(q, k) for q in rows for k in keys}, (label(c), links)
    c = next(c for c in CASES if c["model"] == "bert-mlm" and "text_b" in c)
    figures = []
    for links in ("all", "A->B"):
        out = os.path.join(tmp, "pair-%d.png" % len(figures))
        run("export", "--model", model(c["model"]), "--pair", c["text_b"], "--links", links, "-o", out, c["text"])
        with open(out, "rb") as f:
            figures.append(f.read())
    assert figures[0] != figures[1], "--links A->B drew the same figure as all links"
    p = run("weights", "--model", model(c["model"]), "--links", "A->B", c["text"], ok=False)
    assert p.returncode == 2 and b"--pair" in p.stderr, p.stderr
    p = run("export", "--model", model(c["model"]), "--pair", "b", "--links", "A-B", "-o",
            os.path.join(tmp, "x.png"), c["text"], ok=False)
    assert p.returncode == 2 and b"A-B" in p.stderr, p.stderr


@case
def rollout_of_a_pair():
    """rollout --pair: R = Â_{L-1} ··· Â_0, Â_l = ½·mean over heads + ½·I
    (Abnar & Zuidema), from the numpy reference's weights of the pair."""
    for c in CASES:
        if "text_b" not in c:
            continue
        weights = np.array(c["weights"]).reshape(c["shape"])
        T = weights.shape[-1]
        want = np.eye(T)
        for a in weights:
            want = (0.5 * a.mean(axis=0) + 0.5 * np.eye(T)) @ want
        got = json.loads(run("rollout", "--model", model(c["model"]), "--pair", c["text_b"], c["text"]).stdout)
        assert got["ids"] == c["ids"] and got["segments"] == c["segments"], label(c)
        assert got["text_b"] == c["text_b"], label(c)
        diff = np.abs(np.array(got["rollout"]) - want).max()
        assert diff < 1e-5, "%s: rollout differs by %g" % (label(c), diff)
    p = run("rollout", "--model", model("tiny-f32"), "--pair", "B", "A", ok=False)
    assert p.returncode == 2 and b"--pair" in p.stderr, p.stderr


@case
def links_filter_in_rollout_and_delta(tmp):
    """--links cuts the rollout's and Δ's values to the same block as the
    weights' (JSON, CSV, NPY; rollout and export --view rollout|delta), and
    their figures draw only those links: rollout against the numpy
    rollout of the reference's weights, Δ's intact run against the
    reference's weights, Δ against the export of every link."""
    import io
    for c in CASES:
        if "text_b" not in c:
            continue
        weights = np.array(c["weights"]).reshape(c["shape"])
        L, T = weights.shape[0], weights.shape[-1]
        rollout = np.eye(T)
        for a in weights:
            rollout = (0.5 * a.mean(axis=0) + 0.5 * np.eye(T)) @ rollout
        first_b = len(c["segments"]) - c["segments"][::-1].index("A") + 1
        sentence = [list(range(0, first_b)), list(range(first_b, T))]
        pair = ["--model", model(c["model"]), "--pair", c["text_b"]]
        full = os.path.join(tmp, "delta-all.json")
        run("export", "--view", "delta", "--ablate", "0.0", "--layer", str(L - 1), *pair, "-o", full, c["text"])
        with open(full, encoding="utf-8") as f:
            delta_all = np.array(json.load(f)["delta"], dtype=np.float64)
        for links, (qs, ks) in {"A->A": (0, 0), "A->B": (0, 1), "B->A": (1, 0), "B->B": (1, 1)}.items():
            rows, keys = sentence[qs], sentence[ks]
            block = np.ix_(rows, keys)
            got = json.loads(run("rollout", *pair, "--links", links, c["text"]).stdout)
            assert got["links"] == links and got["queries"] == rows and got["keys"] == keys, (label(c), links)
            assert np.abs(np.array(got["rollout"]) - rollout[block]).max() < 1e-5, (label(c), links)
            npy = np.load(io.BytesIO(run("rollout", *pair, "--links", links, "--format", "npy", c["text"]).stdout))
            assert npy.shape == (len(rows), len(keys)) and np.abs(npy - rollout[block]).max() < 1e-5, \
                (label(c), links, npy.shape)
            csv = run("rollout", *pair, "--links", links, "--format", "csv", c["text"]).stdout.decode().splitlines()[1:]
            assert {(int(r.split(",")[0]), int(r.split(",")[1])) for r in csv} == \
                {(q, k) for q in rows for k in keys}, (label(c), links)
            out = os.path.join(tmp, "r.json")
            run("export", "--view", "rollout", *pair, "--links", links, "-o", out, c["text"])
            with open(out, encoding="utf-8") as f:
                got = json.load(f)
            assert got["links"] == links and np.abs(np.array(got["rollout"]) - rollout[block]).max() < 1e-5
            out = os.path.join(tmp, "d.json")
            run("export", "--view", "delta", "--ablate", "0.0", "--layer", str(L - 1), *pair, "--links", links,
                "-o", out, c["text"])
            with open(out, encoding="utf-8") as f:
                got = json.load(f)
            assert got["links"] == links and got["queries"] == rows and got["keys"] == keys, (label(c), links)
            assert np.abs(np.array(got["delta"]) - delta_all[block]).max() == 0, (label(c), links)
            assert np.abs(np.array(got["intact_weights"]) - weights[L - 1, 0][block]).max() < 1e-5, (label(c), links)
            out = os.path.join(tmp, "d.npy")
            run("export", "--view", "delta", "--ablate", "0.0", "--layer", str(L - 1), *pair, "--links", links,
                "-o", out, c["text"])
            assert np.load(out).shape == (len(rows), len(keys)), (label(c), links)
    c = next(c for c in CASES if c["model"] == "bert-mlm" and "text_b" in c)
    for view in (["--view", "rollout"], ["--view", "delta", "--ablate", "0.0", "--layer", "1"]):
        figures = []
        for links in ("all", "A->B"):
            out = os.path.join(tmp, "fig-%d.svg" % len(figures))
            run("export", *view, "--model", model(c["model"]), "--pair", c["text_b"], "--links", links,
                "-o", out, c["text"])
            with open(out, encoding="utf-8") as f:
                figures.append(f.read())
        assert figures[0] != figures[1], "%s: --links A->B drew the same figure as all links" % view[1]
        assert "A → B" in figures[1] and "A → B" not in figures[0], view[1]
    p = run("rollout", "--model", model(c["model"]), "--links", "A->B", c["text"], ok=False)
    assert p.returncode == 2 and b"--pair" in p.stderr, p.stderr


@case
def merge_words_keeps_specials_and_punctuation():
    """--merge-words: a special token is a word of its own; WordPiece's
    words are its pre-tokenizer's (punctuation split off), byte-level
    BPE's start at a space (attn-words.h)."""
    for name, text, words in (
            ("bert-mlm", "the cat sat on the [MASK].", ["[CLS]", "the", "cat", "sat", "on", "the", "[MASK]", ".", "[SEP]"]),
            ("distilbert-mlm", "playing, didn't [MASK]!",
             ["[CLS]", "playing", ",", "didn", "'", "t", "[MASK]", "!", "[SEP]"]),
            ("roberta-mlm", "the cat sat on the <mask>.",
             ["<s>", "the", " cat", " sat", " on", " the", "<mask>", ".", "</s>"])):
        got = json.loads(run("weights", "--model", model(name), "--merge-words", "--format", "json", text).stdout)
        assert got["words"] == words, (name, text, got["words"])


@case
def predict_tells_continuations_apart():
    """predict: "##h" (a word's continuation) and "h" (a word) are two
    predictions, and read so in text and JSON."""
    with open(os.path.join(model("bert-mlm"), "vocab.txt"), encoding="utf-8") as f:
        vocab = f.read().split("\n")
    got = json.loads(run("predict", "--model", model("bert-mlm"), "--top", "91", "--format", "json",
                         "the cat sat on the [MASK].").stdout)
    tokens = [(p["id"], p["token"]) for p in got["masked"][0]["predictions"]]
    assert len({t for _, t in tokens}) == len(tokens), tokens
    assert [t for i, t in tokens if vocab[i].startswith("##")] == \
        [vocab[i] for i, _ in tokens if vocab[i].startswith("##")], tokens
    text = run("predict", "--model", model("bert-mlm"), "--top", "91", "the cat sat on the [MASK].").stdout.decode()
    assert '"##h"' in text and '"h"' in text, text


@case
def info_says_what_head_there_is():
    """A BertModel has no output head: its embeddings are tied to nothing."""
    text = run("info", "--model", model("bert-base")).stdout.decode()
    assert "tied to the output head" not in text, text
    assert "no output head" in text, text
    info = json.loads(run("info", "--model", model("bert-base"), "--format", "json").stdout)
    assert info["output_head"] == "none" and info["tie_word_embeddings"] is False, info
    info = json.loads(run("info", "--model", model("bert-mlm"), "--format", "json").stdout)
    assert info["output_head"] == "masked_lm" and info["tie_word_embeddings"] is True, info
    assert "masked-LM" in run("info", "--model", model("bert-mlm")).stdout.decode()
    info = json.loads(run("info", "--model", model("tiny-f32"), "--format", "json").stdout)
    assert info["output_head"] == "next_token", info


suite.main()
