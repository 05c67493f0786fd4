#!/usr/bin/python3
"""Train the built-in model on CPU, resumably.

State lives in OUT/ckpt.pt (model, optimiser, step, RNG, settings), rewritten
atomically every --save-every seconds; OUT/best.pt keeps the lowest held-out
loss; OUT/log.csv has one row per evaluation. Rerunning the same command
resumes from ckpt.pt; the settings stored in the checkpoint win over the flags,
except --steps (and OUT/steps, read at every evaluation), which may change the
planned length of the run.

Each evaluation also measures the head targets (train.log and log.csv): the best
previous-token head's argmax share and the best sink head on held-out sentences,
and the best induction head on repeated random words (tools/train/heads.py);
OUT/snap-STEP.pt keeps the model of every evaluation, so any of them can be
exported.

--init DIR starts from an exported model directory (same shape) instead of
GPT-2's random initialisation; --repeat P makes a share P of the windows repeat
an earlier span of their own text (tools/train/data.py).

Usage: tools/train/train.py [--steps N] [--n-embd 128 ...] CORPUS_DIR OUT_DIR
"""
import argparse
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data  # noqa: E402
import heads  # noqa: E402
import hfmodel  # noqa: E402
from model import GPT  # noqa: E402

MODEL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         "..", "..", "data", "models", "minigpt-en")
BOS = 8191


def lr_at(step, s):
    """Linear warm-up, then cosine decay to a tenth of the peak."""
    if step < s["warmup"]:
        return s["lr"] * (step + 1) / s["warmup"]
    t = min(1.0, (step - s["warmup"]) / max(1, s["steps"] - s["warmup"]))
    return s["lr"] * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t)))


@torch.no_grad()
def heldout_loss(model, sents):
    """Mean nats per token over held-out sentences, each fed alone after BOS."""
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(sents), 64):  # pad a batch to its longest sentence
        chunk = sents[i:i + 64]
        T = min(max(len(s) for s in chunk), model.config["n_positions"] + 1)
        x = torch.full((len(chunk), T), BOS, dtype=torch.long)
        y = torch.full((len(chunk), T - 1), -100, dtype=torch.long)
        for r, s in enumerate(chunk):
            s = torch.from_numpy(s[:T])
            x[r, :len(s)] = s
            y[r, :len(s) - 1] = s[1:]
        logits, _ = model(x[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1),
                               ignore_index=-100, reduction="sum")
        total += loss.item()
        count += int((y != -100).sum())
    model.train()
    return total / count


def vocab_decoder():
    from bpe import Tokenizer  # tools/tokenizer, on the path through data
    return Tokenizer(MODEL_DIR).decoder


@torch.no_grad()
def head_targets(model, probe, seqs):
    """Best previous-token argmax share, best induction score, best mean weight on BOS."""
    model.eval()
    sums = None
    for x in probe:
        _, atts = model(torch.from_numpy(x)[None], want_attn=True)
        st = [heads.head_stats(a[0].double().numpy()) for a in atts]
        st = np.array([[d["argmax"], d["first"]] for d in st])  # [L, 2, H]
        sums = st if sums is None else sums + st
    sums /= len(probe)
    ind = heads.induction_scores(model, seqs)
    model.train()
    return sums[:, 0].max(), ind.max(), sums[:, 1].max()


