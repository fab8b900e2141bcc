#!/usr/bin/env bash
# What the blameless-language lint adds to `check`: on a generated book (default 10,000
# post-mortems, scripts/gen_corpus.py), the release binary runs `check` with the lint
# on (the default) and off (`[lint] enabled = false`, through its environment
# override), alternating, RUNS times each (default 7), and prints the median wall time,
# CPU time (user + system) and peak memory of each and the lint's share of both times.
# Not part of the test run.
#
#   scripts/bench_lint.sh [N]          default: 10000
#   RUNS=9 scripts/bench_lint.sh 10000
#   CORPUS=/path/to/book scripts/bench_lint.sh   (an existing book instead)
#   BIN=/path/to/incidentbook scripts/bench_lint.sh   (a binary built already)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
RUNS=${RUNS:-7}
[ "$RUNS" -ge 5 ] || { echo "RUNS must be at least 5" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }

. scripts/corpus.sh
bin=${BIN:-$(release_binary)}
mkdir -p "$work"
dir=${CORPUS:-$(corpus "$n")}

# One timed run of `check` (exit status 0 or 1: the book may hold errors), appending
# "seconds kilobytes cpu-seconds" to file $1; the rest of the arguments set the
# environment.
run() {
  local file=$1 status=0
  shift
  env "$@" /usr/bin/time -o "$work/time.txt" -f "%e %M %U %S" \
    "$bin" check -q "$dir" --format json >"$work/out.txt" 2>&1 || status=$?
  if [ "$status" -gt 1 ]; then
    echo "check failed ($status); output in $work/out.txt" >&2
    exit 1
  fi
  tail -n 1 "$work/time.txt" | awk '{print $1, $2, $3 + $4}' >>"$file"
}

on=$work/lint-on.txt off=$work/lint-off.txt
: >"$on"
: >"$off"
# One untimed run of each warms the page cache.
run /dev/null INCIDENTBOOK_LINT__ENABLED=true
run /dev/null INCIDENTBOOK_LINT__ENABLED=false
for _ in $(seq "$RUNS"); do
  run "$on" INCIDENTBOOK_LINT__ENABLED=true
  run "$off" INCIDENTBOOK_LINT__ENABLED=false
done

# The median of column $2 of file $1.
median() {
  sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'
}
t_on=$(median "$on" 1) t_off=$(median "$off" 1)
m_on=$(median "$on" 2) m_off=$(median "$off" 2)
c_on=$(median "$on" 3) c_off=$(median "$off" 3)
echo "check on $dir ($RUNS alternating runs each, medians)"
echo "| lint | wall | CPU | peak memory | wall of each run (s) |"
echo "| --- | ---: | ---: | ---: | --- |"
echo "| on | $t_on s | $c_on s | $((${m_on%.*} / 1024)) MB | $(cut -d' ' -f1 "$on" | tr '\n' ' ')|"
echo "| off | $t_off s | $c_off s | $((${m_off%.*} / 1024)) MB | $(cut -d' ' -f1 "$off" | tr '\n' ' ')|"
awk -v a="$t_on" -v b="$t_off" -v c="$c_on" -v d="$c_off" \
  'BEGIN {printf "the lint adds %.1f%% to the wall time of check, %.1f%% to its CPU time\n", (a / b - 1) * 100, (c / d - 1) * 100}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
