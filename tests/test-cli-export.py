#!/usr/bin/python3
"""attention-cli export's contract (issue 6): every view as PNG, SVG and PDF,
--all-heads as a multi-page PDF or a PNG contact sheet, errors on stderr with
a non-zero status and no file left behind.  Issue 14's Δ and rollout views:
their figures, and their values (JSON, CSV, NPY) against the numpy
reference's fixture (tests/fixtures/delta-tiny-f32.json, made by
tools/reference/make_delta_fixtures.py).

Usage: test-cli-export.py ATTENTION_CLI MODEL_DIR
Prints TAP, so meson counts every case.  pdfinfo, pdftotext and xmllint are
used when installed (poppler-utils, libxml2-utils).
"""

import csv
import io
import json
import os
import shutil
import struct
import subprocess
import sys

import numpy as np

from clitap import Suite

CLI, MODEL = sys.argv[1], sys.argv[2]
TEXT = "The cat sat on the mat."
suite = Suite("cli-export", CLI)
case = suite.case


def export(*args, ok=True):
    return suite.run("export", "--model", MODEL, *args, TEXT, ok=ok)


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def pdf_pages(path):
    if not shutil.which("pdfinfo"):
        return None
    out = subprocess.run(["pdfinfo", path], capture_output=True, check=True).stdout.decode()
    return int(next(l for l in out.splitlines() if l.startswith("Pages:")).split()[1])


@case
def arcs_links_modes(tmp):
    # every token's k strongest links: more arcs (SVG paths) with a larger k;
    # unknown modes and k out of range are usage errors, no file written
    paths = {}
    for k in ("1", "3"):
        svg = os.path.join(tmp, f"top{k}.svg")
        export("--view", "arcs", "--query", "5", "--arc-links", "top-k", "--top-k", k, "-o", svg)
        with open(svg) as f:
            paths[k] = f.read().count("<path")
    assert paths["3"] > paths["1"], paths
    bad = os.path.join(tmp, "bad.png")
    for args, needle in ((("--arc-links", "nope"), b"--arc-links"), (("--arc-links", "top-k", "--top-k", "0"), b"--top-k")):
        p = export("--view", "arcs", *args, "-o", bad, ok=False)
        assert p.returncode == 2 and needle in p.stderr, (args, p.returncode, p.stderr)
        assert not os.path.exists(bad)


@case
def every_view_in_every_format(tmp):
    for view in ("heatmap", "arcs", "grid"):
        for ext in ("png", "svg", "pdf"):
            path = os.path.join(tmp, f"{view}.{ext}")
            export("--view", view, "--query", "5", "--key", "2", "-o", path)
            assert os.path.getsize(path) > 1000, path
            if ext == "svg" and shutil.which("xmllint"):
                subprocess.run(["xmllint", "--noout", path], check=True)
            if ext == "pdf":
                assert pdf_pages(path) in (None, 1)


@case
def png_width_height_and_scale(tmp):
    path = os.path.join(tmp, "h.png")
    export("--width", "400", "--height", "300", "--scale", "2", "-o", path)
    assert png_size(path) == (800, 600), png_size(path)
    export("--width", "400", "--theme", "dark", "--no-title", "--no-colorbar", "--colormap", "magma", "-o", path)
    assert png_size(path)[0] == 400


@case
def svg_and_pdf_hold_the_tokens(tmp):
    svg = os.path.join(tmp, "h.svg")
    export("-o", svg)
    body = open(svg, encoding="utf-8").read()
    for token in ("cat", "·the", "mat", "tiny-f32"):
        assert f">{token}<" in body or token in body, token
    if shutil.which("pdftotext"):
        pdf = os.path.join(tmp, "h.pdf")
        export("--view", "arcs", "--query", "9", "-o", pdf)
        text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True).stdout.decode()
        for token in ("cat", "the", "mat"):
            assert token in text, (token, text)


@case
def hidden_sink_is_said(tmp):
    """--hide-first, --row-max and the log scale change the colours, and the
    title says so; a bad --hide names itself."""
    svg = os.path.join(tmp, "sink.svg")
    export("--hide-first", "--row-max", "--color-scale", "log", "-o", svg)
    body = open(svg, encoding="utf-8").read()
    for words in ("hidden, rows renormalised", "rows scaled to their maximum", "log scale", ">max<"):
        assert words in body, words
    plain = os.path.join(tmp, "plain.png")
    hidden = os.path.join(tmp, "hidden.png")
    export("-o", plain)
    export("--hide", "0", "-o", hidden)
    assert open(plain, "rb").read() != open(hidden, "rb").read()
    p = export("--hide", "x", "-o", os.path.join(tmp, "x.png"), ok=False)
    assert b"--hide" in p.stderr, p.stderr


