# Sourced by the benchmark scripts: `corpus N` prints the folder of a generated book of
# N post-mortems under $work, generating it with $gen (../shared/bench/gen_corpus.py)
# the first time.
corpus() {
  local dir="$work/corpus-$1"
  if [ ! -d "$dir/content" ]; then
    python3 "$gen" "$1" "$dir" >/dev/null 2>&1
    printf '[book]\ntitle = "Benchmark %s"\n' "$1" > "$dir/book.toml"
  fi
  echo "$dir"
}
