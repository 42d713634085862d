#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Diagram verdicts on PDFs: lists every diagram.network and facility.security-floor-plan finding
# (file, page, rule, detail) over clean corpora, where there should be none; prints a count.
#   tools/bench/pdf-verdicts.sh [FILE_OR_DIR...]   (TS_BIN=path/to/tenderscan to choose a build)
# Without arguments: /tmp/corpus/large.pdf, /tmp/corpus/batch/*.pdf and
# ../shared/corpus/public/pdf/*.pdf (tools/bench/pdf.sh builds /tmp/corpus).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=${TS_BIN:-$top/build/tenderscan}
[ -x "$bin" ] || { echo "build first, or set TS_BIN" >&2; exit 1; }
[ $# -gt 0 ] || set -- /tmp/corpus/large.pdf /tmp/corpus/batch "$top/../shared/corpus/public/pdf"
n=0
for arg in "$@"; do
    if [ -d "$arg" ]; then set -- "$arg"/*.pdf; else set -- "$arg"; fi
    for f in "$@"; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        "$bin" -f jsonl -j 1 "$f" 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    try:
        f = json.loads(line)
    except ValueError:
        continue
    for g in [f] if "rule" in f else f.get("findings", []):
        if g.get("rule") in ("diagram.network", "facility.security-floor-plan"):
            print(sys.argv[1], "page", g["location"].get("page"), g["rule"], "-", g.get("detail"))
' "$f" || true
    done
done
echo "$n PDF files scanned" >&2