@case
def merge_words_figures(tmp):
    """export --merge-words draws words ("didn't" whole, the tiny model cuts
    it) and the title says how they were merged; --query counts words."""
    text = "The cat didn't sit."
    svg = os.path.join(tmp, "words.svg")
    suite.run("export", "--model", MODEL, "--merge-words", "--query", "2", "--width", "900", "-o", svg, text)
    body = open(svg, encoding="utf-8").read()
    assert "words: sum over key pieces, mean over query pieces" in body, body[:2000]
    plain = os.path.join(tmp, "tokens.svg")
    suite.run("export", "--model", MODEL, "--query", "2", "-o", plain, text)
    assert "words:" not in open(plain, encoding="utf-8").read()
    # 5 words, so word 5 is out of range where token 5 is not
    p = suite.run("export", "--model", MODEL, "--merge-words", "--query", "5",
                  "-o", os.path.join(tmp, "x.png"), text, ok=False)
    assert b"token" in p.stderr, p.stderr
    suite.run("export", "--model", MODEL, "--query", "5", "-o", os.path.join(tmp, "y.png"), text)
    pdf = os.path.join(tmp, "words.pdf")
    suite.run("export", "--model", MODEL, "--merge-words", "--width", "900", "-o", pdf, text)
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, check=True).stdout.decode()
        assert "words: sum over key pieces" in info, info


@case
def all_heads(tmp):
    pdf = os.path.join(tmp, "all.pdf")
    export("--all-heads", "-o", pdf)
    assert pdf_pages(pdf) in (None, 2 * 4), pdf_pages(pdf)
    png = os.path.join(tmp, "all.png")
    export("--all-heads", "-o", png)
    assert png_size(png)[0] > 200
    svg = os.path.join(tmp, "all.svg")
    p = export("--all-heads", "-o", svg, ok=False)
    assert b"pdf" in p.stderr.lower(), p.stderr
    assert not os.path.exists(svg)


@case
def errors_leave_no_file(tmp):
    blocker = os.path.join(tmp, "a-file")
    open(blocker, "w").close()
    before = sorted(os.listdir(tmp))
    bad = [
        (["-o", os.path.join(tmp, "missing", "x.png")], b"x.png"),
        (["-o", os.path.join(blocker, "x.png")], b"x.png"),
        (["-o", os.path.join(tmp, "x.bmp")], b".bmp"),
        (["--layer", "7", "-o", os.path.join(tmp, "x.png")], b"layer"),
        (["--query", "400", "-o", os.path.join(tmp, "x.png")], b"token"),
        (["--key", "1", "-o", os.path.join(tmp, "x.png")], b"--query"),
        (["--view", "bars", "-o", os.path.join(tmp, "x.png")], b"bars"),
        (["--theme", "sepia", "-o", os.path.join(tmp, "x.png")], b"sepia"),
        (["--width", "5", "-o", os.path.join(tmp, "x.png")], b"5"),
        (["--scale", "100", "-o", os.path.join(tmp, "x.png")], b"100"),
        ([], b"-o"),
    ]
    for args, needle in bad:
        p = export(*args, ok=False)
        assert needle in p.stderr, (args, p.stderr)
    assert sorted(os.listdir(tmp)) == before, os.listdir(tmp)


DELTA = json.load(open(os.path.join(os.path.dirname(os.path.dirname(MODEL)), "delta-tiny-f32.json")))
TOLERANCE = 1e-5


def export_delta_text(*args, ok=True):
    """export on the Δ fixture's text, its heads off unless @args say otherwise."""
    return suite.run("export", "--model", MODEL, *args, DELTA["text"], ok=ok)


def close(name, got, expected):
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, (name, got.shape, expected.shape)
    worst = float(np.max(np.abs(got - expected))) if got.size else 0.0
    assert worst <= TOLERANCE, f"{name}: off by {worst}"


def read_npy(path):
    with open(path, "rb") as f:
        assert f.read(6) == b"\x93NUMPY"
    return np.load(path)


