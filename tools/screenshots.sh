#!/bin/sh
# tools/screenshots.sh — screenshots of every view, light and dark, for the
# README: docs/<view>-<light|dark>.png.  Runs the app from a build tree under
# Xvfb with the cairo renderer; settings come from a throw-away keyfile, so
# the user's own settings are neither read nor changed.
#
#   tools/screenshots.sh [BUILD_DIR] [OUT_DIR]
#
# Needs xvfb-run, ImageMagick's `import` and xdotool (the long-text shot
# zooms in with Ctrl++).  The built-in model is used when
# it is present, else the tiny test fixture (ATTENTION_SHOT_MODEL overrides);
# ATTENTION_SHOT_SENTENCE, _LAYER and _HEAD choose what is shown; _WAIT is the
# seconds given to the first pass before the shot (4; more on a loaded machine).
# ATTENTION_SHOT_LANGUAGE (e.g. de) takes every shot in that language, from
# the build tree's translations (into OUT_DIR: not for docs/).
set -eu

build=${1:-_build}
out=${2:-docs}
width=1280
height=820
sentence=${ATTENTION_SHOT_SENTENCE:-"The trophy didn't fit in the suitcase because it was too big."}
model=${ATTENTION_SHOT_MODEL:-}
merge=true

if [ ! -x "$build/src/app/attention" ]; then
  echo "no $build/src/app/attention: build first (meson compile -C $build)" >&2
  exit 1
fi
if [ -z "$model" ] && [ ! -f data/models/minigpt-en/model.safetensors ]; then
  model=$(pwd)/tests/fixtures/models/tiny-f32
fi

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

shoot () {
  view=$1 scheme=$2 query=$3 file=$4 keys=${5:-}
  mkdir -p "$tmp/config/glib-2.0/settings"
  cat > "$tmp/config/glib-2.0/settings/keyfile" <<KEYFILE
[com/example/Attention]
view='$view'
sentence="$sentence"
layer=$(printf %u "${ATTENTION_SHOT_LAYER:-1}")
head=$(printf %u "${ATTENTION_SHOT_HEAD:-2}")
model='$model'
window-width=$width
window-height=$height
merge-words=$merge
KEYFILE
  # The screen is twice the window's height, so the pointer (at its
  # centre) rests below the window and raises no tooltip; the shot is cropped.
  xvfb-run -a -s "-screen 0 ${width}x$((height * 2))x24" sh -c '
    ATTENTION_SELECT_QUERY="$1" "$2" >/dev/null 2>&1 &
    pid=$!
    sleep "${ATTENTION_SHOT_WAIT:-4}"
    # keys for the window (xdotool key syntax), e.g. zooming in
    if [ -n "$5" ]; then
      xdotool search --sync --onlyvisible --class attention windowactivate --sync >/dev/null 2>&1 || true
      xdotool key --delay 400 $5
      sleep 2
    fi
    import -window root -crop "$4" +repage "$3"
    kill $pid
  ' shoot "$query" "$build/src/app/attention" "$file" "${width}x${height}+0+0" "$keys"
  echo "$file"
}

export GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME="$tmp/config" GSK_RENDERER=cairo \
       NO_AT_BRIDGE=1 GDK_BACKEND=x11
if [ -n "${ATTENTION_SHOT_LANGUAGE:-}" ]; then
  # LANGUAGE works on the C.UTF-8 locale every glibc has.
  export LANGUAGE=$ATTENTION_SHOT_LANGUAGE LC_ALL=C.UTF-8 ATTENTION_LOCALEDIR="$(cd "$build" && pwd)/po"
fi

for scheme in light dark; do
  if [ $scheme = dark ]; then
    export ADW_DEBUG_COLOR_SCHEME=prefer-dark
  else
    export ADW_DEBUG_COLOR_SCHEME=prefer-light
  fi
  shoot heatmap $scheme 12 "$out/heatmap-$scheme.png"
  shoot arcs $scheme 12 "$out/arcs-$scheme.png"
  shoot grid $scheme 12 "$out/all-heads-$scheme.png"
  # the Learn tour as a first launch meets it (each section's own shots:
  # ATTENTION_SHOT_DIR=docs meson test --setup headless learn)
  shoot learn $scheme 12 "$out/learn-window-$scheme.png"
done

# Merge word pieces: words ("·trophy") against the model's own pieces
# ("·tro" "phy"), the query "it" both times.
export ADW_DEBUG_COLOR_SCHEME=prefer-light
shoot heatmap light 12 "$out/merge-words-on.png"
merge=false
shoot heatmap light 12 "$out/merge-words-off.png"
merge=true

# The window at a phone's width, a small laptop's and a desktop's.
for size in 360x720 800x640 1280x800; do
  width=${size%x*} height=${size#*x}
  shoot heatmap light 12 "$out/window-$width.png"
done
width=1280 height=820

# A long text: more than the model's context (the editor greys the rest),
# the heatmap zoomed in with its overview.
export ADW_DEBUG_COLOR_SCHEME=prefer-light
sentence=$(for i in 1 2 3 4 5 6; do
  printf '%s' "The trophy didn't fit in the suitcase because it was too big, so she packed it in a box and carried the box to the station. The train was late, and she sat on a bench and read while the rain came down. "
done)
shoot heatmap light 100 "$out/long-text-light.png" "ctrl+plus ctrl+plus ctrl+plus ctrl+plus ctrl+plus ctrl+plus ctrl+plus"

# More than 1,000 tokens (docs/long-1024-light.png): with
# ATTENTION_SHOT_LONG_MODEL naming a model of 1,024 positions or more, such as
# the random GPT-2-small-shaped one (python3 bench/make-gpt2-random.py), the
# heatmap zoomed in with its overview and the token strip scrolled to the
# query.  Its pass takes long on a busy machine: ATTENTION_SHOT_LONG_WAIT
# seconds (240).
if [ -n "${ATTENTION_SHOT_LONG_MODEL:-}" ]; then
  sentence=$(for i in $(seq 1 22); do
    printf '%s' "The trophy didn't fit in the suitcase because it was too big, so she packed it in a box and carried the box to the station. The train was late, and she sat on a bench and read while the rain came down. "
  done)
  model=$ATTENTION_SHOT_LONG_MODEL
  export ATTENTION_SHOT_WAIT=${ATTENTION_SHOT_LONG_WAIT:-240}
  shoot heatmap light 900 "$out/long-1024-light.png" \
    "ctrl+plus ctrl+plus ctrl+plus ctrl+plus ctrl+plus ctrl+plus ctrl+plus ctrl+plus ctrl+plus ctrl+plus"
fi
