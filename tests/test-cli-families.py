#!/usr/bin/python3
"""The checkpoints people use now, end to end through attention-cli (issue
10): tiny random-weight Llama 3, Qwen2, TinyLlama, Mistral, SmolLM and
Pythia folders whose tokenizer is a real tokenizer.json (cut down by
tools/tokenizer-fixtures/make-tiny-hf.js) open, tokenize text as
@lenml/tokenizers does (hf-tokens.json) and give the attention the numpy
reference computes for those ids (forward-NAME.json), to 1e-5.

Usage: test-cli-families.py ATTENTION_CLI FIXTURES_DIR
Prints TAP, so meson counts every case.
"""

import json
import os
import sys

import numpy as np

from clitap import Suite

CLI, FIXTURES = sys.argv[1], sys.argv[2]
suite = Suite("cli-families", CLI)
case, run = suite.case, suite.run

# folder -> (architecture, tokenizer kind as info names it)
MODELS = {
    "llama3-hf": ("Llama", "byte-level BPE (tokenizer.json)"),
    "qwen2-hf": ("Qwen2", "byte-level BPE (tokenizer.json)"),
    "tinyllama-hf": ("Llama", "SentencePiece-style BPE (tokenizer.json)"),
    "mistral-hf": ("Mistral", "SentencePiece-style BPE (tokenizer.json)"),
    "smollm-hf": ("Llama", "byte-level BPE (tokenizer.json)"),
    "pythia-hf": ("GPT-NeoX", "byte-level BPE (tokenizer.json)"),
}

with open(os.path.join(FIXTURES, "hf-tokens.json"), encoding="utf-8") as f:
    HF = {(c["tokenizer"], c["name"]): c for c in json.load(f)}


def model(name):
    return os.path.join(FIXTURES, "models", name)


def expected(name):
    with open(os.path.join(FIXTURES, "forward-%s.json" % name)) as f:
        return json.load(f)


def tokens(name, text):
    return json.loads(run("tokens", "--model", model(name), "--format", "json", text).stdout)


@case
def info_names_architecture_and_tokenizer():
    for name, (arch, tokenizer) in MODELS.items():
        info = json.loads(run("info", "--model", model(name), "--format", "json").stdout)
        assert info["architecture"] == arch, (name, info)
        assert info["tokenizer"] == tokenizer, (name, info)
        assert info["dtype"] == expected(name)["dtype"], (name, info)


@case
def text_tokenizes_as_the_reference():
    """Every reference case the context holds, through the model folder."""
    n = 0
    for (name, case_name), c in HF.items():
        if name not in MODELS or len(c["ids"]) > 32:
            continue
        got = tokens(name, c["text"])
        assert got["ids"] == c["ids"], (name, case_name, got["ids"], c["ids"])
        n += 1
    assert n >= 6 * 20, n


@case
def weights_match_the_reference():
    for name in MODELS:
        want = expected(name)
        text = HF[(name, want["text"])]["text"]
        first = want["cases"][0]
        got = json.loads(run("weights", "--model", model(name), "--format", "json", text).stdout)
        assert got["ids"] == first["ids"], (name, got["ids"], first["ids"])
        w = np.array(got["attention"], dtype=np.float64)
        ref = np.array(first["weights"], dtype=np.float64)
        assert w.shape == ref.shape, (name, w.shape, ref.shape)
        diff = np.abs(w - ref).max()
        assert diff < 1e-5, "%s: attention differs from the reference by %g" % (name, diff)


@case
def sentencepiece_tokens_read_as_text():
    """"▁" reads as a space and byte-fallback pieces keep the text they spell."""
    got = tokens("mistral-hf", "The cat")
    assert "".join(got["tokens"][1:]).strip() == "The cat", got["tokens"]
    assert not any("\u2581" in t for t in got["tokens"]), got["tokens"]


@case
def walkthrough_shows_rotation_gqa_and_mlp():
    """What is new about these models in the walkthrough: RMSNorm, the
    shared KV head, the rotation step with its angles, SwiGLU (GELU for
    Pythia)."""
    def walk(name, head):
        return run("walkthrough", "--model", model(name), "--layer", "1", "--head", str(head),
                   "--query", "4", "--key", "2", "The cat sat on the mat.",
                   env={"LANGUAGE": "C"}).stdout.decode()
    llama = walk("llama3-hf", 3)
    for needle in ("after RMSNorm", "k and v from KV head 0, shared by heads 0–3",
                   "Rotate by position", "query angles", "SwiGLU"):
        assert needle in llama, (needle, llama)
    qwen = walk("qwen2-hf", 3)
    assert "k and v from KV head 1, shared by heads 2–3" in qwen, qwen
    pythia = walk("pythia-hf", 1)
    assert "Rotate by position" in pythia and "GELU layer" in pythia, pythia
    assert "shared by" not in pythia, pythia


if __name__ == "__main__":
    suite.main()