@case
def delta_and_rollout_figures(tmp):
    ablate = ["--ablate", ",".join(DELTA["heads"])]
    for view, extra, title in (("delta", ablate, "heads off"), ("rollout", [], "rollout")):
        for ext in ("png", "svg", "pdf"):
            path = os.path.join(tmp, f"{view}.{ext}")
            export_delta_text("--view", view, "--layer", "1", "--query", "5", *extra, "-o", path)
            assert os.path.getsize(path) > 1000, path
            if ext == "svg":
                assert title in open(path, encoding="utf-8").read(), (view, title)
            if ext == "pdf" and shutil.which("pdftotext"):
                text = subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True).stdout.decode()
                assert title in text, (view, text)


@case
def delta_values_match_reference(tmp):
    T = len(DELTA["ids"])
    for layer, head in ((1, 0), (1, 2), (0, 3)):
        args = ["--view", "delta", "--ablate", ",".join(DELTA["heads"]), "--ablation", DELTA["kind"],
                "--layer", str(layer), "--head", str(head)]
        want = {name: np.array(DELTA[key])[layer, head]
                for name, key in (("delta", "delta"), ("intact_weights", "intact_weights"),
                                  ("ablated_weights", "ablated_weights"))}
        path = os.path.join(tmp, "d.json")
        export_delta_text(*args, "-o", path)
        got = json.load(open(path))
        assert got["ids"] == DELTA["ids"], got["ids"]
        assert (got["view"], got["layer"], got["head"]) == ("delta", layer, head)
        assert got["ablated"] == DELTA["heads"] and got["ablation"] == DELTA["kind"], got["ablated"]
        for name, expected in want.items():
            close(f"json {name} {layer}.{head}", got[name], expected)

        path = os.path.join(tmp, "d.csv")
        export_delta_text(*args, "-o", path)
        rows = list(csv.reader(io.StringIO(open(path, encoding="utf-8").read())))
        assert rows[0] == ["query", "key", "query_token", "key_token", "delta", "intact_weights",
                           "ablated_weights"], rows[0]
        assert len(rows) - 1 == T * (T + 1) // 2, len(rows)
        for row in rows[1:]:
            q, k = int(row[0]), int(row[1])
            for column, name in ((4, "delta"), (5, "intact_weights"), (6, "ablated_weights")):
                close(f"csv {name} {q},{k}", float(row[column]), want[name][q][k])

        path = os.path.join(tmp, "d.npy")
        export_delta_text(*args, "-o", path)
        close(f"npy delta {layer}.{head}", read_npy(path), want["delta"])


@case
def rollout_values_match_reference(tmp):
    for extra, key in (([], "rollout_intact"), (["--ablate", ",".join(DELTA["heads"])], "rollout_ablated")):
        path = os.path.join(tmp, "r.json")
        export_delta_text("--view", "rollout", "--query", "4", *extra, "-o", path)
        got = json.load(open(path))
        assert (got["view"], got["query"]) == ("rollout", 4), got
        assert ("ablated" in got) == bool(extra), got.keys()
        close(f"json {key}", got["rollout"], DELTA[key])
        path = os.path.join(tmp, "r.npy")
        export_delta_text("--view", "rollout", *extra, "-o", path)
        close(f"npy {key}", read_npy(path), DELTA[key])


@case
def delta_and_rollout_errors(tmp):
    before = sorted(os.listdir(tmp))
    bad = [
        (["--view", "delta", "-o", os.path.join(tmp, "x.png")], b"--ablate"),
        (["--view", "delta", "--ablate", "9.9", "-o", os.path.join(tmp, "x.json")], b"9.9"),
        (["--view", "heatmap", "-o", os.path.join(tmp, "x.json")], b"x.json"),
        (["--view", "rollout", "-o", os.path.join(tmp, "x.txt")], b"x.txt"),
        (["--view", "rollout", "--all-heads", "-o", os.path.join(tmp, "x.pdf")], b"--all-heads"),
        (["--view", "compare", "-o", os.path.join(tmp, "x.png")], b"compare"),
    ]
    for args, needle in bad:
        p = export_delta_text(*args, ok=False)
        assert needle in p.stderr, (args, p.stderr)
        assert p.returncode == 2, (args, p.returncode)
    assert sorted(os.listdir(tmp)) == before, os.listdir(tmp)


suite.main()
