"""Writes the fixtures of the Llama-family and GPT-NeoX checkpoints: tiny
random-weight models in Hugging Face layout and the attention the numpy
reference (families_reference.py) computes for them.

Remake everything, from the repository root, with:

    /usr/bin/python3 tools/reference/make_family_fixtures.py

Deterministic (fixed seeds).  Before writing a fixture it checks the numpy
reference against the same models written with torch.nn.functional (RoPE as
complex multiplication there), to 1e-12.  It writes

    tests/fixtures/models/<name>/   config.json, model.safetensors (or shards
                                    and model.safetensors.index.json),
                                    vocab.json, merges.txt (the *-hf models
                                    keep the tokenizer.json that
                                    make-tiny-hf.js wrote there)
    tests/fixtures/forward-<name>.json

The shapes differ on purpose (see MODELS): grouped-query ratios 1, 2 and 4,
a head size that is no power of two and a head_dim that is not
hidden_size / heads, llama3 and linear rope_scaling, a sliding window
shorter than the text, partial rotary, both residual forms, tied and
untied embeddings, shards, prefixes and ignored buffers, F32, F16 and BF16.
GPT2_MODELS are GPT-2s with the config options that change the scores
(n_inner, scale_attn_by_inverse_layer_idx, scale_attn_weights false),
computed by gpt2_reference.py.  The tokenizer is the GPT-2-style byte-level vocabulary of the GPT-2
fixtures (the forward pass takes ids).
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

FIXTURES = mf.FIXTURES
N_CTX = 32

LLAMA3 = {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
          "high_freq_factor": 4.0, "original_max_position_embeddings": 8}

MODELS = [
    # GQA 2, head size 6, untied head, plain names
    dict(name="llama-gqa2", family="llama", dtype="F32", L=2, NH=4, NKV=2, C=24, F=40,
         seed=11, tie=False),
    # GQA 1, tied embeddings, llama3 scaling, two BF16 shards, "model." prefix
    dict(name="llama-bf16-shards", family="llama", dtype="BF16", L=2, NH=2, NKV=2, C=16, F=32,
         seed=12, tie=True, rope_scaling=LLAMA3, shards=2, prefix="model."),
    # GQA 4, q/k/v biases, head_dim 6 with hidden 32, linear scaling, F16
    dict(name="qwen2-gqa4", family="qwen2", dtype="F16", L=2, NH=4, NKV=1, C=32, F=48,
         head_dim=6, seed=13, tie=False, rope_theta=1000.0,
         rope_scaling={"type": "linear", "factor": 2.0}, prefix="model."),
    # sliding window of 5 tokens (texts of 7 and 20 go past it)
    dict(name="mistral-window", family="mistral", dtype="F32", L=2, NH=4, NKV=2, C=16, F=24,
         seed=14, tie=False, sliding_window=5),
    # NeoX: head size 9 with half of it rotary, parallel residual, buffers
    dict(name="pythia-parallel", family="gpt_neox", dtype="F32", L=2, NH=2, C=18, F=36,
         seed=15, rotary_pct=0.5, parallel=True, prefix="gpt_neox.", buffers=True),
    # NeoX: a quarter rotary, sequential residual, BF16
    dict(name="pythia-sequential", family="gpt_neox", dtype="BF16", L=2, NH=4, C=32, F=64,
         seed=16, rotary_pct=0.25, parallel=False, prefix="gpt_neox."),
] + [
    # End to end: each with a real tokenizer.json cut down by
    # tools/tokenizer-fixtures/make-tiny-hf.js (kept in the folder), and the
    # first case is the ids @lenml/tokenizers gives for TEXT (hf-tokens.json).
    dict(name="llama3-hf", family="llama", dtype="BF16", L=2, NH=4, NKV=1, C=16, F=32,
         seed=21, tie=True, rope_theta=500000.0, prefix="model.", tokenizer=True),
    dict(name="qwen2-hf", family="qwen2", dtype="BF16", L=2, NH=4, NKV=2, C=16, F=24,
         seed=22, tie=True, rope_theta=1000000.0, prefix="model.", tokenizer=True),
    dict(name="tinyllama-hf", family="llama", dtype="F16", L=2, NH=4, NKV=1, C=16, F=24,
         seed=23, tie=False, prefix="model.", tokenizer=True),
    dict(name="mistral-hf", family="mistral", dtype="BF16", L=2, NH=4, NKV=2, C=16, F=24,
         seed=24, tie=False, sliding_window=8, prefix="model.", tokenizer=True),
    dict(name="smollm-hf", family="llama", dtype="BF16", L=2, NH=3, NKV=1, C=24, F=32,
         seed=25, tie=True, rope_theta=100000.0, prefix="model.", tokenizer=True),
    # vocab_size rounded up past the tokenizer's count, as Pythia's is
    dict(name="pythia-hf", family="gpt_neox", dtype="F16", L=2, NH=4, C=32, F=32,
         seed=26, rotary_pct=0.25, parallel=True, prefix="gpt_neox.", tokenizer=True,
         pad_vocab=8),
]

# The text the end-to-end checkpoints' first case reads (hf-tokens.json's
# "seed-cat"); tests/test-cli-families.py runs attention-cli on it.
TEXT_CASE = "seed-cat"

# GPT-2's options that change the scores (issue 11): n_inner, scores divided
# by layer + 1, and no 1/sqrt(hs) at all.
GPT2_MODELS = [
    dict(name="gpt2-options", dtype="F32", L=2, NH=2, C=16, F=24, seed=17,
         options={"n_inner": 24, "scale_attn_by_inverse_layer_idx": True,
                  "reorder_and_upcast_attn": True}),
    dict(name="gpt2-unscaled", dtype="F16", L=2, NH=4, C=16, F=64, seed=18,
         options={"scale_attn_weights": False}),
]

CLASSES = {"llama": "LlamaForCausalLM", "mistral": "MistralForCausalLM",
           "qwen2": "Qwen2ForCausalLM", "gpt_neox": "GPTNeoXForCausalLM"}


def config(spec, V):
    cfg = {"architectures": [CLASSES[spec["family"]]], "model_type": spec["family"],
           "num_hidden_layers": spec["L"], "num_attention_heads": spec["NH"],
           "hidden_size": spec["C"], "intermediate_size": spec["F"],
           "max_position_embeddings": N_CTX, "vocab_size": V,
           "tie_word_embeddings": spec.get("tie", False)}
    if spec["family"] == "gpt_neox":
        cfg.update(hidden_act="gelu", layer_norm_eps=1e-5, rotary_pct=spec["rotary_pct"],
                   rotary_emb_base=10000, use_parallel_residual=spec["parallel"])
    else:
        cfg.update(hidden_act="silu", rms_norm_eps=1e-6, num_key_value_heads=spec["NKV"],
                   rope_theta=spec.get("rope_theta", 10000.0),
                   rope_scaling=spec.get("rope_scaling"))
        if "head_dim" in spec:
            cfg["head_dim"] = spec["head_dim"]
        if spec["family"] == "mistral":
            cfg["sliding_window"] = spec["sliding_window"]
        if spec["family"] == "qwen2":
            cfg["use_sliding_window"] = False
    return cfg


def hf_vocab_size(d):
    """Tokens in the folder's tokenizer.json: the model's vocabulary and the
    added tokens outside it."""
    with open(os.path.join(d, "tokenizer.json"), encoding="utf-8") as f:
        tok = json.load(f)
    vocab = tok["model"]["vocab"]
    return len(vocab) + sum(1 for t in tok["added_tokens"] if t["content"] not in vocab)


def hf_ids(name):
    """The ids @lenml/tokenizers gave for TEXT_CASE under the folder's tokenizer."""
    with open(os.path.join(FIXTURES, "hf-tokens.json"), encoding="utf-8") as f:
        for case in json.load(f):
            if case["tokenizer"] == name and case["name"] == TEXT_CASE:
                return case["ids"]
    sys.exit("hf-tokens.json has no %s case for %s: run make-hf-fixtures.js first"
             % (TEXT_CASE, name))


