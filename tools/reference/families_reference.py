"""An independent numpy reference for the Llama family (Llama, Mistral,
Qwen2, SmolLM, TinyLlama) and GPT-NeoX (Pythia), in float64.

Written from the published architectures, not from the C engine:

- Llama (Touvron et al. 2023, "LLaMA: Open and Efficient Foundation Language
  Models"): pre-normalisation with RMSNorm (Zhang & Sennrich 2019), rotary
  position embeddings (Su et al. 2021, "RoFormer") on every dimension of a
  head, SwiGLU MLP (Shazeer 2020), no biases.  Hugging Face's checkpoints pair
  dimension i with dimension i + d/2 ("rotate half").  Grouped-query
  attention (Ainslie et al. 2023): num_key_value_heads k/v heads, each shared
  by num_attention_heads / num_key_value_heads consecutive query heads.
  rope_scaling "linear" divides positions by its factor; "llama3" (Llama 3.1)
  stretches long wavelengths by the factor, keeps short ones and blends those
  between.
- Mistral (Jiang et al. 2023): Llama with a sliding window; a query sees the
  `sliding_window` latest tokens, itself included.
- Qwen2 (Yang et al. 2024): Llama with biases on q, k and v.
- GPT-NeoX (Black et al. 2022): LayerNorm, one fused query_key_value Linear
  whose output is, per head, [q | k | v] (head-major), rotary embeddings on
  the first rotary_pct of each head, exact (erf) GELU, and the parallel
  residual x + attn(ln1(x)) + mlp(ln2(x)) unless use_parallel_residual is
  false.

Run with Debian's interpreter, which has numpy: /usr/bin/python3.
"""
import json
import math
import os

import numpy as np

import gpt2_reference as g2

PREFIXES = ("model.", "gpt_neox.", "transformer.")


def load_model(model_dir):
    """config.json and the weights (one file or the index's shards), with
    the family prefix stripped from the names."""
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    single = os.path.join(model_dir, "model.safetensors")
    if os.path.exists(single):
        files = [single]
    else:
        with open(os.path.join(model_dir, "model.safetensors.index.json")) as f:
            files = sorted({os.path.join(model_dir, v)
                            for v in json.load(f)["weight_map"].values()})
    w = {}
    for path in files:
        for name, arr in g2.read_safetensors(path).items():
            for p in PREFIXES:
                if name.startswith(p):
                    name = name[len(p):]
            w[name] = arr
    return cfg, w


# --------------------------------------------------------------------------
# pieces

def rms_norm(x, g, eps):
    return x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + eps) * g


