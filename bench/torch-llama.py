"""PyTorch's side of the Llama benchmark: an eager Llama forward, timed.

    /usr/bin/python3 bench/torch-llama.py --model DIR [--tokens 256]
                                          [--warmup 1] [--runs 5] [--threads N]

The forward is Llama's block written out with torch.nn.functional, float32
(the BF16 weights widened once at load, as the C engine does), under
torch.no_grad(): RMSNorm, q/k/v projections, rotary positions (rotate-half
pairing), grouped-query attention (k/v heads expanded to the query heads),
causal softmax, output projection, residual, SwiGLU MLP, final RMSNorm.
Like Hugging Face's output_attentions=True it keeps every layer's attention
weights (L, NH, T, T); it keeps nothing else (the C engine also keeps ln1,
q, k, v, scores, head outputs and attention outputs).

Prints one JSON object per length, like bench-forward:
    {"side": "torch", "T": 256, "threads": 1, "wall_ms": [...], "cpu_ms": [...]}
Token ids are the formula bench-forward.c uses.  Run it with Debian's
interpreter (/usr/bin/python3): it has numpy and torch.
"""
import argparse
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F


def load_bf16(path):
    """{name without "model.": float32 tensor} from a BF16 safetensors file."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        bits = data[begin:end].view(np.uint16).astype(np.uint32) << 16
        out[name[len("model."):] if name.startswith("model.") else name] = \
            torch.from_numpy(bits.view(np.float32).reshape(info["shape"]))
    return out


class Llama:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "config.json")) as f:
            cfg = json.load(f)
        self.L, self.NH = cfg["num_hidden_layers"], cfg["num_attention_heads"]
        self.NKV, self.C = cfg["num_key_value_heads"], cfg["hidden_size"]
        self.V, self.eps = cfg["vocab_size"], cfg["rms_norm_eps"]
        self.hs = self.C // self.NH
        self.inv_freq = 1.0 / cfg["rope_theta"] ** (
            torch.arange(0, self.hs, 2, dtype=torch.float64) / self.hs)
        self.w = load_bf16(os.path.join(model_dir, "model.safetensors"))

    def rms(self, x, g):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * g

    @torch.no_grad()
    def forward(self, ids):
        w, NH, NKV, hs = self.w, self.NH, self.NKV, self.hs
        T = ids.shape[0]
        ang = torch.outer(torch.arange(T, dtype=torch.float64), self.inv_freq)
        cos = torch.cat([ang.cos(), ang.cos()], -1).float()
        sin = torch.cat([ang.sin(), ang.sin()], -1).float()

        def rope(x):
            half = hs // 2
            return x * cos + torch.cat([-x[..., half:], x[..., :half]], -1) * sin

        mask = torch.ones(T, T, dtype=torch.bool).triu_(1)
        x = w["embed_tokens.weight"][ids]
        attentions = []
        for i in range(self.L):
            p = "layers.%d." % i
            h = self.rms(x, w[p + "input_layernorm.weight"])
            q = F.linear(h, w[p + "self_attn.q_proj.weight"]).view(T, NH, hs).transpose(0, 1)
            k = F.linear(h, w[p + "self_attn.k_proj.weight"]).view(T, NKV, hs).transpose(0, 1)
            v = F.linear(h, w[p + "self_attn.v_proj.weight"]).view(T, NKV, hs).transpose(0, 1)
            q, k = rope(q), rope(k)
            k = k.repeat_interleave(NH // NKV, 0)
            v = v.repeat_interleave(NH // NKV, 0)
            att = ((q @ k.transpose(-2, -1)) * (1.0 / hs ** 0.5)).masked_fill(mask, float("-inf"))
            att = att.softmax(dim=-1)
            attentions.append(att)
            y = (att @ v).transpose(0, 1).reshape(T, NH * hs)
            x = x + F.linear(y, w[p + "self_attn.o_proj.weight"])
            h = self.rms(x, w[p + "post_attention_layernorm.weight"])
            x = x + F.linear(F.silu(F.linear(h, w[p + "mlp.gate_proj.weight"])) *
                             F.linear(h, w[p + "mlp.up_proj.weight"]), w[p + "mlp.down_proj.weight"])
        self.rms(x, w["norm.weight"])
        return torch.stack(attentions)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--tokens", default="256")
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    model = Llama(args.model)
    for T in [int(t) for t in args.tokens.split(",")]:
        ids = torch.tensor([(1 + t * 7919) % model.V for t in range(T)], dtype=torch.long)
        wall, cpu = [], []
        for i in range(args.warmup + args.runs):
            w0, c0 = time.perf_counter(), time.process_time()
            del_att = model.forward(ids)
            del del_att
            if i >= args.warmup:
                wall.append((time.perf_counter() - w0) * 1e3)
                cpu.append((time.process_time() - c0) * 1e3)
        print(json.dumps({"side": "torch", "T": T, "threads": torch.get_num_threads(),
                          "wall_ms": [round(v, 3) for v in wall],
                          "cpu_ms": [round(v, 3) for v in cpu]}), flush=True)


if __name__ == "__main__":
    main()
