#!/usr/bin/python3
"""Draw the loss curve of a training run (OUT/log.csv) as a PNG for the model card.

Usage: tools/train/plot.py build-train/log.csv data/models/minigpt-en/loss.png
"""
import csv
import sys

import matplotlib
matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402


def main():
    # A resumed run repeats the steps since its last checkpoint: keep the latest row per step.
    rows = {int(r["step"]): r for r in csv.DictReader(open(sys.argv[1]))}
    rows = [rows[k] for k in sorted(rows)]
    tokens = [int(r["tokens"]) / 1e6 for r in rows]
    minutes = [float(r["seconds"]) / 60 for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    ax.plot(tokens, [float(r["train_loss"]) for r in rows], label="training windows (128 tokens)")
    ax.plot(tokens, [float(r["heldout_loss"]) for r in rows], label="held-out sentences")
    ax.axhline(4.3, color="grey", linestyle=":", linewidth=1, label="target 4.3")
    ax.set_xlabel("training tokens (millions)")
    ax.set_ylabel("loss (nats/token)")
    ax.set_ylim(top=min(8.0, ax.get_ylim()[1]))
    ax.grid(alpha=0.3)
    ax.legend()
    top = ax.secondary_xaxis("top", functions=(
        lambda t: t / tokens[-1] * minutes[-1], lambda m: m / minutes[-1] * tokens[-1]))
    top.set_xlabel("CPU training time (minutes)")
    fig.tight_layout()
    fig.savefig(sys.argv[2])


if __name__ == "__main__":
    main()
