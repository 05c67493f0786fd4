#!/usr/bin/python3
"""Export a training checkpoint as the app's model directory, plus the C engine's test fixture.

Writes config.json and model.safetensors (GPT-2 names and Conv1D layout) next to
the tokenizer files from tools/tokenizer/, then checks the written file with an
independent NumPy forward pass that reads GPT-2's layout the way the C engine
does (y = x·W + b). The fixture holds, for a few sentences, the token ids (BOS
first) and the attention weights [layer][head][query][key] of the exported model.

--fixture-only leaves the model directory as it is and only rewrites the fixture
from it (after a change to the fixture's texts or fields).

Usage: tools/train/export.py [--checkpoint build-train/best.pt] [--out DIR] [--fixture FILE]
       tools/train/export.py --fixture-only [--out DIR] [--fixture FILE]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tokenizer"))
import heads  # noqa: E402
import hfmodel  # noqa: E402
from bpe import Tokenizer  # noqa: E402
from model import load_checkpoint  # noqa: E402

FIXTURE_TEXTS = [
    "The cat sat on the mat.",
    "When Mary and John went to the store, John gave a drink to",
    "She said that the old house on the hill had been empty for years.",
    "I can't believe it's 1964 already!",
    # The examples menu's repeated sequence: the induction head's attention.
    "river stone table music paper window letter water light money "
    "river stone table music paper window letter water light money",
]


def numpy_attention(t, cfg, ids):
    """GPT-2 forward in NumPy from the safetensors tensors; returns attention per layer."""
    def ln(x, p):
        m = x.mean(-1, keepdims=True)
        v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + cfg["layer_norm_epsilon"]) * t[p + ".weight"] + t[p + ".bias"]

    def gelu(x):
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))

    T, C, H = len(ids), cfg["n_embd"], cfg["n_head"]
    d = C // H
    x = (t["wte.weight"][ids] + t["wpe.weight"][:T]).astype(np.float64)
    atts = []
    for i in range(cfg["n_layer"]):
        p = "h.%d." % i
        qkv = ln(x, p + "ln_1") @ t[p + "attn.c_attn.weight"] + t[p + "attn.c_attn.bias"]
        q, k, v = (qkv[:, j * C:(j + 1) * C].reshape(T, H, d).transpose(1, 0, 2) for j in range(3))
        s = q @ k.transpose(0, 2, 1) / np.sqrt(d)
        s = np.where(np.triu(np.ones((T, T), bool), 1), -np.inf, s)
        a = np.exp(s - s.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        atts.append(a)
        y = (a @ v).transpose(1, 0, 2).reshape(T, C)
        x = x + y @ t[p + "attn.c_proj.weight"] + t[p + "attn.c_proj.bias"]
        h = gelu(ln(x, p + "ln_2") @ t[p + "mlp.c_fc.weight"] + t[p + "mlp.c_fc.bias"])
        x = x + h @ t[p + "mlp.c_proj.weight"] + t[p + "mlp.c_proj.bias"]
    return atts


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--checkpoint", default="build-train/best.pt")
    p.add_argument("--out", default=os.path.join(ROOT, "data", "models", "minigpt-en"))
    p.add_argument("--fixture", default=os.path.join(ROOT, "tests", "fixtures",
                                                     "minigpt-en-attention.json"))
    p.add_argument("--dtype", default="F32", choices=["F32", "F16"])
    p.add_argument("--fixture-only", action="store_true",
                   help="only rewrite the fixture from the model directory --out")
    args = p.parse_args()
    if not args.fixture_only:
        write_model_dir(args)
    write_fixture(args)


def write_model_dir(args):
    model, ckpt = load_checkpoint(args.checkpoint)
    s = ckpt["settings"]
    for name in ("vocab.json", "merges.txt", "tokenizer_config.json"):
        assert os.path.exists(os.path.join(args.out, name)), "run tools/tokenizer first: " + name

    cfg = {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "vocab_size": 8192,
        "n_positions": s["n_ctx"],
        "n_ctx": s["n_ctx"],
        "n_embd": s["n_embd"],
        "n_layer": s["n_layer"],
        "n_head": s["n_head"],
        "n_inner": None,
        "activation_function": "gelu_new",
        "layer_norm_epsilon": 1e-5,
        "resid_pdrop": 0.0,
        "embd_pdrop": 0.0,
        "attn_pdrop": 0.0,
        "initializer_range": 0.02,
        "scale_attn_weights": True,
        "tie_word_embeddings": True,
        "bos_token_id": 8191,
        "eos_token_id": 8191,
        "torch_dtype": "float32" if args.dtype == "F32" else "float16",
    }
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    st_path = os.path.join(args.out, "model.safetensors")
    hfmodel.write_safetensors(st_path, hfmodel.hf_tensors(model), args.dtype,
                              {"format": "pt", "step": str(ckpt["step"]),
                               "heldout_loss": "%.4f" % ckpt.get("heldout", float("nan"))})

    size = sum(os.path.getsize(os.path.join(args.out, n)) for n in os.listdir(args.out))
    print("exported step %d (held-out %.4f) to %s, %.1f MB" % (
        ckpt["step"], ckpt.get("heldout", float("nan")), args.out, size / 1e6))


def write_fixture(args):
    # What ships is what gets tested: reload the directory and check it twice.
    with open(os.path.join(args.out, "config.json")) as f:
        cfg = json.load(f)
    st_path = os.path.join(args.out, "model.safetensors")
    shipped = hfmodel.load_model_dir(args.out)
    tensors = hfmodel.read_safetensors(st_path)
    tok = Tokenizer(args.out)
    cases = []
    for text in FIXTURE_TEXTS:
        ids = tok.encode(text, bos=True)
        with torch.no_grad():
            logits, atts = shipped(torch.tensor([ids]), want_attn=True)
        att = np.stack([a[0].numpy() for a in atts])  # [layer, head, query, key]
        ref = np.stack(numpy_attention(tensors, cfg, ids))
        err = float(np.abs(att - ref).max())
        assert err < 1e-5, "exported layout disagrees with NumPy reference: %g" % err
        last = logits[0, -1].numpy()
        top = np.argsort(-last)[:5]
        cases.append({
            "text": text,
            "ids": ids,
            "tokens": [tok.decode([i]) if i != tok.eot else "<|endoftext|>" for i in ids],
            "attention": att.astype(np.float64).tolist(),
            # The model card's label rule (tools/train/heads.py) per [layer][head]:
            # the app's ae_head_label must say the same.
            "labels": [[heads.label_of(st, h) for h in range(att.shape[1])]
                       for st in (heads.head_stats(a.astype(np.float64), ids) for a in att)],
            "top_next_ids": top.tolist(),
            "top_next_logits": last[top].astype(np.float64).tolist(),
        })
        print("%-62s %2d tokens, max |torch - numpy| %.1e" % (text, len(ids), err))
    fixture = {
        "model": "data/models/minigpt-en",
        "tolerance": 1e-5,
        "note": "Made by tools/train/export.py from the exported model.safetensors. ids start "
                "with BOS <|endoftext|> = 8191; attention is [layer][head][query][key], "
                "zero above the diagonal.",
        "cases": cases,
    }
    os.makedirs(os.path.dirname(args.fixture), exist_ok=True)
    with open(args.fixture, "w") as f:
        json.dump(fixture, f)
        f.write("\n")
    print("wrote %s" % args.fixture)


if __name__ == "__main__":
    main()
