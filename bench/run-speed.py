"""Runs issue 12's benchmark: the engine against the machine's GEMM speed.

    /usr/bin/python3 bench/run-speed.py [--build-dir _build-bench] [--threads 1,2]
                                        [--tokens 64,256,1024] [--rounds 2] [--runs 3]
                                        [--cores unset,Prescott,auto] [--reps 5]

In one run, on this machine, interleaved so background load falls on both sides:

  1. the GEMM roofline (bench/bench-gemm): the best sgemm rate for every shape
     a GPT-2-small forward multiplies, through oneDNN (the engine's backend)
     and OpenBLAS (with the core it detects), at 1 and 2 threads; printed first;
  2. the forward pass of the GPT-2-small-shaped random model
     (bench/make-gpt2-random.py) at each T and thread count: the engine
     (bench-forward, ATTENTION_THREADS=N) against PyTorch eager
     (bench/torch-gpt2.py, torch.set_num_threads(N)), C and PyTorch
     alternating; the engine's time against the pass's GEMM FLOPs divided by
     the roofline (the ideal time: every product, the scores and weighted sums
     over their causal half, at the best rate of oneDNN or OpenBLAS for its
     shape);
  3. the whole process: `attention-cli weights --layer 11 --head 0 TEXT` at
     T = 256 against bench/torch-gpt2.py --whole-ids (import torch, load,
     run, print the same head), wall time to exit, as a person runs them
     (no thread variables);
  4. 2 and 3 again for each OPENBLAS_CORETYPE in --cores: unset, Prescott
     (OpenBLAS's generic SSE3 kernel, its fallback on processors it does not
     know) and auto (the core OpenBLAS detects here, named explicitly).  The
     variable is set ONLY in the environment of the child processes this
     script starts, to show that the engine does not depend on it; the
     program, its tests and CI never set it.

Prints Markdown for bench/README.md; raw numbers go to BUILD/bench-speed.json.
Run it with Debian's interpreter (/usr/bin/python3): it has numpy and torch.
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PY = "/usr/bin/python3"
L, NH, C = 12, 12, 768

spec = importlib.util.spec_from_file_location("run_bench", os.path.join(HERE, "run-bench.py"))
run_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_bench)


def shapes(T):
    """(name, M, N, K, times per pass) of every GEMM in a GPT-2-small pass."""
    hs = C // NH
    return [("qkv", T, 3 * C, C, L), ("attn_proj", T, C, C, L), ("fc", T, 4 * C, C, L),
            ("mlp_proj", T, C, 4 * C, L), ("scores", T, T, hs, L * NH), ("mix", T, hs, T, L * NH)]


def needed(shape, T):
    """The share of a product a causal pass needs: the scores and the
    weighted sum of query row i only over keys 0..i, T(T+1)/2 of T² (the
    probe times the whole square; the rate is the same)."""
    return (T + 1) / (2.0 * T) if shape in ("scores", "mix") else 1.0


def pass_gflop(T):
    return sum(2.0 * M * N * K * n * needed(s, T) for s, M, N, K, n in shapes(T)) / 1e9


def child_env(core, threads=None):
    """The environment of a child process: OPENBLAS_CORETYPE only here."""
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    if core is not None:
        env["OPENBLAS_CORETYPE"] = core
    if threads is not None:
        env.update(ATTENTION_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
                   OMP_NUM_THREADS=str(threads))
    return env


def roofline(gemm, tokens, threads, reps, core):
    recs = run_bench.run_json_lines([gemm, "--tokens", tokens, "--threads", threads,
                                     "--reps", str(reps)], child_env(core))
    info = next(r for r in recs if r["side"] == "gemm-info")
    rates = {}
    for r in recs:
        if r["side"] == "gemm":
            rates[json.dumps([r["backend"], r["threads"], r["T"], r["shape"]])] = r["gflops"]
    return info, rates


def rate(rates, backend, n, T, shape):
    return rates.get(json.dumps([backend, n, T, shape]), float("nan"))


# The products a layer runs independently of each other, one per head: with
# n threads the machine can run n of them at once, each on one core.
PER_HEAD = ("scores", "mix")


# What the roofline takes the best of: oneDNN's sgemm, the engine's packed
# weights (the weight products only; bench-gemm packs outside the clock, as
# the engine packs once for every later pass) and OpenBLAS.
ROOFLINE_BACKENDS = ("onednn", "onednn-packed", "openblas")


def best_rate(rates, n, T, shape):
    """The roofline: the best rate this machine reaches for the shape at n
    threads, through either library (oneDNN, or OpenBLAS with the core it
    detects); for the per-head products also n one-thread products side by
    side (a two-thread call of a 64-wide product mostly waits on its
    barrier, which is why the engine runs heads, not one head, in parallel)."""
    def fastest(k):
        found = [rate(rates, b, k, T, shape) for b in ROOFLINE_BACKENDS]
        return max((r for r in found if r == r), default=float("nan"))  # r == r: not NaN

    best = fastest(n)
    if n > 1 and shape in PER_HEAD:
        best = max(best, n * fastest(1))
    return best


def ideal_ms(rates, n, T):
    """The pass's GEMMs at the roofline rate of each shape."""
    return sum(2.0 * M * N * K * k * needed(s, T) / (best_rate(rates, n, T, s) * 1e6)
               for s, M, N, K, k in shapes(T))


