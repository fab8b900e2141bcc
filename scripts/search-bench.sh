#!/usr/bin/env bash
# Search benchmark over generated corpora (scripts/gen_corpus.py): the tantivy
# index (first `search`, which builds it: time and size), warm CLI query latency (p50
# and p99 over repeated queries), and the static index of the built site (size, files).
# Bytes per browser query are measured by the example `search_bytes` (see docs/search.md).
# The binary is the one `cargo install --path .` makes (PGO=1: scripts/pgo.sh's). Not
# part of the test run.
#
#   scripts/search-bench.sh [SIZES...]      default: 1000 10000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
queries=("migration lock" "replica lag" "database connection pool" "certif" "migartion"
  "kafka consumer lag" "dns" "deploy rollback timeout" "disk full" "retry storm")
rounds=${ROUNDS:-10}

. scripts/corpus.sh
bin=$(release_binary)
mkdir -p "$work"

echo "| post-mortems | tantivy index: build | size | CLI query p50 | p99 | static index: export | size | files |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  dir=$(corpus "$n")
  rm -rf "$dir/.incidentbook"
  start=$(date +%s.%N)
  "$bin" search "warm up" "$dir" --format json >/dev/null 2>&1
  index_time=$(echo "$(date +%s.%N) - $start" | bc)
  index_size=$(du -sm "$dir/.incidentbook/search" | cut -f1)
  times=()
  for _ in $(seq "$rounds"); do
    for q in "${queries[@]}"; do
      s=$(date +%s%N)
      "$bin" search "$q" "$dir" --format json >/dev/null 2>&1
      times+=($(( ($(date +%s%N) - s) / 1000000 )))
    done
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  count=${#sorted[@]}
  p50=${sorted[$((count / 2))]}
  p99=${sorted[$(( (count * 99 + 99) / 100 - 1 ))]}
  stages=$("$bin" build -v "$dir" 2>&1 | sed -n 's/^\[ *\([0-9.]*\)s\] \(exporting\|writing\).*/\1/p')
  export_time=$(echo "$stages" | awk 'NR == 1 {e = $1} NR == 2 {w = $1} END {printf "%.2f", w - e}')
  static_size=$(du -sm "$dir/book/search" | cut -f1)
  static_files=$(find "$dir/book/search" -type f | wc -l)
  printf '| %s | %.2f s | %s MB | %s ms | %s ms | %s s | %s MB | %s |\n' \
    "$n" "$index_time" "$index_size" "$p50" "$p99" "$export_time" "$static_size" "$static_files"
done
