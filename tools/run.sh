#!/usr/bin/env bash
# Fresh Debian 12 -> DigitPad running: install dependencies, build (release), start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --preset release
cmake --build --preset release
tools/get-mnist-sample.sh build/release/app/digitpad-cli/digitpad-cli ||
  echo "run: no MNIST sample; the app still draws and classifies, and trains on any MNIST folder you choose"
exec build/release/app/digitpad/digitpad "$@"
