#!/usr/bin/env bash
# Where the bytes of a built site go: files and bytes by kind of page (the first folder,
# with the listings of every post-mortem, a post-mortem's pages and a term's pages told
# apart), largest first, as a Markdown table. Not part of the test run.
#
#   scripts/site-bytes.sh SITE_DIR
set -euo pipefail
site=${1:?usage: scripts/site-bytes.sh SITE_DIR}
cd "$site"
find . -type f -printf '%s %P\n' | awk '
  {
    size = $1; path = $2; n = split(path, part, "/")
    if (n == 1) kind = "(top level) " path
    else if (part[1] == "incidents" && part[2] == "by") kind = "incidents/by/" part[3] "/"
    else if (part[1] == "incidents" && n == 2 && part[2] ~ /^index/) kind = "incidents/index.html"
    else if (part[1] == "incidents") kind = "incidents/<slug>.html"
    else if (part[1] == "factors" && n == 2) kind = "factors/<id>.html"
    else if (part[1] == "factors") kind = "factors/<id>/<n>.html"
    else if (part[1] == "search" && n > 2) kind = "search/" part[2] "/"
    else if (n == 2) kind = part[1] "/<term>.html"
    else kind = part[1] "/<term>/<n>.html"
    bytes[kind] += size; files[kind]++; total += size; count++
  }
  END {
    print "| kind | files | bytes | share |"
    print "| --- | ---: | ---: | ---: |"
    for (k in bytes) printf "| %s | %d | %d | %.1f%% |\n", k, files[k], bytes[k], 100 * bytes[k] / total | "sort -t\"|\" -k4 -g -r"
    close("sort -t\"|\" -k4 -g -r")
    printf "| total | %d | %d | 100%% |\n", count, total
  }'
