#!/usr/bin/env bash
# A picture of the drawings a model gets wrong, as the network saw them, each captioned
# "label → answer": what docs/screenshots/*-failures.png show. With AFTER=OTHER.dpm each
# caption also gives the other model's answer ("label → answer / other's answer"): a
# before-and-after of the same drawings.
# Usage: [AFTER=NEW.dpm] tools/failure-gallery.sh DRAWINGS.jsonl OUT.png [MODEL.dpm] [COUNT]
# Needs ImageMagick's montage (apt-get install imagemagick); not part of the build.
set -euo pipefail
cd "$(dirname "$0")/.."
drawings=$1 out=$2 model=${3:-} count=${4:-48}
app=build/release/app/digitpad/digitpad
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/wrong"
"$app" --classify-strokes "$drawings" ${model:+--model "$model"} --save-failures "$tmp/wrong" | tail -1
if [ -n "${AFTER:-}" ]; then
  # The other model's answer for every drawing, by line of the file (blank lines count too).
  "$app" --classify-strokes "$drawings" --model "$AFTER" | grep -E '^[0-9] ' | cut -d' ' -f1 > "$tmp/after"
  grep -n . "$drawings" | cut -d: -f1 > "$tmp/lines"
fi
args=()
for f in $(ls "$tmp/wrong" | sort -t e -k2 -n | head -n "$count"); do
  line=${f#line}; line=${line%%-*}
  label=${f#*-label}; label=${label%%-*}; answer=${f##*-predicted}; answer=${answer%.png}
  caption="$label → $answer"
  if [ -n "${AFTER:-}" ]; then
    k=$(grep -n -x "$line" "$tmp/lines" | cut -d: -f1)
    caption="$caption / $(sed -n "${k}p" "$tmp/after")"
  fi
  args+=(-label "$caption" "$tmp/wrong/$f")
done
montage -font DejaVu-Sans -pointsize 11 "${args[@]}" -tile 12x -geometry 72x72+3+3 -background '#2b2b2b' -fill '#e0e0e0' "$out"
echo "failure-gallery: $(ls "$tmp/wrong" | wc -l) wrong, $((${#args[@]} / 3)) shown in $out"
