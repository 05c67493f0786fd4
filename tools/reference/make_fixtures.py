"""Writes the forward-pass fixtures: tiny random GPT-2 models and the
attention the numpy reference (gpt2_reference.py) computes for them.

Remake everything, from the repository root, with:

    /usr/bin/python3 tools/reference/make_fixtures.py

(Debian's interpreter: it has numpy and torch; the pyenv python3 on PATH has
neither.)  It is deterministic: the same seeds give the same bytes.  It writes

    tests/fixtures/models/tiny-{f32,f16,bf16}/  config.json, model.safetensors,
                                                vocab.json, merges.txt
    tests/fixtures/forward-{f32,f16,bf16}.json  expected attention

and checks the numpy reference against the same block written with
PyTorch's layers before writing anything.

The three models differ on purpose:
  tiny-f32   L=2 NH=4 C=32: plain names, every tensor F32 and 4-byte aligned
             (the engine uses the mapping in place).
  tiny-f16   L=2 NH=2 C=16: "transformer." prefix, the buffers the engine
             ignores (attn.bias, attn.masked_bias, lm_head.weight), config
             with n_ctx instead of n_positions and no layer_norm_epsilon or
             activation_function (defaults), a few F16 subnormal biases, and
             wpe / ln_f stored as F32 at offsets that are not 4-byte aligned.
  tiny-bf16  L=3 NH=4 C=16 (head size 4): every tensor BF16.

The reference always computes in float64 from the weights as stored (F16 and
BF16 dequantised), so the only error left to the engine is its float32
arithmetic.
"""
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "tokenizer"))

import gpt2_reference as ref               # noqa: E402
from bpe import bytes_to_unicode           # noqa: E402  GPT-2's byte table

FIXTURES = os.path.join(ROOT, "tests", "fixtures")
N_CTX = 32

# A handful of merges over GPT-2's 256 byte tokens: enough for the tokenizer
# to have something to merge ("Ġ" is the space byte).
MERGES = ["Ġ t", "h e", "Ġt he", "i n", "Ġ a", "e r", "a t", "Ġ c", "Ġc at",
          "o n", "Ġ s", "i s"]

MODELS = [
    dict(name="tiny-f32", dtype="F32", L=2, NH=4, C=32, seed=1),
    dict(name="tiny-f16", dtype="F16", L=2, NH=2, C=16, seed=2, prefix="transformer.",
         extras=True, f32_misaligned=("wpe.weight", "ln_f.weight", "ln_f.bias"),
         subnormals=True, minimal_config=True),
    dict(name="tiny-bf16", dtype="BF16", L=3, NH=4, C=16, seed=3),
]


def vocabulary():
    """GPT-2-style vocab: the 256 byte tokens in GPT-2's order, the merges'
    results, then <|endoftext|>."""
    vocab = {}
    for ch in bytes_to_unicode().values():
        vocab[ch] = len(vocab)
    for merge in MERGES:
        vocab[merge.replace(" ", "")] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return vocab


