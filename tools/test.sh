#!/usr/bin/env bash
# Fresh Debian 12 -> every test passing: install dependencies, build (release), run the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --test
tools/get-onnxruntime.sh
cmake --workflow --preset release
