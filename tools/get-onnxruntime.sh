#!/usr/bin/env bash
# Fetches ONNX Runtime for the tests that run DigitPad's exported graphs with a real consumer
# (tests/core/test_onnx_consumers.cpp): the npm registry's onnxruntime-node, whose package holds
# the CPU runtime, installed without its install scripts into build/onnxruntime, once.
# Usage: tools/get-onnxruntime.sh [destination]
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-build/onnxruntime}
version=1.20.1
if [ -f "$dest/node_modules/onnxruntime-node/package.json" ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "get-onnxruntime: npm is not installed; the ONNX Runtime tests will skip" >&2
  exit 0
fi
mkdir -p "$dest"
echo "get-onnxruntime: installing onnxruntime-node@$version into $dest"
npm install --silent --no-audit --no-fund --ignore-scripts --prefix "$dest" "onnxruntime-node@$version" >/dev/null \
  || { echo "get-onnxruntime: npm could not install onnxruntime-node@$version" >&2; exit 1; }
