#!/usr/bin/env bash
# What the site's search loads for a first query, and how long `incidentbook search`
# takes for a phrase, on a generated book (scripts/gen_corpus.py) built by the release
# binary with default options. Bytes are counted by tests/js/harness.js (`bytes`): it
# runs static/search.js in Node exactly as the browser runs it and sums the files a
# fresh page loads up to the first results (the script, meta.js, the term chunks, the
# ten results' records; the filters' file follows the results and is reported apart).
# The issue's budget (#39): at most 85 kB at 10,000 post-mortems. Not part of the test run.
#
#   scripts/search-first-query.sh [N]      default: 10000
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
queries='["migration lock", "replica lag", "database connection pool", "certif", "migartion",
  "kafka consumer lag", "dns", "deploy rollback timeout", "disk full", "retry storm",
  "service:checkout timeout", "\"connection pool\""]'
phrases=('"connection pool"' '"retry storm"' '"disk full"' 'api-gateway' '"migration lock"')
rounds=${ROUNDS:-10}

. scripts/corpus.sh
bin=$(release_binary)
mkdir -p "$work"
dir=$(corpus "$n")
"$bin" build -q "$dir" >/dev/null

echo "first query in the site, $n post-mortems:"
summary=$(cat <<'PY'
import json, statistics, sys
rows = json.load(sys.stdin)
print("| query | files | bytes | gzip | with filters | results |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for r in rows:
    print(f"| {r['query']} | {r['files']} | {r['raw']:,} | {r['gzip']:,} | {r['withFilters']['raw']:,} | {r['results']} |")
raw = [r["raw"] for r in rows]
print(f"median {statistics.median(raw):,.0f} bytes, max {max(raw):,}")
PY
)
echo "$queries" | node tests/js/harness.js bytes "$dir/book" | python3 -c "$summary"

echo "CLI phrase queries, $n post-mortems (median of $rounds, process start included):"
for q in "${phrases[@]}"; do
  "$bin" search "$q" "$dir" --format json >/dev/null
  times=()
  for _ in $(seq "$rounds"); do
    s=$(date +%s%N)
    "$bin" search "$q" "$dir" --format json >/dev/null
    times+=($(( ($(date +%s%N) - s) / 1000000 )))
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  echo "  $q: ${sorted[$(( ${#sorted[@]} / 2 ))]} ms"
done