def random_weights(rng, L, C, V):
    """GPT-2-layout weights; q/k projections large enough that heads attend
    sharply, so the weights are far from uniform."""
    def n(*shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    w = {"wte.weight": n(V, C, std=0.5), "wpe.weight": n(N_CTX, C, std=0.2)}
    for l in range(L):
        p = "h.%d." % l
        w[p + "ln_1.weight"] = 1.0 + n(C, std=0.1)
        w[p + "ln_1.bias"] = n(C, std=0.05)
        w[p + "attn.c_attn.weight"] = n(C, 3 * C, std=0.25)
        w[p + "attn.c_attn.bias"] = n(3 * C, std=0.05)
        w[p + "attn.c_proj.weight"] = n(C, C, std=0.1)
        w[p + "attn.c_proj.bias"] = n(C, std=0.05)
        w[p + "ln_2.weight"] = 1.0 + n(C, std=0.1)
        w[p + "ln_2.bias"] = n(C, std=0.05)
        w[p + "mlp.c_fc.weight"] = n(C, 4 * C, std=0.1)
        w[p + "mlp.c_fc.bias"] = n(4 * C, std=0.05)
        w[p + "mlp.c_proj.weight"] = n(4 * C, C, std=0.05)
        w[p + "mlp.c_proj.bias"] = n(C, std=0.05)
    w["ln_f.weight"] = 1.0 + n(C, std=0.1)
    w["ln_f.bias"] = n(C, std=0.05)
    return w


def write_model(spec):
    rng = np.random.default_rng(spec["seed"])
    d = os.path.join(FIXTURES, "models", spec["name"])
    os.makedirs(d, exist_ok=True)
    vocab = vocabulary()
    V, L, NH, C = len(vocab), spec["L"], spec["NH"], spec["C"]

    cfg = {"model_type": "gpt2", "n_layer": L, "n_head": NH, "n_embd": C,
           "n_positions": N_CTX, "n_ctx": N_CTX, "vocab_size": V,
           "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new"}
    if spec.get("minimal_config"):
        for key in ("n_positions", "layer_norm_epsilon", "activation_function"):
            del cfg[key]
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    with open(os.path.join(d, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(d, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "\n".join(MERGES) + "\n")

    w = random_weights(rng, L, C, V)
    if spec.get("subnormals"):
        # F16 subnormals (below 6.1e-5) and a signed zero, to exercise the conversion
        w["h.0.attn.c_attn.bias"][:4] = [3e-6, -5e-7, 6e-8, -0.0]

    prefix = spec.get("prefix", "")
    misaligned = spec.get("f32_misaligned", ())
    tensors, order = {}, []
    # 2-byte tensors first; an odd-length one ahead of the F32 tensors puts
    # them at offsets that are 2 mod 4.
    for name, arr in w.items():
        if name not in misaligned:
            tensors[prefix + name] = (spec["dtype"], arr)
            order.append(prefix + name)
    if spec.get("extras"):
        tensors[prefix + "odd"] = (spec["dtype"], np.zeros(3, np.float32))
        order.insert(0, prefix + "odd")
        for l in range(L):
            causal = np.tril(np.ones((N_CTX, N_CTX), np.float32)).reshape(1, 1, N_CTX, N_CTX)
            tensors[prefix + "h.%d.attn.bias" % l] = ("F32", causal)
            tensors[prefix + "h.%d.attn.masked_bias" % l] = ("F32", np.array(-1e4, np.float32))
        tensors["lm_head.weight"] = (spec["dtype"], w["wte.weight"])
        order += [n for n in tensors if n not in order and n != "lm_head.weight"]
        order.append("lm_head.weight")
    for name in misaligned:
        tensors[prefix + name] = ("F32", w[name])
        order.insert(1, prefix + name)
    ref.write_safetensors(os.path.join(d, "model.safetensors"), tensors, order,
                          metadata={"format": "pt", "generator": "tools/reference/make_fixtures.py"})
    return d


def rounded(a):
    """Nested lists of floats with 9 significant digits (float32 needs 9)."""
    return np.vectorize(lambda v: float("%.9g" % v), otypes=[object])(a).tolist() \
        if a.size else a.tolist()


def write_expected(spec, model_dir):
    cfg, w = ref.load_model(model_dir)
    V = cfg["vocab_size"]
    rng = np.random.default_rng(100 + spec["seed"])
    cases = [rng.integers(0, V, size=7).tolist(),
             [int(rng.integers(0, V))],
             rng.integers(0, V, size=20).tolist()]
    out = {"model": spec["name"], "dtype": spec["dtype"],
           "made_by": "/usr/bin/python3 tools/reference/make_fixtures.py",
           "n_layer": cfg["n_layer"], "n_head": cfg["n_head"], "n_embd": cfg["n_embd"],
           "cases": []}
    for i, ids in enumerate(cases):
        r = ref.forward(cfg, w, ids)
        check = ref.forward_torch(cfg, w, ids)
        diff = np.abs(check - r["weights"]).max()
        assert diff < 1e-12, "numpy and torch references disagree by %g" % diff
        case = {"ids": ids, "weights": rounded(r["weights"])}
        if i == 0:     # everything the trace keeps, for one sequence
            for key in ("ln1", "q", "k", "v", "scores", "head_out", "attn_out"):
                case[key] = rounded(r[key])
        out["cases"].append(case)
    path = os.path.join(FIXTURES, "forward-%s.json" % spec["dtype"].lower())
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    return path


def main():
    for spec in MODELS:
        d = write_model(spec)
        p = write_expected(spec, d)
        print("wrote", os.path.relpath(d, ROOT), "and", os.path.relpath(p, ROOT))


if __name__ == "__main__":
    main()
