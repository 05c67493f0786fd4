"""Read and write the Hugging Face GPT-2 directory layout without transformers.

safetensors is written by hand: an 8-byte little-endian header length, a JSON
header {"name": {"dtype", "shape", "data_offsets"}, "__metadata__": {...}}, then
the raw little-endian tensor bytes in header order.
"""
import json
import os
import struct

import numpy as np
import torch

from model import GPT

DTYPES = {"F32": np.float32, "F16": np.float16}


def hf_tensors(model):
    """Our state dict under GPT-2's names, Linear weights transposed to Conv1D [in, out]."""
    sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    out = {"wte.weight": sd["wte.weight"], "wpe.weight": sd["wpe.weight"]}
    rename = {"ln_1": "ln_1", "c_attn": "attn.c_attn", "attn_proj": "attn.c_proj",
              "ln_2": "ln_2", "c_fc": "mlp.c_fc", "mlp_proj": "mlp.c_proj"}
    for i in range(model.config["n_layer"]):
        for ours, theirs in rename.items():
            w, b = sd["h.%d.%s.weight" % (i, ours)], sd["h.%d.%s.bias" % (i, ours)]
            out["h.%d.%s.weight" % (i, theirs)] = w if ours.startswith("ln") else w.T
            out["h.%d.%s.bias" % (i, theirs)] = b
    out["ln_f.weight"], out["ln_f.bias"] = sd["ln_f.weight"], sd["ln_f.bias"]
    return out


def write_safetensors(path, tensors, dtype="F32", metadata=None):
    header, offset = {}, 0
    blobs = []
    for name, t in tensors.items():
        blob = np.ascontiguousarray(t, dtype=np.dtype(DTYPES[dtype]).newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    header["__metadata__"] = metadata or {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # keep tensor data 8-byte aligned
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
    os.replace(path + ".tmp", path)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        raw = f.read()
    header.pop("__metadata__", None)
    out = {}
    for name, h in header.items():
        a, b = h["data_offsets"]
        out[name] = np.frombuffer(raw[a:b], dtype=np.dtype(DTYPES[h["dtype"]]).newbyteorder("<")
                                  ).reshape(h["shape"]).astype(np.float32)
    return out


def load_model_dir(model_dir):
    """Build our PyTorch GPT from an exported directory (what the app ships)."""
    with open(os.path.join(model_dir, "config.json")) as f:
        cfg = json.load(f)
    model = GPT(vocab_size=cfg["vocab_size"], n_positions=cfg["n_positions"],
                n_embd=cfg["n_embd"], n_layer=cfg["n_layer"], n_head=cfg["n_head"],
                eps=cfg["layer_norm_epsilon"])
    t = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    rename = {"ln_1": "ln_1", "attn.c_attn": "c_attn", "attn.c_proj": "attn_proj",
              "ln_2": "ln_2", "mlp.c_fc": "c_fc", "mlp.c_proj": "mlp_proj"}
    sd = {"wte.weight": t["wte.weight"], "wpe.weight": t["wpe.weight"],
          "ln_f.weight": t["ln_f.weight"], "ln_f.bias": t["ln_f.bias"]}
    for i in range(cfg["n_layer"]):
        for theirs, ours in rename.items():
            w = t["h.%d.%s.weight" % (i, theirs)]
            sd["h.%d.%s.weight" % (i, ours)] = w if ours.startswith("ln") else w.T
            sd["h.%d.%s.bias" % (i, ours)] = t["h.%d.%s.bias" % (i, theirs)]
    model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in sd.items()})
    model.eval()
    return model
