#!/usr/bin/env bash
# What the insights pages and the related-incident ranking add to a build: times each
# in process, on a generated book read once (examples/insights_bench.rs, release
# profile), and prints a Markdown row. Not part of the test run.
#
#   scripts/insights-bench.sh [N]       default: 10000 post-mortems
#   RUNS=5 scripts/insights-bench.sh 1000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
. scripts/corpus.sh
dir=$(corpus "$n")
cargo build --locked --release --example insights_bench >&2
target/release/examples/insights_bench "$dir" "${RUNS:-5}"