def gelu_erf(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def silu(x):
    return x / (1.0 + np.exp(-x))


def inv_freq(cfg, rot):
    """Frequencies of the rot/2 pairs, with rope_scaling applied."""
    theta = cfg.get("rope_theta", cfg.get("rotary_emb_base", 10000.0))
    f = 1.0 / theta ** (np.arange(0, rot, 2, dtype=np.float64) / rot)
    sc = cfg.get("rope_scaling") or {}
    kind = sc.get("rope_type", sc.get("type", "default"))
    if kind == "linear":
        f = f / sc["factor"]
    elif kind == "llama3":
        factor, lo, hi = sc["factor"], sc["low_freq_factor"], sc["high_freq_factor"]
        old = sc["original_max_position_embeddings"]
        wavelen = 2 * math.pi / f
        smooth = (old / wavelen - lo) / (hi - lo)
        blended = (1 - smooth) * f / factor + smooth * f
        f = np.where(wavelen > old / lo, f / factor,
                     np.where(wavelen < old / hi, f, blended))
    elif kind != "default":
        raise ValueError(kind)
    return f


def rotate(x, rot, freqs):
    """RoPE on x (heads, T, hs): pair (i, i + rot/2) of the first rot dims
    of token t turned by t * freqs[i]."""
    T = x.shape[1]
    ang = np.arange(T, dtype=np.float64)[:, None] * freqs[None, :]     # (T, rot/2)
    c, s = np.cos(ang), np.sin(ang)
    half = rot // 2
    a, b = x[..., :half], x[..., half:rot]
    return np.concatenate([a * c - b * s, b * c + a * s, x[..., rot:]], axis=-1)


def attend(q, k, v, scale, window):
    """q (NH, T, hs), k/v (NH, T, hs): causal (and windowed) softmax."""
    T = q.shape[1]
    qi, ki = np.arange(T)[:, None], np.arange(T)[None, :]
    hidden = ki > qi
    if window:
        hidden |= qi - ki >= window
    s = q @ k.transpose(0, 2, 1) * scale
    sm = np.where(hidden, -np.inf, s)
    e = np.exp(sm - sm.max(axis=-1, keepdims=True))
    a = e / e.sum(axis=-1, keepdims=True)
    return np.where(hidden, 0.0, s), a, a @ v


# --------------------------------------------------------------------------
# the families

def shape(cfg):
    NH = cfg["num_attention_heads"]
    NKV = cfg.get("num_key_value_heads") or NH
    hs = cfg.get("head_dim") or cfg["hidden_size"] // NH
    return cfg["num_hidden_layers"], NH, NKV, hs


def forward(cfg, w, ids, ablate=None, kind="zero"):
    """Returns float64 arrays like gpt2_reference.forward, plus q_pre and
    k_pre (before rotation); k, v are per k/v head (L, NKV, T, hs); resid
    (L + 1, T, C) the residual stream.  @ablate, @kind: heads switched off
    (gpt2_reference.ablate_heads)."""
    if cfg["model_type"] == "gpt_neox":
        return forward_neox(cfg, w, ids, ablate, kind)
    return forward_llama(cfg, w, ids, ablate, kind)


def final_norm(cfg, w, x):
    """The final norm on rows x (..., C): RMSNorm "norm" (Llama family) or
    LayerNorm "final_layer_norm" (NeoX)."""
    if cfg["model_type"] == "gpt_neox":
        return g2.layer_norm(x, w["final_layer_norm.weight"], w["final_layer_norm.bias"],
                             cfg.get("layer_norm_eps", 1e-5))
    return rms_norm(x, w["norm.weight"], cfg.get("rms_norm_eps", 1e-6))


def lm_head(cfg, w):
    """(V, C): the untied head (lm_head, NeoX's embed_out) when the
    checkpoint has one and config.json does not tie it, else the token
    embeddings."""
    neox = cfg["model_type"] == "gpt_neox"
    head, embed = ("embed_out.weight", "embed_in.weight") if neox else \
        ("lm_head.weight", "embed_tokens.weight")
    if not cfg.get("tie_word_embeddings", False) and head in w:
        return w[head]
    return w[embed]


def collect(out, **arrays):
    for key, val in arrays.items():
        out.setdefault(key, []).append(val)


def finish(out):
    return {k: np.stack(v) for k, v in out.items()}


def forward_llama(cfg, w, ids, ablate=None, kind="zero"):
    L, NH, NKV, hs = shape(cfg)
    eps = cfg.get("rms_norm_eps", 1e-6)
    window = cfg.get("sliding_window") if cfg["model_type"] == "mistral" else None
    freqs = inv_freq(cfg, hs)
    T = len(ids)
    out = {}
    x = w["embed_tokens.weight"][np.asarray(ids)]
    resid = [x]
    for l in range(L):
        p = "layers.%d." % l

        def lin(name, h):
            y = h @ w[p + name + ".weight"].T
            return y + w[p + name + ".bias"] if p + name + ".bias" in w else y

        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)
        q = lin("self_attn.q_proj", h).reshape(T, NH, hs).transpose(1, 0, 2)
        k = lin("self_attn.k_proj", h).reshape(T, NKV, hs).transpose(1, 0, 2)
        v = lin("self_attn.v_proj", h).reshape(T, NKV, hs).transpose(1, 0, 2)
        qr, kr = rotate(q, hs, freqs), rotate(k, hs, freqs)
        group = NH // NKV
        s, a, y = attend(qr, np.repeat(kr, group, axis=0), np.repeat(v, group, axis=0),
                         1.0 / math.sqrt(hs), window)
        y = g2.ablate_heads(y, l, ablate, kind)
        o = lin("self_attn.o_proj", y.transpose(1, 0, 2).reshape(T, NH * hs))
        x = x + o
        h2 = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        x = x + lin("mlp.down_proj", silu(lin("mlp.gate_proj", h2)) * lin("mlp.up_proj", h2))
        collect(out, ln1=h, q=qr, k=kr, v=v, q_pre=q, k_pre=k, scores=s, weights=a,
                head_out=y, attn_out=o)
        resid.append(x)
    result = finish(out)
    result["resid"] = np.stack(resid)
    return result


def forward_neox(cfg, w, ids, ablate=None, kind="zero"):
    L, NH, _, hs = shape(cfg)
    eps = cfg.get("layer_norm_eps", 1e-5)
    rot = int(hs * cfg.get("rotary_pct", 0.25))
    freqs = inv_freq(cfg, rot)
    parallel = cfg.get("use_parallel_residual", True)
    T = len(ids)
    out = {}
    x = w["embed_in.weight"][np.asarray(ids)]
    resid = [x]
    for l in range(L):
        p = "layers.%d." % l

        def lin(name, h):
            return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        def ln(name, h):
            return g2.layer_norm(h, w[p + name + ".weight"], w[p + name + ".bias"], eps)

        h = ln("input_layernorm", x)
        qkv = lin("attention.query_key_value", h).reshape(T, NH, 3 * hs).transpose(1, 0, 2)
        q, k, v = qkv[..., :hs], qkv[..., hs:2 * hs], qkv[..., 2 * hs:]
        qr, kr = rotate(q, rot, freqs), rotate(k, rot, freqs)
        s, a, y = attend(qr, kr, v, 1.0 / math.sqrt(hs), None)
        y = g2.ablate_heads(y, l, ablate, kind)
        o = lin("attention.dense", y.transpose(1, 0, 2).reshape(T, NH * hs))

        def mlp(hh):
            return lin("mlp.dense_4h_to_h", gelu_erf(lin("mlp.dense_h_to_4h", hh)))

        if parallel:
            x = x + o + mlp(ln("post_attention_layernorm", x))
        else:
            x = x + o
            x = x + mlp(ln("post_attention_layernorm", x))
        collect(out, ln1=h, q=qr, k=kr, v=v, q_pre=q, k_pre=k, scores=s, weights=a,
                head_out=y, attn_out=o)
        resid.append(x)
    result = finish(out)
    result["resid"] = np.stack(resid)
    return result