def forward(bench, model, threads, tokens, rounds, runs, core):
    series = {}
    for n in threads:
        env = child_env(core, n)
        # two warm-ups: the engine's second pass packs its weights (once, for
        # every later pass: the app's steady state from the second keystroke)
        c_cmd = [bench, "--model", model, "--tokens", tokens, "--runs", str(runs), "--warmup", "2"]
        t_cmd = [PY, os.path.join(HERE, "torch-gpt2.py"), "--model", model, "--tokens", tokens,
                 "--runs", str(runs), "--warmup", "2", "--threads", str(n)]
        for r in range(rounds):
            for cmd in ([c_cmd, t_cmd] if r % 2 == 0 else [t_cmd, c_cmd]):
                for rec in run_bench.run_json_lines(cmd, env):
                    if rec["side"] in ("c", "torch"):
                        s = series.setdefault(json.dumps([rec["side"], n, rec["T"]]),
                                              {"wall_ms": [], "cpu_ms": []})
                        s["wall_ms"] += rec["wall_ms"]
                        s["cpu_ms"] += rec["cpu_ms"]
            print("  forward %s: %d thread(s), round %d/%d" % (core or "unset", n, r + 1, rounds),
                  file=sys.stderr)
    return series


def whole_process(cli, model, reps, core):
    text = " the" * 256
    tok = json.loads(subprocess.run([cli, "tokens", "--model", model, "--format", "json", text],
                                    check=True, capture_output=True, text=True).stdout)
    ids = ",".join(str(i) for i in tok["ids"])
    env = child_env(core)
    cmds = {
        "attention-cli": [cli, "weights", "--model", model, "--layer", "11", "--head", "0", text],
        "torch": [PY, os.path.join(HERE, "torch-gpt2.py"), "--model", model, "--whole-ids", ids,
                  "--layer", "11", "--head", "0"],
    }
    res = {k: [] for k in cmds}
    for _ in range(reps):
        for name, cmd in cmds.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
            res[name].append((time.perf_counter() - t0) * 1e3)
    return {"T": len(tok["ids"]), "ms": res}


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


# -----------------------------------------------------------------------------

