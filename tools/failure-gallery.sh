#!/usr/bin/env bash
# A picture of the drawings a model gets wrong, as the network saw them, each captioned
# "label → answer": what docs/screenshots/*-failures.png show.
# Usage: tools/failure-gallery.sh DRAWINGS.jsonl OUT.png [MODEL.dpm] [COUNT]
# Needs ImageMagick's montage (apt-get install imagemagick); not part of the build.
set -euo pipefail
cd "$(dirname "$0")/.."
drawings=$1 out=$2 model=${3:-} count=${4:-48}
app=build/release/app/digitpad/digitpad
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$app" --classify-strokes "$drawings" ${model:+--model "$model"} --save-failures "$tmp" | tail -1
args=()
for f in $(ls "$tmp" | sort -t e -k2 -n | head -n "$count"); do
  label=${f#*-label}; label=${label%%-*}; answer=${f##*-predicted}; answer=${answer%.png}
  args+=(-label "$label → $answer" "$tmp/$f")
done
montage -font DejaVu-Sans -pointsize 11 "${args[@]}" -tile 12x -geometry 72x72+3+3 -background '#2b2b2b' -fill '#e0e0e0' "$out"
echo "failure-gallery: $(ls "$tmp" | wc -l) wrong, $((${#args[@]} / 3)) shown in $out"