def save(path, obj):
    torch.save(obj, path + ".tmp")
    os.replace(path + ".tmp", path)  # a crash never leaves a half-written checkpoint


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--n-layer", type=int, default=4)
    p.add_argument("--n-head", type=int, default=4)
    p.add_argument("--n-embd", type=int, default=128)
    p.add_argument("--n-ctx", type=int, default=128)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--warmup", type=int, default=300)
    p.add_argument("--steps", type=int, default=10000)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--eval-every", type=int, default=250)
    p.add_argument("--save-every", type=float, default=300, help="seconds")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--bench", type=int, default=0, help="time N steps and exit")
    p.add_argument("--init", help="start from this exported model directory")
    p.add_argument("--repeat", type=float, default=0.0,
                   help="share of windows that repeat a span of their own text")
    p.add_argument("--repeat-span", default="8,48",
                   help="MIN,MAX tokens of a repeated span")
    p.add_argument("corpus")
    p.add_argument("out")
    args = p.parse_args()
    # One intra-op pool: OpenBLAS brings its own threads (OPENBLAS_NUM_THREADS),
    # and two pools on 2 cores fight each other.
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    ckpt_path = os.path.join(args.out, "ckpt.pt")

    ckpt = torch.load(ckpt_path) if os.path.exists(ckpt_path) and not args.bench else None
    s = ckpt["settings"] if ckpt else vars(args).copy()
    s["steps"] = args.steps  # the one setting a resume may change (lengthen the run)
    torch.manual_seed(s["seed"])
    model = GPT(n_positions=s["n_ctx"], n_embd=s["n_embd"], n_layer=s["n_layer"],
                n_head=s["n_head"])
    decay = [p for n, p in model.named_parameters() if p.dim() == 2 and n != "wpe.weight"]
    other = [p for n, p in model.named_parameters() if not (p.dim() == 2 and n != "wpe.weight")]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": s["weight_decay"]},
                             {"params": other, "weight_decay": 0.0}],
                            lr=s["lr"], betas=(0.9, 0.95))
    rng = np.random.default_rng(s["seed"])
    step, elapsed, best = 0, 0.0, float("inf")
    if not ckpt and s.get("init"):
        model.load_state_dict(hfmodel.load_model_dir(s["init"]).state_dict())
        print("initialised from %s" % s["init"], flush=True)
    if ckpt:
        model.load_state_dict(ckpt["model"])
        opt.load_state_dict(ckpt["opt"])
        rng.bit_generator.state = ckpt["rng"]
        step, elapsed, best = ckpt["step"], ckpt["elapsed"], ckpt["best"]
        print("resumed at step %d (%.0f s trained)" % (step, elapsed), flush=True)

    splits = [sp for sp in ("train", "train-kjv")
              if os.path.exists(os.path.join(args.corpus, sp + ".txt"))]
    windows = data.Windows([data.load(args.corpus, sp, MODEL_DIR) for sp in splits],
                           s["n_ctx"], BOS, repeat=s.get("repeat", 0.0),
                           span=tuple(int(v) for v in s.get("repeat_span", "8,48").split(",")))
    # A fixed tenth of the held-out sentences keeps evaluation cheap during training.
    heldout = data.load(args.corpus, "heldout", MODEL_DIR)
    val = data.sentences(heldout, BOS, every=10)
    probe = [x for x in val if len(x) >= 5][::4][:100]  # head statistics
    words = heads.common_words(heldout[2], vocab_decoder())
    seqs = heads.repeated_sequences(words, BOS, count=20)
    n_params = sum(p.numel() for p in model.parameters())
    print("params %d, train tokens %d (%s), val sentences %d"
          % (n_params, windows.n_tokens, "+".join(splits), len(val)), flush=True)

    log_path = os.path.join(args.out, "log.csv")
    if not os.path.exists(log_path):
        with open(log_path, "w") as f:
            f.write("step,tokens,seconds,lr,train_loss,heldout_loss,prev_argmax,induction,sink\n")
    last_save, t0, run_loss, run_n = time.time(), time.time(), 0.0, 0
    while step < s["steps"]:
        lr = lr_at(step, s)
        for g in opt.param_groups:
            g["lr"] = lr
        batch = torch.from_numpy(windows.batch(rng, s["batch"]))
        logits, _ = model(batch[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), batch[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        run_loss, run_n = run_loss + loss.item(), run_n + 1
        now = time.time()
        elapsed, t0 = elapsed + (now - t0), now
        if args.bench and step == args.bench:
            print("%.0f tokens/s" % (args.bench * s["batch"] * s["n_ctx"] / elapsed))
            return
        if step % s["eval_every"] == 0 or step == s["steps"]:
            vl = heldout_loss(model, val)
            pa, ind, sink = head_targets(model, probe, seqs)
            t0 = time.time()  # evaluation time is not training time
            tokens = step * s["batch"] * s["n_ctx"]
            print("step %d  tokens %.2fM  %.0f s  lr %.2e  train %.3f  heldout %.3f"
                  "  prev-argmax %.2f  induction %.2f  sink %.2f"
                  % (step, tokens / 1e6, elapsed, lr, run_loss / run_n, vl, pa, ind, sink),
                  flush=True)
            with open(log_path, "a") as f:
                f.write("%d,%d,%.0f,%.3e,%.4f,%.4f,%.4f,%.4f,%.4f\n"
                        % (step, tokens, elapsed, lr, run_loss / run_n, vl, pa, ind, sink))
            save(os.path.join(args.out, "snap-%d.pt" % step),
                 {"model": model.state_dict(), "settings": s, "step": step,
                  "elapsed": elapsed, "heldout": vl})
            run_loss, run_n = 0.0, 0
            # The machine is shared: OUT/steps, if present, re-plans the schedule's
            # length mid-run without a restart (the cosine simply stretches or shrinks).
            steps_file = os.path.join(args.out, "steps")
            if os.path.exists(steps_file):
                s["steps"] = int(open(steps_file).read())
            if vl < best:
                best = vl
                save(os.path.join(args.out, "best.pt"),
                     {"model": model.state_dict(), "settings": s, "step": step,
                      "elapsed": elapsed, "heldout": vl})
        if now - last_save > s["save_every"] or step == s["steps"]:
            save(ckpt_path, {"model": model.state_dict(), "opt": opt.state_dict(),
                             "rng": rng.bit_generator.state, "step": step,
                             "elapsed": elapsed, "best": best, "settings": s})
            last_save = time.time()


if __name__ == "__main__":
    main()
