#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# PDF extraction cost: a full tenderscan scan of large.pdf (text, metadata, annotations, forms,
# revisions, invisible-text pre-scan, every rule) against `pdftotext large.pdf /dev/null`, and the
# same scan of a copy where every page goes through the visual invisible-text check: a page-sized
# filled box in an object the pre-scan cannot tie to a page (another object refers to it) makes
# it look under every line of text (the worst case; a real redaction box sends only its own page
# to be rendered, and a box nothing refers to is dropped).
# The commands alternate (A B C A B C …) after one warm-up round; prints medians, ranges, the
# median of the pair-by-pair ratios, and peak RSS.
#   tools/bench/pdf.sh [CORPUS_DIR] [RUNS]        (TS_BIN=path/to/tenderscan to choose a build)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=${TS_BENCH_DIR:-$top/../shared/bench}
corpus=${1:-/tmp/corpus}
runs=${2:-11}
if [ ! -f "$corpus/large.pdf" ]; then
    echo "building the corpus in $corpus (needs python3-reportlab libreoffice-writer-nogui)" >&2
    "$bench/make-corpus.sh" "$corpus" >&2
fi
command -v pdftotext >/dev/null || { echo "needs pdftotext (apt-get install poppler-utils)" >&2; exit 1; }
bin=${TS_BIN:-$top/build/tenderscan}
[ -x "$bin" ] || { echo "build first (Release): tools/run.sh --version, or set TS_BIN" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
cd "$corpus"
visual=${TMPDIR:-/tmp}/tenderscan-bench-visual.pdf
cp large.pdf "$visual"
# (another object refers to it, or the pre-scan would drop it as no page's content)
printf '\n999999 0 obj\n<< /Length 17 >>\nstream\n0 0 595 842 re f\nendstream\nendobj\n' >>"$visual"
printf '999998 0 obj\n<< /Fm9 999999 0 R >>\nendobj\n' >>"$visual"

now() { date +%s.%N; }
median() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'; }
diff() { awk -v x="$1" -v y="$2" 'BEGIN { print y - x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { print a / b }'; }

ts_scan() { "$bin" -q -j 1 large.pdf >/dev/null || true; }
ts_visual() { "$bin" -q -j 1 "$visual" >/dev/null || true; }
pdftotext_() { pdftotext large.pdf /dev/null; }

ta=""; tb=""; tc=""; rab=""; rcb=""
i=0
while [ "$i" -le "$runs" ]; do
    t0=$(now); ts_scan; t1=$(now); pdftotext_; t2=$(now); ts_visual; t3=$(now)
    if [ "$i" -gt 0 ]; then # round 0 warms the page cache
        da=$(diff "$t0" "$t1"); db=$(diff "$t1" "$t2"); dc=$(diff "$t2" "$t3")
        ta="$ta $da"; tb="$tb $db"; tc="$tc $dc"
        rab="$rab $(ratio "$da" "$db")"; rcb="$rcb $(ratio "$dc" "$db")"
    fi
    i=$((i + 1))
done
echo "tenderscan: $bin ($("$bin" --version 2>/dev/null | head -1)); corpus: $corpus"
printf 'large.pdf (%s runs, alternating, medians with min-max):\n' "$runs"
printf '  %-36s %.3f s (%s)\n' "tenderscan large.pdf" "$(median $ta)" "$(range $ta)"
printf '  %-36s %.3f s (%s)\n' "pdftotext large.pdf /dev/null" "$(median $tb)" "$(range $tb)"
printf '  %-36s %.3f s (%s)\n' "tenderscan, every page rendered" "$(median $tc)" "$(range $tc)"
printf '  tenderscan / pdftotext = %.2f (%s)   target <= 1.15\n' "$(median $rab)" "$(range $rab)"
printf '  rendered / pdftotext   = %.2f (%s)   target <= 1.5 (for what needs confirming)\n' \
    "$(median $rcb)" "$(range $rcb)"
if [ -x /usr/bin/time ]; then
    rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
    printf 'peak RSS (KiB): tenderscan %s, rendered %s, pdftotext %s   target <= 65536\n' \
        "$(rss "$bin" -q -j 1 large.pdf)" "$(rss "$bin" -q -j 1 "$visual")" \
        "$(rss pdftotext large.pdf /dev/null)"
fi
rm -f "$visual"