def report(res):
    out = []
    m = res["machine"]
    info = res["gemm_info"]
    out.append("Machine: %s; %d CPUs (`nproc`); SIMD: %s; OpenBLAS core detected: **%s** (%s)." % (
        next((l.split(":", 1)[1].strip() for l in m["lscpu"] if l.startswith("Model name")), "?"),
        m["nproc"], ", ".join(m["simd"]), info["openblas_core"], info["openblas_config"]))
    out.append("Load before: `%s`  " % m["uptime"])
    out.append("Load after: `%s`" % res["uptime_after"])
    out.append("")

    rates = res["roofline"]
    threads = res["threads"]
    tokens = res["tokens"]
    out.append("**GEMM roofline** (best of %d calls, GFLOP/s; `bench-gemm`):" % res["reps_gemm"])
    out.append("")
    pres = res.get("roofline_prescott", {})
    out.append("| T | shape (M×N×K) | " + " | ".join(
        "oneDNN %dt | oneDNN packed %dt | OpenBLAS %s %dt | OpenBLAS Prescott %dt | roofline %dt"
        % (n, n, info["openblas_core"], n, n, n)
        for n in threads) + " |")
    out.append("|---|---|" + "---|---|---|---|---|" * len(threads))
    for T in tokens:
        for s, M, N, K, _ in shapes(T):
            packed = rate(rates, "onednn-packed", 1, T, s)
            out.append("| %d | %s (%d×%d×%d) | " % (T, s, M, N, K) + " | ".join(
                "%.1f | %s | %.1f | %.1f | **%.1f**" % (rate(rates, "onednn", n, T, s),
                                                   "%.1f" % rate(rates, "onednn-packed", n, T, s)
                                                   if packed == packed else "–",
                                                   rate(rates, "openblas", n, T, s),
                                                   rate(pres, "openblas", n, T, s),
                                                   best_rate(rates, n, T, s))
                for n in threads) + " |")
    out.append("")
    out.append("The roofline (bold) is the best of oneDNN, oneDNN with the engine's packed "
               "weights (packed once outside the clock; weight products only) and OpenBLAS with "
               "its detected core at that thread count; for the per-head products (%s) with %s threads it is also "
               "that many one-thread products side by side, since the pass runs heads, not one "
               "head, in parallel.  The ideal time of a pass is its GEMM FLOPs at these rates "
               "(the scores and the weighted sum counted over the causal half a pass needs, "
               "T(T + 1)/2 of the T × T square)."
               % (", ".join(PER_HEAD), " and ".join(str(n) for n in threads if n > 1) or "more"))
    out.append("")

    for core, r in res["cores"].items():
        fw = r["forward"]
        out.append("**Forward pass, OPENBLAS_CORETYPE=%s** (children only; %d passes per cell "
                   "after 2 warm-ups, C and PyTorch alternating):" % (core, r["rounds"] * res["runs"]))
        out.append("")
        out.append("| threads | T | GEMM GFLOP | ideal ms (roofline) | C best ms | C median ms "
                   "| of roofline (best) | PyTorch median ms | C / PyTorch (median) |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for n in threads:
            for T in tokens:
                c = fw.get(json.dumps(["c", n, T]))
                t = fw.get(json.dumps(["torch", n, T]))
                if not c or not t:
                    continue
                ideal = ideal_ms(rates, n, T)
                cb, cm = min(c["wall_ms"]), statistics.median(c["wall_ms"])
                tm = statistics.median(t["wall_ms"])
                out.append("| %d | %d | %.1f | %.0f | %.0f | %.0f | **%.0f %%** | %.0f | **%.2f** |" % (
                    n, T, pass_gflop(T), ideal, cb, cm, 100 * ideal / cb, tm, cm / tm))
        out.append("")
        w = r["whole"]
        cli, tor = statistics.median(w["ms"]["attention-cli"]), statistics.median(w["ms"]["torch"])
        out.append("Whole process, T = %d, `attention-cli weights --layer 11 --head 0` %.0f ms "
                   "against PyTorch (import, load, run, print) %.0f ms: **%.2f×** (median of %d, "
                   "interleaved)." % (w["T"], cli, tor, cli / tor, len(w["ms"]["torch"])))
        out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "_build-bench"))
    ap.add_argument("--model", default=None, help="default: BUILD_DIR/gpt2-random")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--tokens", default="64,256,1024")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--reps", type=int, default=5, help="whole-process repetitions")
    ap.add_argument("--reps-gemm", type=int, default=10)
    ap.add_argument("--cores", default="unset,Prescott,auto")
    ap.add_argument("--core-tokens", default=None,
                    help="lengths for the cores after the first (default: --tokens)")
    ap.add_argument("--core-rounds", type=int, default=None,
                    help="rounds for the cores after the first (default: --rounds)")
    args = ap.parse_args()

    build = os.path.abspath(args.build_dir)
    model = args.model or os.path.join(build, "gpt2-random")
    bench = os.path.join(build, "bench", "bench-forward")
    gemm = os.path.join(build, "bench", "bench-gemm")
    cli = os.path.join(build, "src", "cli", "attention-cli")
    for exe in (bench, gemm, cli):
        if not os.access(exe, os.X_OK):
            sys.exit("run-speed: %s is missing; build with `meson compile -C %s`" % (exe, build))
    if not os.path.exists(os.path.join(model, "model.safetensors")):
        subprocess.run([PY, os.path.join(HERE, "make-gpt2-random.py"), model], check=True)

    threads = [int(n) for n in args.threads.split(",")]
    tokens = [int(t) for t in args.tokens.split(",")]
    res = {"machine": run_bench.machine(), "threads": threads, "tokens": tokens,
           "rounds": args.rounds, "runs": args.runs, "reps_gemm": args.reps_gemm, "cores": {}}

    print("run-speed: GEMM roofline", file=sys.stderr)
    res["gemm_info"], res["roofline"] = roofline(gemm, args.tokens, args.threads,
                                                 args.reps_gemm, None)
    # OpenBLAS's fallback kernel too, for the column the issue compares with
    _, res["roofline_prescott"] = roofline(gemm, args.tokens, args.threads, args.reps_gemm,
                                           "Prescott")
    print(report({**res, "cores": {}, "uptime_after": uptime()}), flush=True)

    for i, core in enumerate(args.cores.split(",")):
        name = core
        lengths = args.tokens if i == 0 or not args.core_tokens else args.core_tokens
        rounds = args.rounds if i == 0 or not args.core_rounds else args.core_rounds
        if core == "unset":
            core = None
        elif core == "auto":
            core = name = res["gemm_info"]["openblas_core"]
        print("run-speed: OPENBLAS_CORETYPE=%s" % name, file=sys.stderr)
        res["cores"][name] = {
            "forward": forward(bench, model, threads, lengths, rounds, args.runs, core),
            "rounds": rounds,
            "whole": whole_process(cli, model, args.reps, core),
        }
        with open(os.path.join(build, "bench-speed.json"), "w") as f:
            json.dump(res, f, indent=1)

    res["uptime_after"] = uptime()
    with open(os.path.join(build, "bench-speed.json"), "w") as f:
        json.dump(res, f, indent=1)
    print()
    print(report(res))


if __name__ == "__main__":
    main()
