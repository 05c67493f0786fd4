"""Runs issue 13's engine benchmark: long texts on a GPT-2-small-shaped model.

    /usr/bin/python3 bench/run-long.py [--build-dir _build-bench] [--threads 1,2]
                                       [--tokens 1024,4096] [--rounds 2] [--runs 2]

In one run, on this machine, with the machine's load recorded before and after:

  1. peak RSS of `attention-cli weights --truncate --layer L --head H -o FILE
     TEXT` at T = 1,024 (TEXT longer than the context) for a first, a middle
     and the last layer, against the budget of the model file + 250 MB;
  2. the forward pass at each T (bench-forward, a linear trace: what the app
     keeps) against PyTorch eager (bench/torch-gpt2.py) at 1 and 2 threads,
     C and PyTorch alternating; PyTorch once keeping every layer's attention
     (as Hugging Face's output_attentions) where that fits in memory and
     once keeping none (a plain forward: the harder baseline);
  3. a keystroke at the end of a 1,000-token text (bench-forward
     --incremental: the pass reusing the first 998 tokens' rows of the
     previous trace) against a full pass over the same text, interleaved in
     one process;
  4. peak RSS and time of one linear pass at T = 4,096 on the 24-layer,
     14-query-head / 2-KV-head, d_model 896 random Llama (BF16 on disk,
     _build-bench/llama24-random, made by bench/make-smollm2-random.py
     --shape qwen2-0.5b when missing) against the budget of 6 GB.

T = 4,096 runs on _build-bench/gpt2-random-4k, the same shape with n_ctx
4,096 (made by bench/make-gpt2-random.py --n-ctx 4096 when missing).
Prints Markdown for bench/README.md; raw numbers go to BUILD/bench-long.json.
Run it with Debian's interpreter (/usr/bin/python3): it has numpy and torch.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"

spec = importlib.util.spec_from_file_location("run_bench", os.path.join(HERE, "run-bench.py"))
run_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_bench)
median = run_bench.median

# Long enough for 1,024 GPT-2 tokens and more; --truncate keeps what fits.
WORDS = ("the model reads every token of a long text and each head decides where to look "
         "while the reader follows the arcs from one word to the words before it ").split()
LONG_TEXT = " ".join(WORDS[i % len(WORDS)] + ("." if i % 17 == 16 else "") for i in range(1400))


def load():
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def env_threads(n):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.update(ATTENTION_THREADS=str(n), OPENBLAS_NUM_THREADS=str(n), OMP_NUM_THREADS=str(n))
    return env


def ensure_model(path, n_ctx):
    if not os.path.exists(os.path.join(path, "model.safetensors")):
        subprocess.run([PY, os.path.join(HERE, "make-gpt2-random.py"), path, "--n-ctx", str(n_ctx)],
                       check=True)
    return path


def peak_rss(cli, model, layers):
    rows = []
    size = os.path.getsize(os.path.join(model, "model.safetensors"))
    with tempfile.TemporaryDirectory() as tmp:
        for layer in layers:
            out = os.path.join(tmp, "w.json")
            cmd = ["/usr/bin/time", "-f", "%M %e", cli, "weights", "--model", model, "--truncate",
                   "--layer", str(layer), "--head", "0", "-o", out, LONG_TEXT]
            r = subprocess.run(cmd, capture_output=True, text=True, check=True)
            kb, secs = r.stderr.strip().splitlines()[-1].split()
            with open(out) as f:
                T = len(json.load(f)["tokens"])
            rows.append({"layer": layer, "T": T, "peak_rss_mb": int(kb) / 1024, "wall_s": float(secs),
                         "file_mb": size / 2**20, "budget_mb": size / 2**20 + 250})
    return rows


def forward(bench, models, tokens, threads, rounds, runs):
    rows = []
    for T in tokens:
        model = models[T]
        keep_fits = T <= 1024
        for n in threads:
            env = env_threads(n)
            c, torch_keep, torch_plain = [], [], []
            for r in range(rounds):
                sides = ["c", "plain", "keep"] if keep_fits else ["c", "plain"]
                if r % 2:
                    sides.reverse()
                for side in sides:
                    if side == "c":
                        recs = run_bench.run_json_lines([bench, "--model", model, "--tokens", str(T),
                                                         "--warmup", "1", "--runs", str(runs)], env)
                        c += [x for x in recs if x["side"] == "c"]
                    else:
                        cmd = [PY, os.path.join(HERE, "torch-gpt2.py"), "--model", model, "--tokens",
                               str(T), "--warmup", "1", "--runs", str(runs), "--threads", str(n)]
                        recs = run_bench.run_json_lines(cmd + (["--no-keep"] if side == "plain" else []),
                                                        env)
                        (torch_plain if side == "plain" else torch_keep).extend(
                            x for x in recs if x["side"] == "torch")
            flat = lambda recs, key: [v for x in recs for v in x[key]]
            row = {"T": T, "threads": n,
                   "c_wall": median(flat(c, "wall_ms")), "c_cpu": median(flat(c, "cpu_ms")),
                   "plain_wall": median(flat(torch_plain, "wall_ms")),
                   "plain_cpu": median(flat(torch_plain, "cpu_ms")),
                   "keep_wall": median(flat(torch_keep, "wall_ms")) if torch_keep else None,
                   "keep_cpu": median(flat(torch_keep, "cpu_ms")) if torch_keep else None,
                   "load": load()}
            print(json.dumps(row), file=sys.stderr, flush=True)
            rows.append(row)
    return rows


def incremental(bench, model, threads, runs):
    rows = []
    for n in threads:
        recs = run_bench.run_json_lines([bench, "--model", model, "--tokens", "1000", "--warmup", "1",
                                         "--runs", str(runs), "--incremental"], env_threads(n))
        r = next(x for x in recs if x["side"] == "c-incremental")
        rows.append({"T": r["T"], "threads": n, "reused": r["reused"],
                     "full_wall": median(r["full_wall_ms"]), "incr_wall": median(r["incremental_wall_ms"]),
                     "full_cpu": median(r["full_cpu_ms"]), "incr_cpu": median(r["incremental_cpu_ms"])})
    return rows


def llama_rss(bench, model, T, threads):
    rows = []
    size = os.path.getsize(os.path.join(model, "model.safetensors"))
    for n in threads:
        cmd = ["/usr/bin/time", "-f", "%M %e", bench, "--model", model, "--tokens", str(T),
               "--warmup", "0", "--runs", "1"]
        r = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env_threads(n))
        kb, secs = r.stderr.strip().splitlines()[-1].split()
        rec = next(json.loads(l) for l in r.stdout.splitlines() if '"side": "c"' in l)
        rows.append({"T": T, "threads": n, "peak_rss_mb": int(kb) / 1024, "process_s": float(secs),
                     "pass_wall_ms": rec["wall_ms"][0], "pass_cpu_ms": rec["cpu_ms"][0],
                     "file_mb": size / 2**20, "budget_mb": 6 * 1024, "load": load()})
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    return rows


def ratio(a, b):
    return "%.2f" % (a / b) if a is not None and b else "–"


def report(res):
    m = res["machine"]
    print("Run %s on %s (%d CPUs, %s); load average %s before, %s after.\n"
          % (res["date"], next((l.split(":", 1)[1].strip() for l in m["lscpu"] if l.startswith("Model name")), "?"),
             m["nproc"], ", ".join(m["simd"]), " ".join(res["load_before"]), " ".join(res["load_after"])))
    # Parts left out with --skip have no rows and print no table.
    if res["rss"]:
        print("Peak RSS of `attention-cli weights --truncate --layer L --head 0 -o FILE TEXT` (model file %.0f MB):\n"
              % res["rss"][0]["file_mb"])
        print("| layer | T | peak RSS MB | budget (file + 250 MB) | wall s |")
        print("|---|---|---|---|---|")
    for r in res["rss"]:
        print("| %d | %d | **%.0f** | %.0f | %.1f |" % (r["layer"], r["T"], r["peak_rss_mb"], r["budget_mb"], r["wall_s"]))
    print("\nForward pass, median ms (C: linear trace; PyTorch plain: keeps no attention; PyTorch keep: "
          "keeps every layer's, as `output_attentions`):\n")
    print("| T | threads | C wall | PyTorch plain wall | C / plain wall | C CPU | plain CPU | C / plain CPU "
          "| PyTorch keep wall | C / keep wall | load after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in res["forward"]:
        print("| %d | %d | %.0f | %.0f | **%s** | %.0f | %.0f | **%s** | %s | %s | %s |"
              % (r["T"], r["threads"], r["c_wall"], r["plain_wall"], ratio(r["c_wall"], r["plain_wall"]),
                 r["c_cpu"], r["plain_cpu"], ratio(r["c_cpu"], r["plain_cpu"]),
                 "%.0f" % r["keep_wall"] if r["keep_wall"] else "–", ratio(r["c_wall"], r["keep_wall"]),
                 " ".join(r["load"])))
    print("\nKeystroke at the end of a 1,000-token text (engine level), median ms:\n")
    print("| threads | rows reused | full pass wall | incremental wall | ratio wall | full CPU | incremental CPU | ratio CPU |")
    print("|---|---|---|---|---|---|---|---|")
    for r in res["incremental"]:
        print("| %d | %d | %.0f | %.0f | **%s** | %.0f | %.0f | **%s** |"
              % (r["threads"], r["reused"], r["full_wall"], r["incr_wall"], ratio(r["incr_wall"], r["full_wall"]),
                 r["full_cpu"], r["incr_cpu"], ratio(r["incr_cpu"], r["full_cpu"])))
    if res.get("llama"):
        print("\n24-layer, 14-query-head / 2-KV-head, d_model 896 random Llama (BF16, %.0f MB file), one linear "
              "pass (bench-forward):\n" % res["llama"][0]["file_mb"])
        print("| T | threads | peak RSS MB | budget MB | pass wall ms | pass CPU ms | load after |")
        print("|---|---|---|---|---|---|---|")
        for r in res["llama"]:
            print("| %d | %d | **%.0f** | %d | %.0f | %.0f | %s |"
                  % (r["T"], r["threads"], r["peak_rss_mb"], r["budget_mb"], r["pass_wall_ms"],
                     r["pass_cpu_ms"], " ".join(r["load"])))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "_build-bench"))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--tokens", default="1024,4096")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: rss,forward,incremental,llama")
    args = ap.parse_args()

    build = os.path.abspath(args.build_dir)
    bench = os.path.join(build, "bench", "bench-forward")
    cli = os.path.join(build, "src", "cli", "attention-cli")
    models = {1024: ensure_model(os.path.join(ROOT, "_build-bench", "gpt2-random"), 1024)}
    tokens = [int(t) for t in args.tokens.split(",")]
    threads = [int(t) for t in args.threads.split(",")]
    skip = args.skip.split(",")
    if any(T > 1024 for T in tokens):
        big = ensure_model(os.path.join(ROOT, "_build-bench", "gpt2-random-4k"), 4096)
        models.update({T: big for T in tokens if T > 1024})

    res = {"date": subprocess.run(["date", "-u", "+%Y-%m-%d %H:%M UTC"], capture_output=True,
                                  text=True).stdout.strip(),
           "machine": run_bench.machine(), "load_before": load()}
    res["rss"] = peak_rss(cli, models[1024], [0, 5, 11]) if "rss" not in skip else []
    res["forward"] = forward(bench, models, tokens, threads, args.rounds, args.runs) if "forward" not in skip else []
    res["incremental"] = incremental(bench, models[1024], threads, max(args.runs, 3)) \
        if "incremental" not in skip else []
    if "llama" not in skip:
        llama = os.path.join(ROOT, "_build-bench", "llama24-random")
        if not os.path.exists(os.path.join(llama, "model.safetensors")):
            subprocess.run([PY, os.path.join(HERE, "make-smollm2-random.py"), llama, "--shape", "qwen2-0.5b"],
                           check=True)
        res["llama"] = llama_rss(bench, llama, 4096, threads)
    res["load_after"] = load()
    with open(os.path.join(build, "bench-long.json"), "w") as f:
        json.dump(res, f, indent=1)
    report(res)


if __name__ == "__main__":
    main()
