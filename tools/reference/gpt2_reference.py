"""An independent numpy reference for GPT-2's attention, in float64.

Written from the math of the GPT-2 block (Radford et al. 2019; Hugging Face's
GPT2Model), not from the C engine: pre-LayerNorm, fused q|k|v with Conv1D
layout (x @ W + b), scaled dot product with a causal mask, softmax, output
projection, residual, MLP with the tanh GELU ("gelu_new"), final LayerNorm.
The MLP's width follows the weights (n_inner); the score's scale follows
config.json's scale_attn_weights and scale_attn_by_inverse_layer_idx.

It also reads safetensors files on its own (no `safetensors` package), so the
weights it computes with are exactly the bytes on disk, dequantised from F16
or BF16 to float64.

Run with Debian's interpreter, which has numpy: /usr/bin/python3.
"""
import json
import os
import struct

import numpy as np

# --------------------------------------------------------------------------
# safetensors

DTYPES = {"F32": np.dtype("<f4"), "F16": np.dtype("<f2"), "BF16": np.dtype("<u2")}


def bf16_bits_to_f32(bits):
    """bfloat16 is the top half of a float32."""
    return (bits.astype(np.uint32) << 16).view(np.float32)


def f32_to_bf16_bits(x):
    """Round float32 to bfloat16 bits, to nearest even (as PyTorch does)."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    rounding = ((bits >> 16) & 1) + np.uint32(0x7FFF)
    return ((bits + rounding) >> 16).astype(np.uint16)


def read_safetensors(path):
    """Returns {name: float64 array} for every F32/F16/BF16 tensor."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    data = blob[8 + n:]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = np.frombuffer(data[begin:end], dtype=DTYPES[info["dtype"]])
        if info["dtype"] == "BF16":
            raw = bf16_bits_to_f32(raw)
        tensors[name] = raw.astype(np.float64).reshape(info["shape"])
    return tensors


