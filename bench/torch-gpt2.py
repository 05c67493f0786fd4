"""PyTorch's side of the engine benchmark: an eager GPT-2 forward, timed.

    OMP_NUM_THREADS=N OPENBLAS_NUM_THREADS=N \
    /usr/bin/python3 bench/torch-gpt2.py --model DIR [--tokens 64,256]
                                         [--warmup 2] [--runs 7] [--threads N]
    /usr/bin/python3 bench/torch-gpt2.py --model DIR --first-output TEXT
    /usr/bin/python3 bench/torch-gpt2.py --model DIR --whole-ids IDS --layer L --head H
    /usr/bin/python3 bench/torch-gpt2.py --model DIR --dump-ids 3,5,7 OUT.npy

The forward is GPT-2's block written out with torch.nn.functional, float32,
under torch.no_grad(): pre-LayerNorm, fused q|k|v (x @ W + b, Conv1D
layout), scaled dot product with a causal mask, softmax, output projection,
residual, MLP with the tanh GELU, final LayerNorm.  Like Hugging Face's
output_attentions=True it keeps every layer's attention weights (L, NH, T, T)
and returns them; it keeps nothing else (the C engine also keeps ln1, q, k,
v, scores, head outputs and attention outputs, which is more work for C).

The weights are read from model.safetensors through a numpy memory map
(no `safetensors` package), so both sides compute with the same bytes.
Token ids are the same formula bench-forward.c uses.

Timing mode prints one JSON object per length, like bench-forward:
    {"side": "torch", "T": 64, "threads": 1, "wall_ms": [...], "cpu_ms": [...]}
--first-output does what `attention-cli weights --layer 0 --head 0 TEXT`
does, for the time-to-first-output comparison: it imports torch, loads the
model, tokenises nothing (one id per byte of TEXT) and prints layer 0 head 0
as JSON.  --whole-ids does what `attention-cli weights --layer L --head H TEXT`
does for the text whose ids are IDS (comma-separated, found by the CLI's
tokenizer beforehand: tokenising is the CLI's work only, in PyTorch's
favour), for issue 12's whole-process comparison: import, load, run, print.

Run it with Debian's interpreter (/usr/bin/python3): it has numpy and torch.
"""
import argparse
import json
import os
import struct
import sys
import time
import warnings

import numpy as np
import torch
import torch.nn.functional as F


