"""What the attention-cli contract tests share: a list of cases, a way to
run the CLI that checks the error convention, and TAP output so meson
counts every case."""

import os
import subprocess
import sys
import tempfile


class Suite:
    def __init__(self, name, cli):
        self.name = name
        self.cli = cli
        self.cases = []

    def case(self, fn):
        """Registers a test case; one that takes an argument gets a fresh temporary folder."""
        self.cases.append(fn)
        return fn

    def run(self, *args, ok=True, stdin=None, env=None):
        """Runs the CLI, with @stdin (bytes) as its standard input and @env
        (a dict) added to the environment.  A failure must exit non-zero
        with its message on stderr alone: scripts read stdout."""
        p = subprocess.run([self.cli, *args], capture_output=True, input=stdin,
                           env=dict(os.environ, **env) if env else None)
        if ok and p.returncode != 0:
            raise AssertionError(f"{args} failed ({p.returncode}): {p.stderr.decode()}")
        if not ok:
            if p.returncode == 0:
                raise AssertionError(f"{args} should have failed")
            if not p.stderr.strip() or p.stdout.strip():
                raise AssertionError(f"{args}: the error belongs on stderr alone")
        return p

    def main(self):
        print(f"1..{len(self.cases)}")
        failed = 0
        for i, fn in enumerate(self.cases, 1):
            try:
                if fn.__code__.co_argcount:
                    with tempfile.TemporaryDirectory() as tmp:
                        fn(tmp)
                else:
                    fn()
                print(f"ok {i} /attention/{self.name}/{fn.__name__}")
            except Exception as e:  # report every case, then fail
                failed += 1
                print(f"not ok {i} /attention/{self.name}/{fn.__name__}")
                for line in str(e).splitlines() or [repr(e)]:
                    print(f"# {line}")
        sys.exit(1 if failed else 0)
