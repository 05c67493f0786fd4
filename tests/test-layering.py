#!/usr/bin/env python3
"""The house's layering (issue 13): the app (src/app) and attention-cli
(src/cli) reach the engine only through the GObject face (src/core).  Any
of their C files that includes an engine header (ae-*.h), names an engine
type, function or constant (Ae*, ae_*, AE_*), or takes the engine's own
objects out of the face (attn_engine_get_model, attn_result_get_trace)
fails this test, named with its line.  Usage: test-layering.py SRC_ROOT"""

import pathlib
import re
import sys

FORBIDDEN = [
    ("an engine header", re.compile(r'#\s*include\s*[<"](?:[^">]*/)?ae-[^">]*\.h[">]')),
    ("an engine name", re.compile(r'\b(?:ae_[a-z0-9_]+|Ae[A-Z][A-Za-z0-9]*|AE_[A-Z0-9_]+)\b')),
    ("the engine's objects", re.compile(r'\b(?:attn_engine_get_model|attn_result_get_trace)\b')),
]

# Known debt, name by name: each name listed is allowed in that file only;
# any other engine name there, or these anywhere else, still fails.  Empty
# since ablation and sampling have the face's types (attn-ablation.h,
# attn-sample.h); never add to it for new code.
KNOWN_DEBT = {}

# The self-check's example of a debt entry (not one the tree has).
EXAMPLE_DEBT = r'AeAblation'

# Lines the patterns must catch and lines they must let through, so the
# test cannot pass by matching nothing.
MUST_CATCH = [
    '#include "ae-steps.h"',
    '#include <engine/ae-model.h>',
    '  const AeSteps *s = NULL;',
    '  ae_head_stats_compute (w, T, &stats);',
    '  if (label == AE_HEAD_LABEL_NONE)',
    '  model = attn_engine_get_model (engine);',
]
MUST_PASS = [
    '#include "attn-steps.h"',
    '  const AttnSteps *s = attn_steps_ref (steps);',
    '  if (label == ATTN_HEAD_LABEL_NONE)',
    '  gsize maxlen = strlen (name);  /* a mae_value or PAE_X is no engine name */',
]


def strip_comments(text):
    """Comments may talk about the engine; only code counts.  Keeps the
    line count so reported line numbers stay right."""
    text = re.sub(r'/\*.*?\*/', lambda m: '\n' * m.group(0).count('\n'), text, flags=re.S)
    return re.sub(r'//[^\n]*', '', text)


def violations(text, allowed=None):
    allowed = re.compile(f'(?:{allowed})$') if allowed else None
    for number, line in enumerate(strip_comments(text).split('\n'), 1):
        # string literals are text for people, not code
        code = line if line.lstrip().startswith('#') else re.sub(r'"(?:[^"\\]|\\.)*"', '""', line)
        for what, pattern in FORBIDDEN:
            for match in pattern.finditer(code):
                if not (allowed and allowed.match(match.group(0))):
                    yield number, what, match.group(0)


def main():
    root = pathlib.Path(sys.argv[1])
    files = sorted(p for d in ('src/app', 'src/cli') for p in (root / d).rglob('*.[ch]'))
    cases = []

    def self_check():
        for line in MUST_CATCH:
            assert list(violations(line)), f"the check misses {line!r}"
        for line in MUST_PASS:
            assert not list(violations(line)), f"the check wrongly flags {line!r}"
        # the debt list lets its names through in its file only
        assert not list(violations('  AeAblation *a = NULL;', EXAMPLE_DEBT))
        assert list(violations('  AeSteps *s = NULL;', EXAMPLE_DEBT))
    cases.append(("the patterns catch engine names and pass face names", self_check))

    def no_files_missing():
        assert len(files) > 10, f"only {len(files)} C files found under {root}"
    cases.append(("src/app and src/cli are where they should be", no_files_missing))

    for path in files:
        def check(path=path):
            rel = path.relative_to(root).as_posix()
            found = [f"{rel}:{n}: {what} ({name})"
                     for n, what, name in violations(path.read_text(encoding='utf-8'), KNOWN_DEBT.get(rel))]
            assert not found, "reaches past src/core into the engine:\n" + "\n".join(found)
        cases.append((f"{path.relative_to(root)} uses only src/core", check))

    print(f"1..{len(cases)}")
    failed = 0
    for i, (name, fn) in enumerate(cases, 1):
        try:
            fn()
            print(f"ok {i} {name}")
        except AssertionError as e:
            failed += 1
            print(f"not ok {i} {name}")
            for line in str(e).splitlines():
                print(f"# {line}")
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
