#!/usr/bin/env bash
# Builds the binary for publishing: the `dist` profile (fat LTO, one codegen unit) with
# profile-guided optimisation (PGO) on top, and prints its path
# (target/pgo/use/dist/incidentbook). The benchmark scripts measure it when asked
# (PGO=1); by default they measure what `cargo install --path .` makes.
#
# Three steps, as rustc's own release builds do:
#   1. a `dist` build instrumented to count how often each branch and call runs;
#   2. a training run of that build: `build` (cold, cached, nothing changed), `check`,
#      `search` and `serve --watch` (pages, the search API, two edits) on a corpus
#      generated with another seed (7) than the benchmarks' (1), and on the example
#      book and the real archives in tests/fixtures/corpora under the adopt profile;
#   3. the `dist` build again, with the counts: LLVM lays out, inlines and orders
#      branches by what ran. Its output is the same, byte for byte, as a plain
#      release build's.
# A 10k build needs 7-10% less CPU time than with a plain `cargo build --release`.
# The instrumented binary is trained again only when it was rebuilt. Not part of the
# test run.
#
#   scripts/pgo.sh
#
# Needs llvm-profdata of the toolchain's LLVM: rustup component add llvm-tools
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
host=$(rustc -vV | sed -n 's/^host: //p')
profdata=$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata
[ -x "$profdata" ] || { echo "llvm-profdata is needed: rustup component add llvm-tools" >&2; exit 2; }

. scripts/corpus.sh
mkdir -p "$work"
work=$(cd "$work" && pwd)
dir=$root/target/pgo
trained=$dir/trained.profdata
gen_bin=$dir/gen/dist/incidentbook

RUSTFLAGS="-Cprofile-generate=$dir/counts" CARGO_TARGET_DIR=$dir/gen \
  cargo build --profile dist --locked --quiet --bin incidentbook

# GET a page of a local server; python3 is already needed for the corpus.
get() {
  python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=30).read()' "$1"
}

train() {
  local bin=$1 book=$work/pgo-train-3000 scratch=$work/pgo-scratch
  if ! generated "$book"; then
    generate 3000 "$book" --seed 7 || return
    printf '[book]\ntitle = "Training"\n' >"$book/book.toml"
  fi
  rm -rf "$scratch" "$book/.incidentbook"
  mkdir -p "$scratch"
  "$bin" build -q --no-cache -d "$scratch/site" "$book"
  "$bin" build -q -d "$scratch/site" "$book"
  "$bin" build -q -d "$scratch/site" "$book"
  "$bin" check -q --format json "$book" >/dev/null
  for q in "database failover" api-gateway "cache stampede" '"connection pool" timeout'; do
    "$bin" search -q "$q" "$book" >/dev/null
  done

  # The example book, and real archives brought in under the adopt profile.
  mkdir -p "$scratch/example" "$scratch/real/content"
  cp -r content book.toml "$scratch/example/"
  "$bin" build -q --no-cache -d "$scratch/example-site" "$scratch/example"
  "$bin" check -q "$scratch/example" >/dev/null
  find tests/fixtures/corpora -name '*.md' ! -name 'TEMPLATE.md' ! -name 'README.md' \
    -exec cp {} "$scratch/real/content/" \;
  printf '[book]\ntitle = "Real"\n' >"$scratch/real/book.toml"
  "$bin" build --profile adopt -q --no-cache -d "$scratch/real-site" "$scratch/real"

  # serve --watch: pages, the search API, an edit to a title and one to the text.
  local port=47391 pid
  "$bin" serve --watch -q -p "$port" "$scratch/example" &
  pid=$!
  for _ in $(seq 100); do get "http://127.0.0.1:$port/" 2>/dev/null && break; sleep 0.2; done
  for p in "" incidents/index.html search.html "api/search?q=database" "api/search?q=cache+stamp"; do
    get "http://127.0.0.1:$port/$p"
  done
  local f
  f=$(find "$scratch/example/content" -name '*.md' ! -path '*/factors/*' | sort | head -n 1)
  sed -i '0,/^title: /s/^title: \(.*\)$/title: \1 (edited)/' "$f"
  sleep 2
  echo "One more paragraph." >>"$f"
  sleep 2
  get "http://127.0.0.1:$port/"
  kill -INT "$pid"
  wait "$pid" || true
  rm -rf "$scratch" "$book/.incidentbook"
}

# The counts are taken again only when the instrumented binary or the corpus generator
# (whose checksum is kept beside the profile) changed since.
if [ ! -f "$trained" ] || [ "$gen_bin" -nt "$trained" ] ||
  [ "$(cat "$trained.generator" 2>/dev/null)" != "$gen_sum" ]; then
  rm -rf "$dir/counts"
  train "$gen_bin" >&2
  "$profdata" merge -o "$trained" "$dir/counts"
  echo "$gen_sum" >"$trained.generator"
fi

RUSTFLAGS="-Cprofile-use=$trained" CARGO_TARGET_DIR=$dir/use \
  cargo build --profile dist --locked --quiet --bin incidentbook
echo "$dir/use/dist/incidentbook"