def load_safetensors(path):
    """{name: torch tensor} sharing memory with a read-only numpy memmap."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + n)
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit("torch-gpt2: %s is %s; only F32 is benchmarked" % (name, info["dtype"]))
        begin, end = info["data_offsets"]
        array = data[begin:end].view(np.float32).reshape(info["shape"])
        key = name[len("transformer."):] if name.startswith("transformer.") else name
        # torch warns that the buffer is read-only; the forward never writes to it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tensors[key] = torch.from_numpy(array)
    return tensors


class GPT2:
    def __init__(self, model_dir):
        with open(os.path.join(model_dir, "config.json")) as f:
            cfg = json.load(f)
        self.L = cfg["n_layer"]
        self.NH = cfg["n_head"]
        self.C = cfg["n_embd"]
        self.n_ctx = cfg.get("n_positions", cfg.get("n_ctx"))
        self.V = cfg["vocab_size"]
        self.eps = cfg.get("layer_norm_epsilon", 1e-5)
        self.w = load_safetensors(os.path.join(model_dir, "model.safetensors"))

    @torch.no_grad()
    def forward(self, ids, keep=True):
        """Returns the attention weights of every layer: (L, NH, T, T), or
        with keep=False nothing (each layer's are dropped after use: a
        plain forward pass, the harder baseline; at T = 4,096 keeping them
        all would take 9.7 GB)."""
        w, C, NH = self.w, self.C, self.NH
        T = ids.shape[0]
        hs = C // NH
        x = w["wte.weight"][ids] + w["wpe.weight"][:T]
        mask = torch.ones(T, T, dtype=torch.bool).triu_(1)
        attentions = []
        for i in range(self.L):
            p = "h.%d." % i
            h = F.layer_norm(x, (C,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], self.eps)
            qkv = torch.addmm(w[p + "attn.c_attn.bias"], h, w[p + "attn.c_attn.weight"])
            q, k, v = qkv.split(C, dim=1)
            q = q.view(T, NH, hs).transpose(0, 1)
            k = k.view(T, NH, hs).transpose(0, 1)
            v = v.view(T, NH, hs).transpose(0, 1)
            att = (q @ k.transpose(-2, -1)) * (1.0 / hs ** 0.5)
            att = att.masked_fill(mask, float("-inf")).softmax(dim=-1)
            if keep:
                attentions.append(att)
            y = (att @ v).transpose(0, 1).reshape(T, C)
            x = x + torch.addmm(w[p + "attn.c_proj.bias"], y, w[p + "attn.c_proj.weight"])
            h = F.layer_norm(x, (C,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], self.eps)
            h = F.gelu(torch.addmm(w[p + "mlp.c_fc.bias"], h, w[p + "mlp.c_fc.weight"]),
                       approximate="tanh")
            x = x + torch.addmm(w[p + "mlp.c_proj.bias"], h, w[p + "mlp.c_proj.weight"])
        F.layer_norm(x, (C,), w["ln_f.weight"], w["ln_f.bias"], self.eps)
        return torch.stack(attentions) if keep else None


def bench_ids(T, vocab):
    """The same ids as bench-forward.c's fill_ids()."""
    return torch.tensor([(1 + t * 7919) % vocab for t in range(T)], dtype=torch.long)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--tokens", default="64,256")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--threads", type=int, default=None,
                    help="torch.set_num_threads (default: OMP_NUM_THREADS or 1)")
    ap.add_argument("--first-output", metavar="TEXT")
    ap.add_argument("--whole-ids", metavar="IDS")
    ap.add_argument("--no-keep", action="store_true",
                    help="keep no layer's attention weights (a plain forward pass)")
    ap.add_argument("--layer", type=int, default=0)
    ap.add_argument("--head", type=int, default=0)
    ap.add_argument("--dump-ids", nargs=2, metavar=("IDS", "OUT"),
                    help="write the attention for comma-separated IDS to OUT (.npy)")
    args = ap.parse_args()

    threads = args.threads or int(os.environ.get("OMP_NUM_THREADS", "1"))
    torch.set_num_threads(threads)
    model = GPT2(args.model)

    if args.whole_ids is not None:
        ids = torch.tensor([int(i) for i in args.whole_ids.split(",")], dtype=torch.long)
        att = model.forward(ids)[args.layer, args.head]
        json.dump({"layers": [args.layer], "heads": [args.head], "attention": [[att.tolist()]]},
                  sys.stdout)
        print()
        return

    if args.first_output is not None:
        ids = torch.tensor(list(args.first_output.encode())[:model.n_ctx], dtype=torch.long)
        att = model.forward(ids)[0, 0]
        json.dump({"layers": [0], "heads": [0], "attention": [[att.tolist()]]}, sys.stdout)
        print()
        return

    if args.dump_ids is not None:
        ids = torch.tensor([int(i) for i in args.dump_ids[0].split(",")], dtype=torch.long)
        np.save(args.dump_ids[1], model.forward(ids).numpy())
        return

    for T in [int(t) for t in args.tokens.split(",")]:
        ids = bench_ids(T, model.V)
        wall, cpu = [], []
        for i in range(args.warmup + args.runs):
            w0, c0 = time.perf_counter(), time.process_time()
            att = model.forward(ids, keep=not args.no_keep)
            del att
            if i >= args.warmup:
                wall.append((time.perf_counter() - w0) * 1e3)
                cpu.append((time.process_time() - c0) * 1e3)
        print(json.dumps({"side": "torch", "T": T, "threads": torch.get_num_threads(),
                          "keeps_attentions": not args.no_keep,
                          "wall_ms": [round(v, 3) for v in wall],
                          "cpu_ms": [round(v, 3) for v in cpu]}), flush=True)


if __name__ == "__main__":
    main()
