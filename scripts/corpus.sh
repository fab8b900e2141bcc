# Sourced by the benchmark scripts, from the repository root: settings from GEN, RUNS
# and BENCH_DIR. `corpus N` prints the folder of a generated book of
# N post-mortems under $work, generating it with $gen (scripts/gen_corpus.py)
# the first time, and again whenever the generator has changed since.
gen=${GEN:-scripts/gen_corpus.py}
runs=${RUNS:-3}
work=${BENCH_DIR:-target/bench}
[ -f "$gen" ] || { echo "corpus generator not found at $gen (set GEN=...)" >&2; exit 2; }
gen_sum=$(cksum <"$gen")

# Whether folder $1 holds a corpus made by the current generator: `generate` keeps the
# generator's checksum in $1/.generator, so corpora of an earlier one are made again.
generated() {
  [ -d "$1/content" ] && [ "$(cat "$1/.generator" 2>/dev/null)" = "$gen_sum" ]
}

# `generate N DIR [OPTIONS...]` (re)creates the corpus in DIR, removing what was there.
# Fails (status 1) if the generator does: callers run inside $(...), where set -e is off.
generate() {
  local n=$1 dir=$2 log
  shift 2
  rm -rf "$dir"
  log=$(mktemp)
  if ! python3 "$gen" "$n" "$dir" "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "generating $dir failed" >&2
    return 1
  fi
  rm -f "$log"
  echo "$gen_sum" >"$dir/.generator"
}

corpus() {
  local dir="$work/corpus-$1"
  if ! generated "$dir"; then
    generate "$1" "$dir" || return
    printf '[book]\ntitle = "Benchmark %s"\n' "$1" > "$dir/book.toml"
  fi
  echo "$dir"
}

# Best wall time and its peak memory over $runs runs of a command, as `T s, M MB`.
# $before, if set, is run (untimed) before each run.
measure() {
  local best="" mem=""
  for _ in $(seq "$runs"); do
    [ -z "${before:-}" ] || sh -c "$before"
    local out
    if ! /usr/bin/time -o "$work/time.txt" -f "%e %M" "$@" >"$work/out.txt" 2>&1; then
      echo "measure: failed: $* (output in $work/out.txt)" >&2
      printf 'failed'
      return
    fi
    out=$(tail -n 1 "$work/time.txt")
    local t=${out% *} m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$m; fi
  done
  printf '%s s, %s MB' "$best" "$((mem / 1024))"
}

# The better (faster) of two `measure` results; either may be empty.
best_of() {
  case "$1" in "" | failed*) echo "$2"; return ;; esac
  case "$2" in "" | failed*) echo "$1"; return ;; esac
  if awk "BEGIN{exit !(${2%% s*} < ${1%% s*})}"; then echo "$2"; else echo "$1"; fi
}

# Builds and prints the path of the binary the benchmarks measure: by default the one
# users get, from `cargo install --path .` (the `release` profile) into target/install;
# with PGO=1 the published binary, the `dist` profile with profile-guided optimisation
# (scripts/pgo.sh).
release_binary() {
  if [ "${PGO:-0}" = 1 ]; then
    scripts/pgo.sh
  else
    cargo install --locked --quiet --path . --root target/install >&2
    echo "$PWD/target/install/bin/incidentbook"
  fi
}
