"""Writes a random-weight model shaped like SmolLM2-135M for the benchmark.

    /usr/bin/python3 bench/make-smollm2-random.py OUT_DIR [--shape smollm2-135m|qwen2-0.5b]

SmolLM2-135M's config (HuggingFaceTB/SmolLM2-135M): LlamaForCausalLM, 30
layers, 9 query heads on 3 key/value heads (head size 64), hidden 576,
SwiGLU MLP 1536 wide, vocabulary 49152, tied embeddings, rope_theta 100000,
RMSNorm eps 1e-5; weights stored as BF16 (one model.safetensors, 270 MB).
The tokenizer files are the small GPT-2-style byte vocabulary of the test
fixtures: the benchmark feeds ids, and vocab_size only bounds them.
Deterministic (seed 0).

--shape qwen2-0.5b writes issue 13's long-text Llama instead: Qwen2-0.5B's
shape as a LlamaForCausalLM (no q/k/v biases): 24 layers, 14 query heads on
2 key/value heads (head size 64), hidden 896, SwiGLU MLP 4864 wide,
vocabulary 151936, tied embeddings, rope_theta 1000000, context 32768;
BF16 on disk (one model.safetensors, about 1 GB).  Writing it needs about
2.5 GB of memory for a moment (the float32 tensors before rounding).
"""
import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools", "reference"))

import gpt2_reference as g2          # noqa: E402  safetensors writer, BF16 rounding
import make_family_fixtures as mff   # noqa: E402  the tiny tokenizer files

CONFIG = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama",
    "num_hidden_layers": 30, "num_attention_heads": 9, "num_key_value_heads": 3,
    "hidden_size": 576, "intermediate_size": 1536, "vocab_size": 49152,
    "max_position_embeddings": 8192, "rope_theta": 100000.0, "rms_norm_eps": 1e-5,
    "hidden_act": "silu", "tie_word_embeddings": True, "rope_scaling": None,
    "attention_bias": False, "mlp_bias": False, "torch_dtype": "bfloat16",
}

SHAPES = {
    "smollm2-135m": CONFIG,
    "qwen2-0.5b": dict(CONFIG, num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2,
                       hidden_size=896, intermediate_size=4864, vocab_size=151936,
                       max_position_embeddings=32768, rope_theta=1000000.0, rms_norm_eps=1e-6),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--shape", choices=sorted(SHAPES), default="smollm2-135m")
    args = ap.parse_args()
    out = args.out
    os.makedirs(out, exist_ok=True)
    cfg = SHAPES[args.shape]
    L, C, F, V = (cfg["num_hidden_layers"], cfg["hidden_size"], cfg["intermediate_size"],
                  cfg["vocab_size"])
    Q = cfg["num_attention_heads"] * (C // cfg["num_attention_heads"])
    KV = cfg["num_key_value_heads"] * (C // cfg["num_attention_heads"])
    rng = np.random.default_rng(0)

    def n(*shape, std=0.02):
        return ("BF16", (rng.standard_normal(shape, dtype=np.float32) * std))

    t = {"model.embed_tokens.weight": n(V, C)}
    for l in range(L):
        p = "model.layers.%d." % l
        t[p + "input_layernorm.weight"] = ("BF16", np.ones(C, np.float32))
        t[p + "self_attn.q_proj.weight"] = n(Q, C)
        t[p + "self_attn.k_proj.weight"] = n(KV, C)
        t[p + "self_attn.v_proj.weight"] = n(KV, C)
        t[p + "self_attn.o_proj.weight"] = n(C, Q)
        t[p + "post_attention_layernorm.weight"] = ("BF16", np.ones(C, np.float32))
        t[p + "mlp.gate_proj.weight"] = n(F, C)
        t[p + "mlp.up_proj.weight"] = n(F, C)
        t[p + "mlp.down_proj.weight"] = n(C, F)
    t["model.norm.weight"] = ("BF16", np.ones(C, np.float32))
    mff.write_config_and_tokenizer(out, cfg)
    g2.write_safetensors(os.path.join(out, "model.safetensors"), t,
                         metadata={"format": "pt", "generator": "bench/make-smollm2-random.py"})
    print("wrote", out)


if __name__ == "__main__":
    main()
