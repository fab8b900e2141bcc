#!/usr/bin/env bash
# incidentbook against Hugo on the same generated corpus (scripts/gen_corpus.py in each
# tool's format), as users run them: the binary `cargo install --path .` makes (into
# target/install), default options, output on the disk (next to each corpus under
# target/bench), and Debian's `hugo` with minimal templates (no search). The two builds
# take turns, pair by pair, so that a drift of the machine's speed weighs on both alike;
# the table gives the median of $RUNS pairs (default 5) of wall time, CPU time (user +
# system: the figure to trust when other work shares the machine), peak memory, and the
# bytes and files of the site each wrote, then the ratios (the goals: at most 0.25 of
# Hugo's wall time, 0.5 of its memory, 1.5 times its bytes). The load average before and
# after is printed with it. Not part of the test run.
#
#   scripts/compare.sh [SIZES...]                  default: 10000
#   RUNS=7 scripts/compare.sh 1000 10000
#
# Variants, each labelled in the output (not the standard measurement):
#   PGO=1              the `dist` binary with profile-guided optimisation (scripts/pgo.sh)
#   BIN=PATH           a binary already built (none is built)
#   OUT=/dev/shm/cmp   both tools write their sites under that folder (a RAM disk)
#   PAGEFIND=PATH      also time Pagefind indexing Hugo's site (search for Hugo)
#   MDBOOK=PATH        also time mdBook on the same corpus (with its own search index)
#
# Needs: apt-get install hugo. Nothing is downloaded.
#
# Every tool starts each timed run from an empty output folder and, for us, without
# `.incidentbook/` (a first build, `--no-cache`): the previous output is removed before
# the clock starts.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000)
hugo=${HUGO:-hugo}
out=${OUT:-}
pairs=${RUNS:-5}

. scripts/corpus.sh
# Absolute: Hugo reads a relative output folder from its site's folder.
mkdir -p "$work"
work=$(cd "$work" && pwd)
if [ -n "${BIN:-}" ]; then bin=$(realpath "$BIN"); else bin=$(release_binary); fi

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

# `timed BEFORE CMD...`: runs BEFORE (untimed), then CMD, and prints
# "wall_s peak_kB cpu_s" (cpu: user + system).
timed() {
  local before=$1
  shift
  sh -c "$before"
  if ! /usr/bin/time -o "$work/time.txt" -f "%e %M %U %S" "$@" >"$work/out.txt" 2>&1; then
    echo "failed: $* (output in $work/out.txt)" >&2
    return 1
  fi
  tail -n 1 "$work/time.txt" | awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }'
}

# The median of the numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# `field_median FILE K`: the median of field K of FILE's lines.
field_median() { awk -v k="$2" '{ print $k }' "$1" | median; }

# "BYTES FILES" of a built site.
site_size() {
  printf '%s %s\n' "$(du -sb "$1" | cut -f1)" "$(find "$1" -type f | wc -l)"
}

label="binary of \`cargo install --path .\` ($bin)"
[ "${PGO:-0}" = 1 ] && label="PGO \`dist\` binary ($bin), not the standard measurement"
[ -n "${BIN:-}" ] && label="the binary given by BIN ($bin)"
where="on disk, next to each corpus under $work"
[ -n "$out" ] && where="under $out (OUT=; a RAM disk if tmpfs), not the standard measurement"
echo "incidentbook: $label; output $where; median of $pairs pairs, taking turns."
echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores."
echo
echo "| post-mortems | tool | wall | CPU (user + sys) | peak memory | site | files |"
echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"
ratios=()
for n in "${sizes[@]}"; do
  dir=$(corpus "$n")
  h=$(hugo_site "$n")
  if [ -n "$out" ]; then
    ours_out="$out/incidentbook-$n" hugo_out="$out/hugo-$n" mdbook_out="$out/mdbook-$n"
  else
    ours_out="$dir/book" hugo_out="$h/public" mdbook_out="$work/mdbook-$n/book"
  fi
  : >"$work/ours.txt"
  : >"$work/hugo.txt"
  for _ in $(seq "$pairs"); do
    timed "rm -rf $ours_out $dir/.incidentbook" "$bin" build -q --no-cache -d "$ours_out" "$dir" >>"$work/ours.txt"
    timed "rm -rf $hugo_out $h/resources" "$hugo" --quiet -s "$h" -d "$hugo_out" >>"$work/hugo.txt"
  done
  read -r ours_bytes ours_files < <(site_size "$ours_out")
  read -r hugo_bytes hugo_files < <(site_size "$hugo_out")
  for tool in ours hugo; do
    f="$work/$tool.txt"
    name=incidentbook bytes=$ours_bytes files=$ours_files
    [ "$tool" = hugo ] && name="Hugo $("$hugo" version | awk '{ print $2 }' | cut -d- -f1) (no search)" bytes=$hugo_bytes files=$hugo_files
    printf '| %s | %s | %.2f s | %.2f s | %d MB | %d MB | %d |\n' "$n" "$name" \
      "$(field_median "$f" 1)" "$(field_median "$f" 3)" "$(($(field_median "$f" 2 | cut -d. -f1) / 1024))" \
      "$((bytes / 1000000))" "$files"
  done
  ratios+=("$(awk -v n="$n" \
    -v ow="$(field_median "$work/ours.txt" 1)" -v hw="$(field_median "$work/hugo.txt" 1)" \
    -v oc="$(field_median "$work/ours.txt" 3)" -v hc="$(field_median "$work/hugo.txt" 3)" \
    -v om="$(field_median "$work/ours.txt" 2)" -v hm="$(field_median "$work/hugo.txt" 2)" \
    -v ob="$ours_bytes" -v hb="$hugo_bytes" \
    'BEGIN { printf "| %s | %.3f | %.3f | %.3f | %.2f |", n, ow / hw, oc / hc, om / hm, ob / hb }')")
  if [ -n "${PAGEFIND:-}" ]; then
    read -r w m c < <(timed "rm -rf $hugo_out/pagefind" "$PAGEFIND" --site "$hugo_out")
    printf '| %s | Pagefind on Hugo'"'"'s site (one run) | %.2f s | %.2f s | %d MB | | |\n' "$n" "$w" "$c" "$((m / 1024))"
  fi
  if [ -n "${MDBOOK:-}" ]; then
    m=$(mdbook_book "$n")
    read -r w mem c < <(timed "rm -rf $mdbook_out" "$MDBOOK" build "$m" -d "$mdbook_out")
    printf '| %s | mdBook (one run) | %.2f s | %.2f s | %d MB | | |\n' "$n" "$w" "$c" "$((mem / 1024))"
  fi
done
echo
echo "| post-mortems | wall / Hugo | CPU / Hugo | memory / Hugo | bytes / Hugo |"
echo "| ---: | ---: | ---: | ---: | ---: |"
printf '%s\n' "${ratios[@]}"
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
