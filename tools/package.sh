#!/usr/bin/env bash
# Builds the Debian package from a build folder (default build/release) and checks it as a
# user's system would meet it: lintian without errors, the desktop entry and the AppStream
# metainfo validated, the package unpacked into a fresh root (dpkg -x) where every library of
# both programs resolves and digitpad-cli runs (--version, export, import, eval on MNIST where
# ../shared has it); as root under CI also installed with dpkg and removed again, leaving nothing.
# The build must be portable: its programs use AVX registers only in the kernels' own copies
# for AVX2 and AVX-512 (core/engine/kernels.h), which run only where the CPU has them.
# Usage: tools/package.sh [build-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
if grep -q "^DIGITPAD_NATIVE:BOOL=ON" "$build/CMakeCache.txt"; then
  echo "package: $build is a native build (-march=native), which runs only on CPUs like this one" >&2
  exit 1
fi
tools/setup.sh --package
cmake --build "$build"
(cd "$build" && cpack -G DEB >/dev/null)
deb=$(ls "$build"/digitpad_*_amd64.deb)
echo "package: $deb ($(du -h "$deb" | cut -f1)), depends: $(dpkg-deb -f "$deb" Depends)"

status=0
report=$(lintian --fail-on error "$deb" 2>&1) || status=$?
grep -v "root privileges" <<<"$report" | sed '/^$/d; s/^/package: lintian: /' || true
[ "$status" -eq 0 ] || { echo "package: lintian found errors" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"
desktop-file-validate "$root"/usr/share/applications/*.desktop
appstreamcli validate --no-net "$root"/usr/share/metainfo/*.metainfo.xml >/dev/null
for program in digitpad digitpad-cli; do
  if ldd "$root/usr/bin/$program" | grep "not found"; then
    echo "package: $program needs libraries no package provides" >&2
    exit 1
  fi
done
# The packaged programs are stripped: their symbols are read in the build, before stripping.
for program in "$build"/app/digitpad/digitpad "$build"/app/digitpad-cli/digitpad-cli; do
  wide=$(objdump -d --no-show-raw-insn -C "$program" |
         awk '/^[0-9a-f]+ <.*>:$/ { fn = $0; next } /%[yz]mm/ && fn !~ /digitpad::(avx2|avx512)::/ { print fn }' | sort -u)
  if [ -n "$wide" ]; then
    echo "package: $program uses AVX registers outside its AVX2 and AVX-512 kernels:" >&2
    head -5 <<<"$wide" >&2
    exit 1
  fi
done
echo "package: both programs run on any x86-64 (AVX only in the kernels chosen at run time)"
cli="$root/usr/bin/digitpad-cli"
"$cli" --version
"$root/usr/bin/digitpad" --version
"$cli" export --format onnx --out "$root/builtin.onnx" >/dev/null
"$cli" import --format onnx "$root/builtin.onnx" --out "$root/builtin.dpm" >/dev/null
mnist=../shared/data/mnist
if [ -f "$mnist/t10k-images-idx3-ubyte.gz" ]; then
  "$cli" eval --model "$root/builtin.dpm" --data "$mnist" | grep "accuracy"
else
  echo "package: no MNIST at $mnist: eval not run"
fi

if [ "${CI:-}" = true ] && [ "$(id -u)" -eq 0 ]; then
  dpkg -i "$deb" >/dev/null
  /usr/bin/digitpad-cli --version >/dev/null
  dpkg -r digitpad >/dev/null
  if [ -e /usr/bin/digitpad ] || [ -e /usr/bin/digitpad-cli ] || [ -e /usr/share/applications/org.digitpad.DigitPad.desktop ]; then
    echo "package: removing it left files behind" >&2
    exit 1
  fi
  echo "package: installed with dpkg and removed cleanly"
fi
echo "package: ok"
