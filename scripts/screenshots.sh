#!/usr/bin/env bash
# Regenerates the screenshots under docs/images/ (home, insights and the example's
# orders-lock post-mortem; light, dark, 390 px wide) in headless Chromium for three books: the example (content/), a generated book of 1,000
# post-mortems, and the real archives (CORPORA, default tests/fixtures/corpora, e.g.
# /work/shared/corpora) read as they are with `init --from`. Copies every archive to a
# temporary folder first; nothing under CORPORA is changed.
#
#   scripts/screenshots.sh
#   CORPORA=/path/to/corpora scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
corpora=${CORPORA:-tests/fixtures/corpora}
out=docs/images
. scripts/corpus.sh
cargo build --locked --release --bin incidentbook --example screenshots >&2
bin=target/release/incidentbook
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" build -q . -d "$tmp/example"

gen=$(corpus 1000)
"$bin" build -q "$gen" -d "$tmp/generated-1000"

mkdir -p "$tmp/archives/pm"
for archive in "$corpora"/*/; do
  cp -r "$archive" "$tmp/archives/pm/$(basename "$archive")"
done
(cd "$tmp/archives" && "$OLDPWD/$bin" init -q --from pm >/dev/null)
"$bin" build -q "$tmp/archives" -d "$tmp/real-archives"

target/release/examples/screenshots "$out" \
  "example=$tmp/example" "generated-1000=$tmp/generated-1000" "real-archives=$tmp/real-archives"
# Smaller files, the same pixels, when optipng is installed.
if command -v optipng >/dev/null; then optipng -quiet -o2 "$out"/{home,insights,post-mortem}-*.png; fi
ls -l "$out"/{home,insights,post-mortem}-*.png >&2
