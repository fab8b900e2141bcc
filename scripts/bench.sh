#!/usr/bin/env bash
# Whole-build benchmark: generates corpora with scripts/gen_corpus.py, builds the
# installed binary (`cargo install --path .`; PGO=1: scripts/pgo.sh), and times
# `check` and `build` on each size with /usr/bin/time (wall time and peak memory),
# printing a Markdown table. Not part of the test run.
#
#   scripts/bench.sh [SIZES...]        default: 1000 10000
#   GEN=path/to/gen_corpus.py RUNS=3 scripts/bench.sh 1000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

. scripts/corpus.sh
bin=$(release_binary)
mkdir -p "$work"

echo "| post-mortems | check: wall, peak memory | build --no-cache | first build (writes the cache) | build again, nothing changed | check with the lint off |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  dir=$(corpus "$n")
  check=$(measure "$bin" check -q "$dir" --format json)
  # From an empty build folder, as scripts/compare.sh measures every tool.
  nocache=$(before="rm -rf $dir/book" measure "$bin" build -q --no-cache "$dir")
  cold=$(before="rm -rf $dir/.incidentbook/build" measure "$bin" build -q "$dir")
  warm=$(measure "$bin" build -q "$dir")
  nolint=$(INCIDENTBOOK_LINT__ENABLED=false measure "$bin" check -q "$dir" --format json)
  echo "| $n | $check | $nocache | $cold | $warm | $nolint |"
done
