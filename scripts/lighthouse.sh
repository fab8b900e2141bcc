#!/usr/bin/env bash
# Lighthouse, all four categories at its default (mobile) settings, on the example's
# home, a post-mortem and the insights, served by `incidentbook serve` on 127.0.0.1.
# Lighthouse is not a dependency of the project: install it anywhere
# (`npm install --prefix DIR lighthouse`) and point LIGHTHOUSE at its binary. Not in CI:
# its performance score moves with the machine's load; run it a few times.
#
#   LIGHTHOUSE=DIR/node_modules/.bin/lighthouse scripts/lighthouse.sh
#   BIN=target/release/incidentbook LIGHTHOUSE=… scripts/lighthouse.sh   # no build
#
# Prints one line a page: performance, accessibility, best practices and SEO (0-100),
# then the total blocking time and the largest contentful paint (ms, simulated).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${LIGHTHOUSE:?point LIGHTHOUSE at a lighthouse binary (npm install --prefix DIR lighthouse)}"
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
port=${PORT:-3457}
if [[ -z ${BIN:-} ]]; then
  cargo build --locked --release --bin incidentbook >&2
  BIN=target/release/incidentbook
fi
out=$(mktemp -d)
"$BIN" serve -p "$port" . >"$out/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 150); do
  curl -sf "http://127.0.0.1:$port/index.html" >/dev/null && break
  sleep .2
done
printf '%-50s %5s %5s %5s %5s %6s %6s\n' page perf a11y bp seo tbt lcp
for page in index.html incidents/2024-03-12-orders-migration-lock.html insights/index.html; do
  "$LIGHTHOUSE" "http://127.0.0.1:$port/$page" --quiet \
    --chrome-flags="--headless=new --no-sandbox" \
    --output=json --output-path="$out/report.json"
  node -e '
    const r = require(process.argv[1]);
    const c = r.categories, a = r.audits, s = (k) => Math.round(c[k].score * 100);
    const ms = (k) => Math.round(a[k].numericValue);
    console.log([process.argv[2].padEnd(50), ...["performance", "accessibility", "best-practices", "seo"].map((k) => String(s(k)).padStart(5)),
      String(ms("total-blocking-time")).padStart(6), String(ms("largest-contentful-paint")).padStart(6)].join(" "));
  ' "$out/report.json" "$page"
done