def write_config(d, cfg):
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")


def write_config_and_tokenizer(d, cfg):
    """config.json and the byte-level vocab.json / merges.txt."""
    write_config(d, cfg)
    with open(os.path.join(d, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(mf.vocabulary(), f, ensure_ascii=False)
    with open(os.path.join(d, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "\n".join(mf.MERGES) + "\n")


def random_weights(rng, cfg):
    """Names without prefix; q and k large enough that heads attend sharply."""
    L, NH, NKV, hs = fam.shape(cfg)
    C, F, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["vocab_size"]

    def n(*shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    neox = cfg["model_type"] == "gpt_neox"
    w = {("embed_in.weight" if neox else "embed_tokens.weight"): n(V, C, std=0.5)}
    for l in range(L):
        p = "layers.%d." % l
        w[p + "input_layernorm.weight"] = 1.0 + n(C, std=0.1)
        w[p + "post_attention_layernorm.weight"] = 1.0 + n(C, std=0.1)
        if neox:
            w[p + "input_layernorm.bias"] = n(C, std=0.05)
            w[p + "post_attention_layernorm.bias"] = n(C, std=0.05)
            w[p + "attention.query_key_value.weight"] = n(3 * NH * hs, C, std=0.3)
            w[p + "attention.query_key_value.bias"] = n(3 * NH * hs, std=0.05)
            w[p + "attention.dense.weight"] = n(C, NH * hs, std=0.1)
            w[p + "attention.dense.bias"] = n(C, std=0.05)
            w[p + "mlp.dense_h_to_4h.weight"] = n(F, C, std=0.1)
            w[p + "mlp.dense_h_to_4h.bias"] = n(F, std=0.05)
            w[p + "mlp.dense_4h_to_h.weight"] = n(C, F, std=0.05)
            w[p + "mlp.dense_4h_to_h.bias"] = n(C, std=0.05)
        else:
            w[p + "self_attn.q_proj.weight"] = n(NH * hs, C, std=0.3)
            w[p + "self_attn.k_proj.weight"] = n(NKV * hs, C, std=0.3)
            w[p + "self_attn.v_proj.weight"] = n(NKV * hs, C, std=0.2)
            if cfg["model_type"] == "qwen2":
                w[p + "self_attn.q_proj.bias"] = n(NH * hs, std=0.1)
                w[p + "self_attn.k_proj.bias"] = n(NKV * hs, std=0.1)
                w[p + "self_attn.v_proj.bias"] = n(NKV * hs, std=0.1)
            w[p + "self_attn.o_proj.weight"] = n(C, NH * hs, std=0.1)
            w[p + "mlp.gate_proj.weight"] = n(F, C, std=0.2)
            w[p + "mlp.up_proj.weight"] = n(F, C, std=0.2)
            w[p + "mlp.down_proj.weight"] = n(C, F, std=0.1)
    if neox:
        w["final_layer_norm.weight"] = 1.0 + n(C, std=0.1)
        w["final_layer_norm.bias"] = n(C, std=0.05)
    else:
        w["norm.weight"] = 1.0 + n(C, std=0.1)
    return w


def write_model(spec):
    rng = np.random.default_rng(spec["seed"])
    d = os.path.join(FIXTURES, "models", spec["name"])
    os.makedirs(d, exist_ok=True)
    keep = ("tokenizer.json", "tokenizer_config.json") if spec.get("tokenizer") else ()
    for old in os.listdir(d):
        if old not in keep:
            os.remove(os.path.join(d, old))
    if spec.get("tokenizer"):
        V = hf_vocab_size(d)
        pad = spec.get("pad_vocab", 1)
        cfg = config(spec, (V + pad - 1) // pad * pad)
        write_config(d, cfg)
    else:
        cfg = config(spec, len(mf.vocabulary()))
        write_config_and_tokenizer(d, cfg)

    w = random_weights(rng, cfg)
    prefix = spec.get("prefix", "")
    tensors = {prefix + k: (spec["dtype"], v) for k, v in w.items()}
    if not spec.get("tie", False):
        head = "embed_out.weight" if spec["family"] == "gpt_neox" else "lm_head.weight"
        tensors[head] = (spec["dtype"], rng.standard_normal(
            (cfg["vocab_size"], cfg["hidden_size"])).astype(np.float32) * 0.1)
    if spec.get("buffers"):
        # buffers some NeoX checkpoints carry; the engine must skip them
        rot = int(cfg["hidden_size"] // cfg["num_attention_heads"] * spec["rotary_pct"])
        for l in range(spec["L"]):
            tensors[prefix + "layers.%d.attention.rotary_emb.inv_freq" % l] = (
                "F32", fam.inv_freq(cfg, rot).astype(np.float32))
            tensors[prefix + "layers.%d.attention.bias" % l] = (
                "F32", np.tril(np.ones((N_CTX, N_CTX), np.float32)))
    meta = {"format": "pt", "generator": "tools/reference/make_family_fixtures.py"}
    n_shards = spec.get("shards", 1)
    if n_shards == 1:
        g2.write_safetensors(os.path.join(d, "model.safetensors"), tensors, metadata=meta)
    else:
        names = list(tensors)
        weight_map = {}
        for s in range(n_shards):
            part = names[s::n_shards]
            file = "model-%05d-of-%05d.safetensors" % (s + 1, n_shards)
            g2.write_safetensors(os.path.join(d, file), {k: tensors[k] for k in part},
                                 metadata=meta)
            weight_map.update({k: file for k in part})
        with open(os.path.join(d, "model.safetensors.index.json"), "w") as f:
            json.dump({"metadata": {}, "weight_map": dict(sorted(weight_map.items()))}, f,
                      indent=2)
            f.write("\n")
    return d


def write_gpt2(spec):
    rng = np.random.default_rng(spec["seed"])
    d = os.path.join(FIXTURES, "models", spec["name"])
    os.makedirs(d, exist_ok=True)
    vocab = mf.vocabulary()
    L, C, F, V = spec["L"], spec["C"], spec["F"], len(vocab)
    cfg = {"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_layer": L,
           "n_head": spec["NH"], "n_embd": C, "n_positions": N_CTX, "vocab_size": V}
    cfg.update(spec["options"])
    write_config_and_tokenizer(d, cfg)

    def n(*shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)

    w = {"wte.weight": n(V, C, std=0.5), "wpe.weight": n(N_CTX, C, std=0.2)}
    for l in range(L):
        p = "h.%d." % l
        w[p + "ln_1.weight"], w[p + "ln_1.bias"] = 1.0 + n(C, std=0.1), n(C, std=0.05)
        w[p + "attn.c_attn.weight"] = n(C, 3 * C, std=0.25)
        w[p + "attn.c_attn.bias"] = n(3 * C, std=0.05)
        w[p + "attn.c_proj.weight"], w[p + "attn.c_proj.bias"] = n(C, C, std=0.1), n(C, std=0.05)
        w[p + "ln_2.weight"], w[p + "ln_2.bias"] = 1.0 + n(C, std=0.1), n(C, std=0.05)
        w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"] = n(C, F, std=0.1), n(F, std=0.05)
        w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"] = n(F, C, std=0.05), n(C, std=0.05)
    w["ln_f.weight"], w["ln_f.bias"] = 1.0 + n(C, std=0.1), n(C, std=0.05)
    g2.write_safetensors(os.path.join(d, "model.safetensors"),
                         {k: (spec["dtype"], v) for k, v in w.items()},
                         metadata={"format": "pt",
                                   "generator": "tools/reference/make_family_fixtures.py"})
    return d


def gpt2_forward(cfg, w, ids):
    """gpt2_reference's arrays, named as the families' (k and v per head;
    q and k are not rotated, so q_pre = q)."""
    r = g2.forward(cfg, w, ids)
    r["q_pre"], r["k_pre"] = r["q"], r["k"]
    return r


def write_expected(spec, model_dir):
    if spec.get("options") is not None:
        cfg, w = g2.load_model(model_dir)
        forward, torch_forward = gpt2_forward, g2.forward_torch
        L, NH, NKV, hs = cfg["n_layer"], cfg["n_head"], cfg["n_head"], cfg["n_embd"] // cfg["n_head"]
        C = cfg["n_embd"]
    else:
        cfg, w = fam.load_model(model_dir)
        forward, torch_forward = fam.forward, fam.forward_torch
        L, NH, NKV, hs = fam.shape(cfg)
        C = cfg["hidden_size"]
    return write_cases(spec, cfg, w, forward, torch_forward, (L, NH, NKV, hs, C))


def write_cases(spec, cfg, w, forward, torch_forward, dims):
    L, NH, NKV, hs, C = dims
    V = cfg["vocab_size"]
    rng = np.random.default_rng(100 + spec["seed"])
    cases = [rng.integers(0, V, size=7).tolist(),
             [int(rng.integers(0, V))],
             rng.integers(0, V, size=20).tolist()]
    if spec.get("tokenizer"):
        cases[0] = hf_ids(spec["name"])
    out = {"model": spec["name"], "dtype": spec["dtype"],
           **({"text": TEXT_CASE} if spec.get("tokenizer") else {}),
           "made_by": "/usr/bin/python3 tools/reference/make_family_fixtures.py",
           "n_layer": L, "n_head": NH, "n_kv_head": NKV, "head_size": hs,
           "n_embd": C, "cases": []}
    for i, ids in enumerate(cases):
        r = forward(cfg, w, ids)
        check = torch_forward(cfg, w, ids)
        diff = np.abs(check - r["weights"]).max()
        assert diff < 1e-12, "%s: numpy and torch references disagree by %g" % (spec["name"], diff)
        case = {"ids": ids, "weights": mf.rounded(r["weights"])}
        if i == 0:
            for key in ("ln1", "q", "k", "v", "q_pre", "k_pre", "scores", "head_out",
                        "attn_out"):
                case[key] = mf.rounded(r[key])
        out["cases"].append(case)
    path = os.path.join(FIXTURES, "forward-%s.json" % spec["name"])
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    return path


def main():
    for spec in MODELS + GPT2_MODELS:
        d = write_gpt2(spec) if "options" in spec else write_model(spec)
        p = write_expected(spec, d)
        print("wrote", os.path.relpath(d, mf.ROOT), "and", os.path.relpath(p, mf.ROOT))


if __name__ == "__main__":
    main()