# --------------------------------------------------------------------------
# the same, with PyTorch's functional ops, to check this reference

def forward_torch(cfg, w, ids):
    """Attention weights (L, NH, T, T) from torch.nn.functional in float64,
    with RoPE written as complex multiplication (an independent form of the
    rotate-half pairing) and GQA by expanding k/v heads.  Used only by
    make_family_fixtures.py to check forward()."""
    import torch
    import torch.nn.functional as F

    t = {k: torch.from_numpy(v) for k, v in w.items()}
    L, NH, NKV, hs = shape(cfg)
    neox = cfg["model_type"] == "gpt_neox"
    rot = int(hs * cfg.get("rotary_pct", 0.25)) if neox else hs
    freqs = torch.from_numpy(inv_freq(cfg, rot))
    T = len(ids)
    pos = torch.arange(T, dtype=torch.float64)
    turn = torch.polar(torch.ones(T, rot // 2, dtype=torch.float64), torch.outer(pos, freqs))
    window = cfg.get("sliding_window") if cfg["model_type"] == "mistral" else None
    qi, ki = torch.arange(T)[:, None], torch.arange(T)[None, :]
    allowed = ki <= qi
    if window:
        allowed &= (qi - ki) < window

    def rope(x):                      # (H, T, hs)
        half = rot // 2
        z = torch.complex(x[..., :half], x[..., half:rot]) * turn
        return torch.cat([z.real, z.imag, x[..., rot:]], dim=-1)

    def lin(p, name, h):
        b = t.get(p + name + ".bias")
        return F.linear(h, t[p + name + ".weight"], b)

    def rms(x, g):
        eps = cfg.get("rms_norm_eps", 1e-6)
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * g

    x = t["embed_in.weight" if neox else "embed_tokens.weight"][torch.tensor(ids)]
    weights = []
    for l in range(L):
        p = "layers.%d." % l
        if neox:
            eps = cfg.get("layer_norm_eps", 1e-5)
            h = F.layer_norm(x, (x.shape[-1],), t[p + "input_layernorm.weight"],
                             t[p + "input_layernorm.bias"], eps)
            q, k, v = lin(p, "attention.query_key_value", h).view(T, NH, 3, hs).unbind(2)
        else:
            h = rms(x, t[p + "input_layernorm.weight"])
            q = lin(p, "self_attn.q_proj", h).view(T, NH, hs)
            k = lin(p, "self_attn.k_proj", h).view(T, NKV, hs)
            v = lin(p, "self_attn.v_proj", h).view(T, NKV, hs)
        q, k, v = (z.transpose(0, 1) for z in (q, k, v))
        q, k = rope(q), rope(k)
        k = k.repeat_interleave(NH // k.shape[0], dim=0)
        v = v.repeat_interleave(NH // v.shape[0], dim=0)
        s = (q @ k.transpose(-1, -2)) / math.sqrt(hs)
        a = torch.softmax(s.masked_fill(~allowed, float("-inf")), dim=-1)
        y = (a @ v).transpose(0, 1).reshape(T, NH * hs)
        weights.append(a)
        if neox:
            o = lin(p, "attention.dense", y)
            eps = cfg.get("layer_norm_eps", 1e-5)
            base = x if cfg.get("use_parallel_residual", True) else x + o
            h2 = F.layer_norm(base, (x.shape[-1],), t[p + "post_attention_layernorm.weight"],
                              t[p + "post_attention_layernorm.bias"], eps)
            x = x + o + lin(p, "mlp.dense_4h_to_h", F.gelu(lin(p, "mlp.dense_h_to_4h", h2)))
        else:
            x = x + lin(p, "self_attn.o_proj", y)
            h2 = rms(x, t[p + "post_attention_layernorm.weight"])
            x = x + lin(p, "mlp.down_proj",
                        F.silu(lin(p, "mlp.gate_proj", h2)) * lin(p, "mlp.up_proj", h2))
    return torch.stack(weights).numpy()
