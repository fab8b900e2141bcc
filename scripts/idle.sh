#!/usr/bin/env bash
# How much of the machine's cores a `build --no-cache` leaves unused, and when. Sampled
# with `perf record` at a fixed rate on every core: the share of samples missing
# against cores x wall time is the time a core waited (for a serial step, a lock, the
# last straggler of a parallel loop). Unlike wall time, which drifts with this
# machine's speed by 10-40% within an hour, the share moves only when the build's
# structure does. Prints the share, then samples per tenth of a second by stage, so a
# gap shows where it is. Builds the release binary with frame pointers into
# target/frame-pointers; the corpus and the site go under BENCH_DIR (default
# target/bench; a tmpfs such as /dev/shm/bench keeps the disk's writeback out of the
# figures). Not part of the test run. Needs: apt-get install linux-perf.
#
#   scripts/idle.sh [SIZE]          default: 10000
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-10000}
rate=2000
command -v perf >/dev/null || { echo "perf is needed (apt-get install linux-perf)" >&2; exit 2; }

. scripts/corpus.sh
dir=$(corpus "$size")
CARGO_TARGET_DIR=target/frame-pointers RUSTFLAGS="-C force-frame-pointers=yes" \
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
  cargo build --release --quiet --bin incidentbook
bin=target/frame-pointers/release/incidentbook
out=$work/idle-site-$size
data=target/frame-pointers/perf.$size.data
cores=$(nproc)
rm -rf "$out" "$dir/.incidentbook"
perf record -q -F "$rate" -g -o "$data" "$bin" build -q --no-cache -d "$out" "$dir" >/dev/null
rm -rf "$out" "$dir/.incidentbook"

# One block per sample: its time on the first line, then its stack, innermost first.
# A sample's stage is the first of these frames (in this order) found in its stack.
perf script -i "$data" -F time,ip,sym 2>/dev/null | awk -v rate="$rate" -v cores="$cores" '
  BEGIN {
    RS = ""
    n = split("parse_incident=parse add_indexing_worker=index html_pages=render " \
              "book_pages=render search::export=export insights::compute=insights " \
              "check::check=check link::=link", pairs, " ")
    for (i = 1; i <= n; i++) { split(pairs[i], kv, "="); frame[i] = kv[1]; name[i] = kv[2] }
  }
  {
    t = $1 + 0; if (NR == 1) t0 = t; last = t; samples++
    b = int((t - t0) * 10); stage = "other"
    for (i = 1; i <= n && stage == "other"; i++) if (index($0, frame[i])) stage = name[i]
    count[b, stage]++; total[b]++; if (b > top) top = b; seen[stage] = 1
  }
  END {
    wall = last - t0; possible = wall * rate * cores
    printf "%d post-mortems: %.2f s sampled, %d of %d core samples, unused %.1f%%\n\n", '"$size"', wall, samples, possible, 100 * (1 - samples / possible)
    printf "%6s %6s  %s\n", "at (s)", "busy", "samples by stage"
    for (b = 0; b <= top; b++) {
      line = ""; for (s in seen) if (count[b, s]) line = line " " s "=" count[b, s]
      printf "%6.1f %5.0f%%  %s\n", b / 10, 100 * total[b] / (rate / 10 * cores), line
    }
  }'
