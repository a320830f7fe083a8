#!/usr/bin/env bash
# Fresh Debian 12 -> DigitPad running: install dependencies, build (release), start the app.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --preset release
cmake --build --preset release
exec build/release/app/digitpad/digitpad "$@"
