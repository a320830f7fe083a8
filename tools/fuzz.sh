#!/usr/bin/env bash
# Builds the libFuzzer targets (in the asan preset, beside the sanitizer suite), writes their seed corpora with the project's
# own writers, and runs each for SECONDS (default 600), two at a time. Fails on any crash,
# leak or sanitizer report; prints every target's executions. Usage: tools/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
tools/setup.sh --fuzz
cmake --preset asan >/dev/null
targets=(fuzz_seeds fuzz_model fuzz_model_crc fuzz_model_use fuzz_idx fuzz_idx_gzip fuzz_strokes fuzz_onnx)
cmake --build --preset asan --target "${targets[@]}"
bin=build/asan/tests/fuzz
work=build/asan/corpus
rm -rf "$work" && mkdir -p "$work"/{seeds,model,model_crc,model_use,idx,idx_gzip,strokes,onnx,crashes}
"$bin/fuzz_seeds" "$work/seeds"
cp "$work"/seeds/model/* "$work/model"; cp "$work"/seeds/model/* "$work/model_crc"; cp "$work"/seeds/model/* "$work/model_use"
cp "$work"/seeds/idx/* "$work/idx"; cp "$work"/seeds/idx/* "$work/idx_gzip"; cp "$work"/seeds/onnx/* "$work/onnx"
cp tests/data/*.jsonl "$work/strokes"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run() {  # TARGET CORPUS
  "$bin/$1" -max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048 \
    -artifact_prefix="$work/crashes/$1-" "$work/$2" >"$work/$1.log" 2>&1
}
status=0
pairs=("fuzz_model model fuzz_model_crc model_crc" "fuzz_model_use model_use fuzz_strokes strokes" "fuzz_idx idx fuzz_idx_gzip idx_gzip"
       "fuzz_onnx onnx")
for pair in "${pairs[@]}"; do
  read -r a ca b cb <<<"$pair"
  run "$a" "$ca" & jobs_=("$a:$!")
  if [ -n "${b:-}" ]; then run "$b" "$cb" & jobs_+=("$b:$!"); fi
  for t in "${jobs_[@]}"; do
    name=${t%%:*}
    if wait "${t##*:}"; then result=ok; else result=FAILED; status=1; fi
    execs=$(grep -o "stat::number_of_executed_units: [0-9]*" "$work/$name.log" | grep -o "[0-9]*$" || echo "?")
    echo "fuzz: $name: $execs executions in ${seconds} s: $result"
    [ "$result" = ok ] || tail -40 "$work/$name.log"
  done
done
ls "$work/crashes" | sed 's/^/fuzz: crash file /' || true
exit $status
