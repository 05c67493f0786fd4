"""Runs the engine benchmark (issue 2): the C engine against PyTorch eager.

    /usr/bin/python3 bench/run-bench.py [--build-dir _build-bench] [--threads 1,2]
                                        [--rounds 3] [--runs 5] [--tokens 64,256]

Needs a build directory with bench/bench-forward and src/cli/attention-cli
(the top-level meson.build includes bench/ with subdir('bench')) and writes
the random GPT-2-small model with bench/make-gpt2-random.py when it is not
there yet.  Everything runs on this machine in this one run, interleaved
(C, PyTorch, PyTorch, C, ...), so background load hits both sides alike.

It measures
  1. agreement: the C engine's attention (attention-cli weights --format npy)
     against the PyTorch forward over the same ids, as a sanity check that
     both compute the same thing;
  2. forward time at each T and thread count: median wall and CPU ms over
     rounds x runs forward passes (after warm-up), C / PyTorch ratio;
  3. time from process start to the first JSON output: attention-cli weights
     --layer 0 --head 0 TEXT (time to its first stdout byte and to exit),
     against `python3 -c "import torch"` alone and against the whole PyTorch
     equivalent (bench/torch-gpt2.py --first-output TEXT); with, to explain
     it, attention-cli info (loading only), weights with one OpenBLAS thread,
     and weights on a view of the same weights whose config says n_layer 1
     (what stopping after the requested layer would give);
  4. peak RSS of each process (/usr/bin/time -v, "Maximum resident set size").

It prints a Markdown report (for bench/README.md) and writes the raw numbers
to BUILD_DIR/bench-engine.json.  The model file is read through the page
cache: every run but the very first sees it warm.

Run it with Debian's interpreter (/usr/bin/python3): it has numpy and torch.
"""
import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"
TEXT = "The trophy did not fit in the suitcase because it was too big."


def env_threads(n):
    env = dict(os.environ)
    env.update(OPENBLAS_NUM_THREADS=str(n), OMP_NUM_THREADS=str(n))
    return env


def run_json_lines(cmd, env):
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def pct(xs, p):
    return float(np.percentile(xs, p)) if xs else float("nan")


def machine():
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
    keep = ("Architecture", "CPU(s):", "Model name", "Thread(s) per core", "Core(s) per socket",
            "L1d", "L2", "L3", "Flags")
    lines = [l for l in lscpu if l.startswith(keep) and not l.startswith("Flags")]
    flags = next((l for l in lscpu if l.startswith("Flags")), "")
    simd = [f for f in ("avx2", "fma", "avx512f", "amx_tile") if re.search(r"\b%s\b" % f, flags)]
    return {
        "nproc": int(subprocess.run(["nproc"], capture_output=True, text=True).stdout),
        "lscpu": lines,
        "simd": simd,
        "kernel": platform.release(),
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    }


# -----------------------------------------------------------------------------

def check_agreement(cli, model):
    """Max |C - PyTorch| over every layer and head for TEXT."""
    tok = json.loads(subprocess.run([cli, "tokens", "--model", model, "--format", "json", TEXT],
                                    check=True, capture_output=True, text=True).stdout)
    ids = ",".join(str(i) for i in tok["ids"])
    with tempfile.TemporaryDirectory() as tmp:
        c_path, t_path = os.path.join(tmp, "c.npy"), os.path.join(tmp, "torch.npy")
        subprocess.run([cli, "weights", "--model", model, "--format", "npy", "-o", c_path, TEXT],
                       check=True)
        subprocess.run([PY, os.path.join(HERE, "torch-gpt2.py"), "--model", model,
                        "--dump-ids", ids, t_path], check=True, env=env_threads(1))
        c, t = np.load(c_path), np.load(t_path)
    return {"tokens": len(tok["ids"]), "shape": list(c.shape),
            "max_abs_diff": float(np.abs(c - t).max())}


