#!/usr/bin/python3
"""Draw a training run (OUT/log.csv) as a PNG for the model card: the losses and,
where the log has them, the head targets (previous-token argmax, induction, sink).

Usage: tools/train/plot.py [--start-tokens N] build-train/log.csv data/models/minigpt-en/loss.png
(--start-tokens: tokens the model had seen before this run, for a run that
continued an earlier export with --init.)
"""
import argparse
import csv

import matplotlib
matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402

TARGETS = {"loss": 4.0, "prev_argmax": 0.70, "induction": 0.30, "sink": 0.60}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--start-tokens", type=float, default=0.0)
    p.add_argument("log")
    p.add_argument("png")
    args = p.parse_args()
    # A resumed run repeats the steps since its last checkpoint: keep the latest row per step.
    rows = {int(r["step"]): r for r in csv.DictReader(open(args.log))}
    rows = [rows[k] for k in sorted(rows)]
    tokens = [(args.start_tokens + int(r["tokens"])) / 1e6 for r in rows]
    has_heads = "induction" in rows[0]
    fig, axes = plt.subplots(1, 2 if has_heads else 1, figsize=(11 if has_heads else 7, 4),
                             dpi=100, squeeze=False)
    ax = axes[0][0]
    ax.plot(tokens, [float(r["train_loss"]) for r in rows], label="training windows (128 tokens)")
    ax.plot(tokens, [float(r["heldout_loss"]) for r in rows], label="held-out sentences")
    ax.axhline(TARGETS["loss"], color="grey", linestyle=":", linewidth=1,
               label="target %.1f" % TARGETS["loss"])
    ax.set_xlabel("training tokens (millions)")
    ax.set_ylabel("loss (nats/token)")
    ax.set_ylim(top=min(8.0, ax.get_ylim()[1]))
    ax.grid(alpha=0.3)
    ax.legend()
    if has_heads:
        ax = axes[0][1]
        for key, name in (("prev_argmax", "best previous-token head (argmax share)"),
                          ("induction", "best induction head (weight)"),
                          ("sink", "best sink head (weight on BOS)")):
            line, = ax.plot(tokens, [float(r[key]) for r in rows], label=name)
            ax.axhline(TARGETS[key], color=line.get_color(), linestyle=":", linewidth=1)
        ax.set_xlabel("training tokens (millions)")
        ax.set_ylabel("share (dotted: target)")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(args.png)


if __name__ == "__main__":
    main()
