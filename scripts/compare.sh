#!/usr/bin/env bash
# incidentbook against the tools a team would pick instead, on the same generated
# corpus (scripts/gen_corpus.py in each tool's format), one run on one machine:
# Hugo (Debian's `hugo`, minimal templates, no search), mdBook, and Pagefind indexing
# Hugo's output. Prints a Markdown table: best wall time and its peak memory of $RUNS
# runs, and the ratio of the two whole builds' best times (the goal: at most 0.25),
# whose runs alternate. incidentbook is the release binary optimised with a training
# run's profile (scripts/pgo.sh, which needs `rustup component add llvm-tools`);
# PGO=0 measures a plain `cargo build --release`. Not part of the test run.
#
#   scripts/compare.sh [SIZES...]            default: 1000 10000
#   MDBOOK=/path/to/mdbook PAGEFIND=/path/to/pagefind RUNS=1 scripts/compare.sh 1000
#
# Needs: apt-get install hugo; cargo install mdbook; npm install pagefind (or npx).
# MDBOOK_MAX (default 10000) skips mdBook above that size, where it takes many minutes.
#
# Every tool starts each timed run from an empty output folder: the previous output is
# removed before the clock starts. OUT=/dev/shm/compare writes every tool's site under
# that folder instead (tmpfs): on an ext4 file system without a journal (this machine's
# disk), creating files soon after deleting many makes the kernel scan the recently
# freed inodes (ext4's `recently_deleted`), which added 2-10 s of system time to a 10k
# build, for every tool alike, depending on what was deleted in the last minutes.
# BENCH_DIR=/dev/shm/bench puts the corpora there too (generated on first use), and with
# them each book's `.incidentbook/` cache, where `build` writes the tantivy index: the
# whole comparison then runs in memory (Hugo was 2 s faster at 10k with its input there).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
hugo=${HUGO:-hugo}
mdbook=${MDBOOK:-mdbook}
pagefind=${PAGEFIND:-npx --yes pagefind}
mdbook_max=${MDBOOK_MAX:-10000}
out=${OUT:-}

. scripts/corpus.sh
# Absolute: Hugo and mdBook read a relative output folder from their site's folder.
mkdir -p "$work"
work=$(cd "$work" && pwd)
bin=$(release_binary)
mkdir -p "$work"

# A Hugo site over the corpus: one template per kind, printing the title, the date and
# the content, as a minimal theme would.
hugo_site() {
  local dir="$work/hugo-$1"
  if ! generated "$dir"; then
    generate "$1" "$dir" --format hugo || return
    mkdir -p "$dir/layouts/_default"
    printf 'baseURL = "http://localhost/"\ntitle = "Benchmark"\n' > "$dir/hugo.toml"
    cat > "$dir/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
    cat > "$dir/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2006-01-02" }}</time>{{ .Content }}</article>{{ end }}
HTML
    cat > "$dir/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
HTML
  fi
  echo "$dir"
}

mdbook_book() {
  local dir="$work/mdbook-$1"
  if ! generated "$dir"; then
    generate "$1" "$dir" --format mdbook || return
    printf '[book]\ntitle = "Benchmark"\nsrc = "content"\n' > "$dir/book.toml"
  fi
  echo "$dir"
}

echo "| post-mortems | incidentbook build --no-cache (checks, cross-links, tantivy index, static search) | incidentbook build, nothing changed | incidentbook check | Hugo (no search) | build / Hugo | Pagefind on Hugo's site | mdBook (with its own search index) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  dir=$(corpus "$n")
  h=$(hugo_site "$n")
  m=$(mdbook_book "$n")
  if [ -n "$out" ]; then
    ours_out="$out/incidentbook-$n" hugo_out="$out/hugo-$n" mdbook_out="$out/mdbook-$n"
  else
    ours_out="$dir/book" hugo_out="$h/public" mdbook_out="$m/book"
  fi
  # The two whole builds compared by the goal take turns, run by run, so that a drift
  # of the machine's speed (10-20% within an hour here) weighs on both alike.
  ours="" hugo_t=""
  for _ in $(seq "$runs"); do
    ours=$(best_of "$ours" "$(runs=1 before="rm -rf $ours_out $dir/.incidentbook" measure "$bin" build -q --no-cache -d "$ours_out" "$dir")")
    hugo_t=$(best_of "$hugo_t" "$(runs=1 before="rm -rf $hugo_out $h/resources" measure "$hugo" --quiet -s "$h" -d "$hugo_out")")
  done
  case "$ours $hugo_t" in
    *failed*) ratio="n/a" ;;
    *) ratio=$(awk "BEGIN{printf \"%.2f\", ${ours%% s*} / ${hugo_t%% s*}}") ;;
  esac
  "$bin" build -q -d "$ours_out" "$dir" >/dev/null 2>&1 || true
  again=$(measure "$bin" build -q -d "$ours_out" "$dir")
  check=$(measure "$bin" check -q "$dir" --format json)
  pf=$(before="rm -rf $hugo_out/pagefind" measure $pagefind --site "$hugo_out")
  if [ "$n" -le "$mdbook_max" ]; then
    md=$(before="rm -rf $mdbook_out" measure "$mdbook" build "$m" -d "$mdbook_out")
  else
    md="not run"
  fi
  echo "| $n | $ours | $again | $check | $hugo_t | $ratio | $pf | $md |"
done