def bench_forward(bench, model, threads, rounds, runs, tokens):
    series = {}
    for n in threads:
        env = env_threads(n)
        c_cmd = [bench, "--model", model, "--tokens", tokens, "--runs", str(runs)]
        t_cmd = [PY, os.path.join(HERE, "torch-gpt2.py"), "--model", model, "--tokens", tokens,
                 "--runs", str(runs), "--threads", str(n)]
        for r in range(rounds):
            order = [c_cmd, t_cmd] if r % 2 == 0 else [t_cmd, c_cmd]
            for cmd in order:
                for rec in run_json_lines(cmd, env):
                    if rec["side"] not in ("c", "torch"):
                        continue
                    key = (rec["side"], n, rec["T"])
                    s = series.setdefault(key, {"wall_ms": [], "cpu_ms": []})
                    s["wall_ms"] += rec["wall_ms"]
                    s["cpu_ms"] += rec["cpu_ms"]
            print("  forward: %d thread(s), round %d/%d done" % (n, r + 1, rounds), file=sys.stderr)
    return series


def time_to_output(cmd, env):
    """Milliseconds from spawning @cmd to its first stdout byte, and to its exit."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    first = p.stdout.read(1)
    t1 = time.perf_counter()
    p.stdout.read()
    p.wait()
    t2 = time.perf_counter()
    if p.returncode != 0 or not first:
        raise SystemExit("run-bench: %s failed" % " ".join(cmd))
    return (t1 - t0) * 1e3, (t2 - t0) * 1e3


def one_layer_view(model, build):
    """The same weights with config.json saying n_layer 1 (symlinks): what
    `weights --layer 0` would cost if the engine stopped after that layer."""
    view = os.path.join(build, os.path.basename(model.rstrip("/")) + "-1layer")
    os.makedirs(view, exist_ok=True)
    for name in ("model.safetensors", "vocab.json", "merges.txt"):
        link = os.path.join(view, name)
        if not os.path.lexists(link):
            os.symlink(os.path.join(os.path.abspath(model), name), link)
    with open(os.path.join(model, "config.json")) as f:
        config = json.load(f)
    config["n_layer"] = 1
    with open(os.path.join(view, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    return view


def startup_commands(cli, model, build):
    """{name: (argv, env)}; as a person runs them (no thread variables) unless named."""
    plain = dict(os.environ)
    weights = ["weights", "--layer", "0", "--head", "0", TEXT]
    return {
        "attention-cli weights": ([cli, weights[0], "--model", model] + weights[1:], plain),
        "attention-cli weights, OPENBLAS_NUM_THREADS=1": (
            [cli, weights[0], "--model", model] + weights[1:], env_threads(1)),
        "attention-cli weights, 1-layer config (what-if)": (
            [cli, weights[0], "--model", one_layer_view(model, build)] + weights[1:], plain),
        "attention-cli info (load only)": ([cli, "info", "--model", model], plain),
        "attention-cli weights, built-in model": ([cli] + weights, plain),
        # prints one byte once the import is done: its "first output"
        "import torch": ([PY, "-c", "import torch; print('x')"], plain),
        "torch equivalent": ([PY, os.path.join(HERE, "torch-gpt2.py"), "--model", model,
                              "--first-output", TEXT], plain),
    }


def bench_first_output(cmds, reps):
    res = {k: {"first_ms": [], "exit_ms": []} for k in cmds}
    for _ in range(reps):
        for name, (cmd, env) in cmds.items():
            first, done = time_to_output(cmd, env)
            res[name]["first_ms"].append(first)
            res[name]["exit_ms"].append(done)
    return res


def peak_rss(cmds):
    rss = {}
    for name, (cmd, env) in cmds.items():
        p = subprocess.run(["/usr/bin/time", "-v"] + cmd, env=env, capture_output=True, text=True)
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
        rss[name] = int(m.group(1)) / 1024 if m else float("nan")
    return rss


# -----------------------------------------------------------------------------

def report(res):
    out = []
    m = res["machine"]
    out.append("Machine: %s; %d CPUs (`nproc`); %s; SIMD: %s." % (
        next((l.split(":", 1)[1].strip() for l in m["lscpu"] if l.startswith("Model name")), "?"),
        m["nproc"], platform.machine(), ", ".join(m["simd"])))
    out.append("Load before: `%s`  " % m["uptime"])
    out.append("Load after: `%s`" % res["uptime_after"])
    out.append("")
    a = res["agreement"]
    out.append("Agreement: max |C − PyTorch| over all %s attention weights of a %d-token "
               "sentence: %.2e." % ("×".join(map(str, a["shape"])), a["tokens"], a["max_abs_diff"]))
    out.append("")
    out.append("| threads | T | C wall ms (median) | PyTorch wall ms | C / PyTorch wall "
               "| C CPU ms (median) | PyTorch CPU ms | C / PyTorch CPU |")
    out.append("|---|---|---|---|---|---|---|---|")
    fw = res["forward"]
    for key in sorted({(k[1], k[2]) for k in map(tuple, (json.loads(k) for k in fw))}):
        n, T = key
        c = fw[json.dumps(["c", n, T])]
        t = fw[json.dumps(["torch", n, T])]
        cw, tw = median(c["wall_ms"]), median(t["wall_ms"])
        cc, tc = median(c["cpu_ms"]), median(t["cpu_ms"])
        out.append("| %d | %d | %.1f | %.1f | **%.2f** | %.1f | %.1f | **%.2f** |" % (
            n, T, cw, tw, cw / tw, cc, tc, cc / tc))
    out.append("")
    out.append("(%d passes per cell: %d rounds × %d runs after 2 warm-ups, C and PyTorch "
               "interleaved.)" % (res["rounds"] * res["runs"], res["rounds"], res["runs"]))
    out.append("")
    fo = res["first_output"]
    cli_first = median(fo["attention-cli weights"]["first_ms"])
    imp = median(fo["import torch"]["first_ms"])
    imp_exit = median(fo["import torch"]["exit_ms"])
    out.append("| process | first output ms (median) | exit ms (median) | peak RSS MB |")
    out.append("|---|---|---|---|")
    for name in fo:
        out.append("| %s | %.0f | %.0f | %.0f |" % (
            name, median(fo[name]["first_ms"]), median(fo[name]["exit_ms"]), res["rss"][name]))
    for name in ("bench-forward T=256", "torch-gpt2 T=256"):
        out.append("| %s (1 pass) | – | – | %.0f |" % (name, res["rss"][name]))
    out.append("")
    out.append("attention-cli reaches its first JSON output **%.1f×** sooner than "
               "`python3 -c \"import torch\"` finishes importing (%.0f ms vs %.0f ms, median of "
               "%d runs each; %.1f× against that process's exit at %.0f ms)."
               % (imp / cli_first, cli_first, imp, res["reps"], imp_exit / cli_first, imp_exit))
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "_build-bench"))
    ap.add_argument("--model", default=None, help="default: BUILD_DIR/gpt2-random")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--tokens", default="64,256")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--reps", type=int, default=10, help="repetitions of the start-up timing")
    args = ap.parse_args()

    build = os.path.abspath(args.build_dir)
    model = args.model or os.path.join(build, "gpt2-random")
    bench = os.path.join(build, "bench", "bench-forward")
    cli = os.path.join(build, "src", "cli", "attention-cli")
    for exe in (bench, cli):
        if not os.access(exe, os.X_OK):
            sys.exit("run-bench: %s is missing; build with `meson compile -C %s`" % (exe, build))
    if not os.path.exists(os.path.join(model, "model.safetensors")):
        subprocess.run([PY, os.path.join(HERE, "make-gpt2-random.py"), model], check=True)

    res = {"machine": machine(), "rounds": args.rounds, "runs": args.runs, "reps": args.reps}
    print("run-bench: agreement", file=sys.stderr)
    res["agreement"] = check_agreement(cli, model)
    print("run-bench: forward", file=sys.stderr)
    series = bench_forward(bench, model, [int(n) for n in args.threads.split(",")],
                           args.rounds, args.runs, args.tokens)
    res["forward"] = {json.dumps(list(k)): v for k, v in series.items()}
    print("run-bench: start-up", file=sys.stderr)
    cmds = startup_commands(cli, model, build)
    res["first_output"] = bench_first_output(cmds, args.reps)
    cmds["bench-forward T=256"] = ([bench, "--model", model, "--tokens", "256",
                                    "--runs", "1", "--warmup", "0"], env_threads(1))
    cmds["torch-gpt2 T=256"] = ([PY, os.path.join(HERE, "torch-gpt2.py"), "--model", model,
                                 "--tokens", "256", "--runs", "1", "--warmup", "0"], env_threads(1))
    res["rss"] = peak_rss(cmds)
    res["uptime_after"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

    with open(os.path.join(build, "bench-engine.json"), "w") as f:
        json.dump(res, f, indent=1)
    print(report(res))


if __name__ == "__main__":
    main()
