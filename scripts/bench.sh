#!/usr/bin/env bash
# Whole-build benchmark: generates corpora with ../shared/bench/gen_corpus.py, builds the
# release binary, and times `check` and `build` on each size with /usr/bin/time (wall
# time and peak memory), printing a Markdown table. Not part of the test run.
#
#   scripts/bench.sh [SIZES...]        default: 1000 10000
#   GEN=path/to/gen_corpus.py RUNS=3 scripts/bench.sh 1000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
gen=${GEN:-../shared/bench/gen_corpus.py}
runs=${RUNS:-3}
work=${BENCH_DIR:-target/bench}
[ -f "$gen" ] || { echo "corpus generator not found at $gen (set GEN=...)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

. scripts/corpus.sh
cargo build --release --quiet
bin=target/release/incidentbook
mkdir -p "$work"

# Best wall time and its peak memory over $runs runs of a command.
measure() {
  local best="" mem=""
  for _ in $(seq "$runs"); do
    local out
    /usr/bin/time -o "$work/time.txt" -f "%e %M" "$@" >/dev/null 2>&1 || true
    out=$(tail -n 1 "$work/time.txt")
    local t=${out% *} m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$m; fi
  done
  printf '%s s | %s MB' "$best" "$((mem / 1024))"
}

echo "| post-mortems | check: wall | check: peak memory | build: wall | build: peak memory | check with the lint off |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  dir=$(corpus "$n")
  check=$(measure "$bin" check -q "$dir" --format json)
  build=$(measure "$bin" build -q "$dir")
  nolint=$(INCIDENTBOOK_LINT__ENABLED=false measure "$bin" check -q "$dir" --format json)
  echo "| $n | $check | $build | ${nolint% |*} |"
done
