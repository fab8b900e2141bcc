#!/usr/bin/env bash
# Instructions executed by whole commands, counted by callgrind: unlike wall time on this
# machine (whose speed drifts by 10-20% within an hour), the count is the same from run
# to run, so a change of 1% shows. Builds a profiling binary (release without LTO, with
# line tables: the counts are not the LTO binary's, the differences are) into
# target/profiling, then runs `build --no-cache` and `check` of a generated corpus under
# `valgrind --tool=callgrind`, printing the totals and our most expensive functions
# (inclusive). Not part of the test run. Needs: apt-get install valgrind.
#
#   scripts/instructions.sh [SIZE]          default: 1000 (about 40 s a command once
#                                           built; 10000 takes 7 minutes a command)
#   TOP=40 scripts/instructions.sh 1000
#
# Compare two commits by running it on each; the callgrind files stay in
# target/profiling/ (`callgrind_annotate --inclusive=yes FILE` for the whole tree).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1000}
top=${TOP:-25}
command -v valgrind >/dev/null || { echo "valgrind is needed (apt-get install valgrind)" >&2; exit 2; }

. scripts/corpus.sh
dir=$(corpus "$size")
CARGO_TARGET_DIR=target/profiling CARGO_PROFILE_RELEASE_LTO=false \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
  cargo build --release --quiet --bin incidentbook
bin=target/profiling/release/incidentbook
out=target/profiling/site-$size
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

for cmd in build check; do
  file=target/profiling/callgrind.$cmd.$size.$rev
  rm -rf "$out" "$dir/.incidentbook"
  if [ "$cmd" = build ]; then
    args=(build -q --no-cache -d "$out" "$dir")
  else
    args=(check -q --format json "$dir")
  fi
  valgrind --tool=callgrind --callgrind-out-file="$file" "$bin" "${args[@]}" \
    >/dev/null 2>"$file.log" || true
  total=$(grep -o 'Collected : [0-9]*' "$file.log" | grep -o '[0-9]*$')
  printf '\n## %s, %s post-mortems, %s: %s instructions\n\n' "$cmd" "$size" "$rev" "$total"
  callgrind_annotate --inclusive=yes "$file" 2>/dev/null |
    grep -E '^ *[0-9,]+ \([ 0-9.]+%\) +src/[^:]*:incidentbook::' |
    sed -E 's/ \[[^]]*\]$//' | head -n "$top"
done
rm -rf "$out" "$dir/.incidentbook"
