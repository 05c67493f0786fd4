#!/bin/sh
# run-fuzz.sh HARNESS CORPUS SECONDS
# Replays every input of the committed CORPUS through HARNESS, then fuzzes
# for SECONDS more.  New inputs go to a scratch folder, not the committed
# corpus (add a finding there by hand, with a name that says what it is).
# A crash or a violated property leaves crash-*/leak-*/timeout-* in the
# current folder and fails (exit 1: libFuzzer's own 77 would read as a skip
# to meson).
set -eu
harness=$1
corpus=$2
seconds=$3
scratch=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-corpus-XXXXXX")
trap 'rm -rf "$scratch"' EXIT

export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export ASAN_OPTIONS="detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"

# -timeout: one input taking 10 s is a finding (a hang, or quadratic work);
# -rss_limit_mb: so is one that needs 2 GB.
"$harness" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -print_final_stats=1 "$scratch" "$corpus"
