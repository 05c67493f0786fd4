#!/usr/bin/python3
"""attention-cli under hostile conditions (issue 11): writes that fail, one
set of exit codes (0 ok, 1 runtime failure, 2 usage), index options without
a sentinel one could type, empty texts, and --truncate saying what it left
out.

Usage: test-cli-errors.py ATTENTION_CLI MODEL_DIR
Prints TAP, so meson counts every case.
"""

import json
import subprocess
import sys

from clitap import Suite

CLI, MODEL = sys.argv[1], sys.argv[2]
suite = Suite("cli-errors", CLI)
case, run = suite.case, suite.run
LONG = " word" * 40          # 200 tokens for tiny-f32's 32-token context


def status(*args, stdout=subprocess.PIPE):
    p = subprocess.run([CLI, *args], stdout=stdout, stderr=subprocess.PIPE)
    return p.returncode, p.stderr.decode()


@case
def every_command_checks_its_writes():
    """stdout on a full disk: each command used to exit 0 with nothing written."""
    commands = (["info", "--model", MODEL], ["info", "--model", MODEL, "--format", "json"],
                ["tokens", "--model", MODEL, "The cat"], ["heads", "--model", MODEL, "The cat"],
                ["weights", "--model", MODEL, "The cat"],
                ["walkthrough", "--model", MODEL, "--query", "1", "--key", "0", "The cat"],
                ["walkthrough", "--sandbox"], ["walkthrough", "--sandbox", "--format", "json"],
                ["--help"], ["--version"])
    with open("/dev/full", "wb") as full:
        for args in commands:
            code, err = status(*args, stdout=full)
            assert code == 1, (args, code, err)
            assert "attention-cli:" in err and ("space" in err or "write" in err.lower()), (args, err)


@case
def output_file_on_a_full_disk():
    code, err = status("weights", "--model", MODEL, "-o", "/dev/full", "--format", "csv", "The cat")
    assert code == 1 and "/dev/full" in err, (code, err)


@case
def usage_errors_exit_2():
    """--query -1 exited 2 but --layer -1 exited 1; --layer -2147483648 was
    the sentinel for "not given" and printed every layer."""
    for args in (["weights", "--layer", "-1", "x"], ["weights", "--head", "-1", "x"],
                 ["weights", "--layer", "-2147483648", "x"], ["weights", "--layer", "2", "x"],
                 ["weights", "--layer", "1x", "x"], ["weights", "--format", "xml", "x"],
                 ["export", "--query", "-1", "-o", "/tmp/never.png", "x"],
                 ["export", "--layer", "-2147483648", "-o", "/tmp/never.png", "x"],
                 ["export", "--view", "pie", "-o", "/tmp/never.png", "x"],
                 ["walkthrough", "--layer", "-1", "--query", "0", "--key", "0", "x"],
                 ["walkthrough", "--query", "5", "--key", "0", "x"],
                 ["tokens", "--format", "yaml", "x"], ["heads"], ["info", "extra"]):
        code, err = status(*args[:1], "--model", MODEL, *args[1:])
        assert code == 2, (args, code, err)
        assert err.startswith("attention-cli"), (args, err)
    code, err = status("frobnicate")
    assert code == 2, (code, err)
    code, err = status()
    assert code == 2, (code, err)


@case
def runtime_failures_exit_1():
    code, err = status("info", "--model", "/nonexistent/model")
    assert code == 1 and "config.json" in err, (code, err)
    code, err = status("weights", "--model", MODEL, LONG)
    assert code == 1 and "--truncate" in err, (code, err)


@case
def empty_text_has_no_range():
    """"tokens 0 to 4294967295" and "0 to -1" for a text without tokens."""
    for args in (["walkthrough", "--query", "0", "--key", "0", ""],
                 ["export", "--query", "0", "-o", "/tmp/never.png", ""]):
        code, err = status(args[0], "--model", MODEL, *args[1:])
        assert code == 2 and "no tokens" in err, (args, code, err)
        assert "4294967295" not in err and "-1" not in err, err


@case
def truncate_says_what_it_dropped():
    p = run("weights", "--model", MODEL, "--truncate", "--layer", "0", LONG)
    w = json.loads(p.stdout)
    assert len(w["tokens"]) == 32 and w["dropped_tokens"] == 200 - 32, w["dropped_tokens"]
    assert b"left out 168" in p.stderr, p.stderr
    h = json.loads(run("heads", "--model", MODEL, "--truncate", "--format", "json", LONG).stdout)
    assert h["dropped_tokens"] == 168, h["dropped_tokens"]
    wt = json.loads(run("walkthrough", "--model", MODEL, "--truncate", "--query", "3", "--key", "1",
                        "--format", "json", LONG).stdout)
    assert wt["dropped_tokens"] == 168
    p = run("weights", "--model", MODEL, "--truncate", "The cat")
    assert json.loads(p.stdout)["dropped_tokens"] == 0 and p.stderr == b"", p.stderr


suite.main()