def write_safetensors(path, tensors, order=None, metadata=None):
    """Writes {name: (dtype, array)} in @order; returns the header dict.

    F16/BF16 arrays are rounded here.  Tensors follow each other with no
    padding, so an F32 tensor after 2-byte tensors of odd total length lands
    on an offset that is not a multiple of 4 (the engine must cope)."""
    order = order or list(tensors)
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name in order:
        dtype, arr = tensors[name]
        arr = np.asarray(arr, dtype=np.float32)
        if dtype == "F32":
            raw = arr.astype("<f4").tobytes()
        elif dtype == "F16":
            raw = arr.astype("<f2").tobytes()
        elif dtype == "BF16":
            raw = f32_to_bf16_bits(arr).astype("<u2").tobytes()
        else:
            raise ValueError(dtype)
        header[name] = {"dtype": dtype, "shape": list(arr.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)          # the format pads the header to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)
    return header


# --------------------------------------------------------------------------
# the model

IGNORED = (".attn.bias", ".attn.masked_bias")


def load_model(model_dir):
    """Reads config.json and model.safetensors; names lose "transformer."."""
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    raw = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    w = {}
    for name, arr in raw.items():
        if name.startswith("transformer."):
            name = name[len("transformer."):]
        if name == "lm_head.weight" or name.endswith(IGNORED):
            continue
        w[name] = arr
    return cfg, w


def layer_norm(x, g, b, eps):
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


def gelu_new(x):
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def score_scale(cfg, hs, layer):
    """1/sqrt(hs), unless config.json turns it off (scale_attn_weights), and
    divided by layer + 1 when scale_attn_by_inverse_layer_idx is set."""
    scale = 1.0 / np.sqrt(hs) if cfg.get("scale_attn_weights", True) else 1.0
    if cfg.get("scale_attn_by_inverse_layer_idx", False):
        scale /= layer + 1
    return scale


def ablate_heads(y, layer, ablate, kind):
    """Head ablation on y (NH, T, hs), each head's weighted sum of values
    before the output projection: the heads (layer, head) in @ablate are
    replaced by zeros ("zero") or by their mean over the positions ("mean")."""
    y = y.copy()
    for (l, h) in ablate or ():
        if l == layer:
            y[h] = 0.0 if kind == "zero" else y[h].mean(axis=0, keepdims=True)
    return y


def forward(cfg, w, ids, ablate=None, kind="zero"):
    """Returns a dict of float64 arrays:
    ln1, attn_out (L, T, C); q, k, v, head_out (L, NH, T, hs);
    scores, weights (L, NH, T, T) with 0 above the diagonal; ln_f (T, C);
    resid (L + 1, T, C), the residual stream entering each layer and after
    the last.  @ablate: (layer, head) pairs switched off (ablate_heads)."""
    L, NH, C = cfg["n_layer"], cfg["n_head"], cfg["n_embd"]
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    hs = C // NH
    ids = np.asarray(ids, dtype=np.int64)
    T = len(ids)
    out = {k: [] for k in ("ln1", "q", "k", "v", "scores", "weights", "head_out", "attn_out")}
    future = np.triu(np.ones((T, T), dtype=bool), k=1)   # key after query

    x = w["wte.weight"][ids] + w["wpe.weight"][:T]
    resid = [x]
    for l in range(L):
        p = "h.%d." % l
        h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        qkv = h @ w[p + "attn.c_attn.weight"] + w[p + "attn.c_attn.bias"]
        # (T, 3C) -> three (NH, T, hs): head j owns columns j*hs .. j*hs+hs of each third
        q, k, v = (qkv[:, i * C:(i + 1) * C].reshape(T, NH, hs).transpose(1, 0, 2)
                   for i in range(3))
        s = q @ k.transpose(0, 2, 1) * score_scale(cfg, hs, l)
        s_masked = np.where(future, -np.inf, s)
        e = np.exp(s_masked - s_masked.max(axis=-1, keepdims=True))
        a = e / e.sum(axis=-1, keepdims=True)
        y = ablate_heads(a @ v, l, ablate, kind)
        joined = y.transpose(1, 0, 2).reshape(T, C)
        attn = joined @ w[p + "attn.c_proj.weight"] + w[p + "attn.c_proj.bias"]
        x = x + attn
        h2 = layer_norm(x, w[p + "ln_2.weight"], w[p + "ln_2.bias"], eps)
        m = gelu_new(h2 @ w[p + "mlp.c_fc.weight"] + w[p + "mlp.c_fc.bias"])
        x = x + m @ w[p + "mlp.c_proj.weight"] + w[p + "mlp.c_proj.bias"]
        resid.append(x)
        for key, val in (("ln1", h), ("q", q), ("k", k), ("v", v),
                         ("scores", np.where(future, 0.0, s)), ("weights", a),
                         ("head_out", y), ("attn_out", attn)):
            out[key].append(val)
    result = {k: np.stack(v) if v else np.zeros((0,)) for k, v in out.items()}
    result["ln_f"] = layer_norm(x, w["ln_f.weight"], w["ln_f.bias"], eps)
    result["resid"] = np.stack(resid)
    return result


def final_norm(cfg, w, x):
    """GPT-2's ln_f on rows x (..., C)."""
    return layer_norm(x, w["ln_f.weight"], w["ln_f.bias"], cfg.get("layer_norm_epsilon", 1e-5))


def lm_head(cfg, w):
    """GPT-2's output head is tied to the token embeddings: logits = h · wteᵀ."""
    return w["wte.weight"]


def forward_torch(cfg, w, ids):
    """The same block written with PyTorch's own layers, in float64; used
    only to check this reference (make_fixtures.py --check)."""
    import torch
    import torch.nn.functional as F
    L, NH, C = cfg["n_layer"], cfg["n_head"], cfg["n_embd"]
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    t = {k: torch.from_numpy(v) for k, v in w.items()}
    ids = torch.tensor(ids, dtype=torch.long)
    T = len(ids)
    x = t["wte.weight"][ids] + t["wpe.weight"][:T]
    mask = torch.ones(T, T, dtype=torch.bool).tril()
    weights = []
    for l in range(L):
        p = "h.%d." % l
        h = F.layer_norm(x, (C,), t[p + "ln_1.weight"], t[p + "ln_1.bias"], eps)
        qkv = torch.addmm(t[p + "attn.c_attn.bias"], h, t[p + "attn.c_attn.weight"])
        q, k, v = (z.view(T, NH, C // NH).transpose(0, 1) for z in qkv.split(C, dim=1))
        s = (q @ k.transpose(-1, -2)) * score_scale(cfg, C // NH, l)
        a = torch.softmax(s.masked_fill(~mask, float("-inf")), dim=-1)
        y = (a @ v).transpose(0, 1).reshape(T, C)
        x = x + torch.addmm(t[p + "attn.c_proj.bias"], y, t[p + "attn.c_proj.weight"])
        h2 = F.layer_norm(x, (C,), t[p + "ln_2.weight"], t[p + "ln_2.bias"], eps)
        m = F.gelu(torch.addmm(t[p + "mlp.c_fc.bias"], h2, t[p + "mlp.c_fc.weight"]),
                   approximate="tanh")
        x = x + torch.addmm(t[p + "mlp.c_proj.bias"], m, t[p + "mlp.c_proj.weight"])
        weights.append(a)
    return torch.stack(weights).numpy()
