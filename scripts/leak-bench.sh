#!/usr/bin/env bash
# What the leak check adds to `check`: on generated corpora, the release binary
# (`cargo install --path .`; PGO=1: scripts/pgo.sh) runs `check` with the default
# options (leak check on) and with INCIDENTBOOK_LEAKS__ENABLED=false, alternately, RUNS
# times each; prints the medians of wall and user CPU time, the peak memory, what the
# leak check adds, and how many leak findings the corpus gives. User CPU time is the
# steadier figure on a machine shared with other work. Not part of the test run.
#
#   scripts/leak-bench.sh [SIZES...]        default: 10000
#   RUNS=7 scripts/leak-bench.sh 1000 10000
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000)
command -v /usr/bin/time >/dev/null || { echo "/usr/bin/time is needed (apt-get install time)" >&2; exit 2; }
RUNS=${RUNS:-5}
. scripts/corpus.sh
bin=$(release_binary)
mkdir -p "$work"

# The median of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '| post-mortems | leak check | wall (median) | user CPU (median) | peak memory | leak findings |\n'
printf '| ---: | --- | ---: | ---: | ---: | ---: |\n'
for n in "${sizes[@]}"; do
  dir=$(corpus "$n")
  : >"$work/leaks-on.txt"
  : >"$work/leaks-off.txt"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -a -o "$work/leaks-on.txt" -f "%e %U %M" "$bin" check -q "$dir" --format json >"$work/leaks.json" || true
    INCIDENTBOOK_LEAKS__ENABLED=false /usr/bin/time -a -o "$work/leaks-off.txt" -f "%e %U %M" \
      "$bin" check -q "$dir" --format json >/dev/null || true
  done
  findings=$(grep -c '"code": *"IB07' "$work/leaks.json" || true)
  for mode in on off; do
    f="$work/leaks-$mode.txt"
    wall=$(awk '{ print $1 }' "$f" | median)
    user=$(awk '{ print $2 }' "$f" | median)
    mem=$(awk '{ print $3 }' "$f" | sort -g | tail -n 1)
    printf '| %s | %s | %s s | %s s | %s MB | %s |\n' "$n" "$mode" "$wall" "$user" "$((mem / 1024))" \
      "$([ "$mode" = on ] && echo "$findings" || echo -)"
    eval "user_$mode=$user"
  done
  awk -v a="$user_on" -v b="$user_off" 'BEGIN { printf "\nAdded by the leak check at %s: %+.2f s of user CPU (%+.1f%%)\n", "'"$n"'", a - b, 100 * (a - b) / b }'
done
