#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The cost of OCR by default: a tender package of office files and PDFs from the bench batch with
# a few pictures in it (screenshots of firewall rules and an address table as PNG and JPEG, a
# photo without text, a PDF of three scanned pages), scanned as an officer would (OCR on, the
# default) against --no-ocr (the layout check only). The two commands alternate after one
# warm-up round; prints medians with min-max and what OCR added, for the package and for the
# pictures alone.
#   tools/bench/pictures.sh [CORPUS_DIR] [RUNS] [FILES]   (TS_BIN=path/to/tenderscan: the build)
# FILES: how many files of batch/ go into the package (default 40). Needs python3-reportlab,
# python3-pil and pdftoppm (poppler-utils) to draw the pictures.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=${TS_BENCH_DIR:-$top/../shared/bench}
corpus=${1:-/tmp/corpus}
runs=${2:-5}
files=${3:-40}
if [ ! -d "$corpus/batch" ]; then
    echo "building the corpus in $corpus (needs python3-reportlab libreoffice-writer-nogui)" >&2
    "$bench/make-corpus.sh" "$corpus" >&2
fi
command -v pdftoppm >/dev/null || { echo "needs pdftoppm (apt-get install poppler-utils)" >&2; exit 1; }
bin=${TS_BIN:-$top/build/tenderscan}
[ -x "$bin" ] || { echo "build first (Release): tools/run.sh --version, or set TS_BIN" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

work=${TMPDIR:-/tmp}/tenderscan-bench-pictures
rm -rf "$work"
mkdir -p "$work/pakke" "$work/bilder" "$work/draw"
find "$corpus/batch" -type f | sort | head -n "$files" | while read -r f; do cp "$f" "$work/pakke/"; done

# The pictures: pages of text drawn by reportlab, rasterised by pdftoppm (a screenshot at 96 dpi,
# a photographed page as JPEG, scans at 150 dpi), a photo-like picture by PIL.
/usr/bin/python3 - "$work/draw" <<'EOF'
import random, sys
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from PIL import Image, ImageDraw, ImageFilter
out = sys.argv[1]
random.seed(13)
def page(name, title, lines):
    c = canvas.Canvas(f"{out}/{name}.pdf", pagesize=A4)
    c.setFont("Courier", 9)
    y = 800
    c.drawString(40, y, title)
    for l in lines:
        y -= 13
        c.drawString(40, y, l)
    c.save()
rules = [f"access-list OUTSIDE_IN extended permit tcp any host 10.{20 + i % 7}.{i}.{10 + i} eq {p}"
         for i, p in zip(range(48), [443, 3389, 22, 445, 1433, 8080] * 8)]
page("brannmur", "fw01# show running-config access-list", rules)
hosts = [f"{'srv' if i % 3 else 'sw'}-oslo-{i:02d}   10.40.{i // 8}.{i % 250 + 1}/24   VLAN {100 + i}"
         for i in range(50)]
page("ipplan", "IP-plan, serverrom 2. etasje", hosts)
page("skann", "Kontrakt, side 1", ["Leverandoren skal levere drift av nettverk og servere."] * 50)
img = Image.new("RGB", (1600, 1200))
d = ImageDraw.Draw(img)
for y in range(1200):
    d.line([(0, y), (1600, y)], fill=(90 + y // 10, 140 + y // 20, 200 - y // 12))
for _ in range(300):
    x, y, r = random.randrange(1600), random.randrange(600, 1200), random.randrange(5, 60)
    g = random.randrange(60, 160)
    d.ellipse([x - r, y - r // 2, x + r, y + r // 2], fill=(g // 2, g, g // 3))
img.filter(ImageFilter.GaussianBlur(2)).save(f"{out}/foto.jpg", quality=88)
EOF
pdftoppm -q -r 96 -png -singlefile "$work/draw/brannmur.pdf" "$work/bilder/brannmur-skjermbilde"
pdftoppm -q -r 96 -png -singlefile "$work/draw/ipplan.pdf" "$work/bilder/ipplan-skjermbilde"
pdftoppm -q -r 150 -jpeg -singlefile "$work/draw/ipplan.pdf" "$work/bilder/ipplan-foto"
cp "$work/draw/foto.jpg" "$work/bilder/tomt-foto.jpg"
# a PDF of three scanned pages: each page only an image (150 dpi JPEG)
for n in 1 2 3; do pdftoppm -q -r 150 -jpeg -singlefile "$work/draw/skann.pdf" "$work/draw/skann$n"; done
/usr/bin/python3 - "$work/draw" "$work/bilder/skannet-kontrakt.pdf" <<'EOF'
import sys
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
c = canvas.Canvas(sys.argv[2], pagesize=A4)
for n in (1, 2, 3):
    c.drawImage(f"{sys.argv[1]}/skann{n}.jpg", 0, 0, *A4)
    c.showPage()
c.save()
EOF
cp "$work"/bilder/* "$work/pakke/"

now() { date +%s.%N; }
median() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }'; }
diff() { awk -v x="$1" -v y="$2" 'BEGIN { print y - x }'; }

# -j 2: two cores, as on the machine the anchors were measured on
scan() { "$bin" -q -j 2 "$@" >/dev/null 2>&1 || true; }
pa=""; pb=""; ia=""; ib=""
i=0
while [ "$i" -le "$runs" ]; do
    t0=$(now); scan "$work/pakke"; t1=$(now); scan --no-ocr "$work/pakke"; t2=$(now)
    scan "$work/bilder"; t3=$(now); scan --no-ocr "$work/bilder"; t4=$(now)
    if [ "$i" -gt 0 ]; then # round 0 warms the page cache and loads the modules once
        pa="$pa $(diff "$t0" "$t1")"; pb="$pb $(diff "$t1" "$t2")"
        ia="$ia $(diff "$t2" "$t3")"; ib="$ib $(diff "$t3" "$t4")"
    fi
    i=$((i + 1))
done
npkg=$(find "$work/pakke" -type f | wc -l)
echo "tenderscan: $bin ($("$bin" --version 2>/dev/null | head -1)); corpus: $corpus"
echo "pictures: $(cd "$work/bilder" && ls | tr '\n' ' ')"
echo "  (two screenshots of text as PNG, a photographed page and a photo without text as JPEG,"
echo "   a PDF of three scanned pages: 6 pictures, 4 of them text)"
printf 'package of %s files (%s runs, alternating, -j 2, medians with min-max):\n' "$npkg" "$runs"
printf '  %-34s %.2f s (%s)\n' "OCR on (the default)" "$(median $pa)" "$(range $pa)"
printf '  %-34s %.2f s (%s)\n' "--no-ocr" "$(median $pb)" "$(range $pb)"
printf '  OCR adds %.2f s to the package\n' "$(diff "$(median $pb)" "$(median $pa)")"
printf 'the pictures alone:\n'
printf '  %-34s %.2f s (%s)\n' "OCR on (the default)" "$(median $ia)" "$(range $ia)"
printf '  %-34s %.2f s (%s)\n' "--no-ocr" "$(median $ib)" "$(range $ib)"
echo "grades with OCR on:"
"$bin" -j 2 "$work/bilder" 2>/dev/null | grep '^■' || true
echo "grades with --no-ocr:"
"$bin" -j 2 --no-ocr "$work/bilder" 2>/dev/null | grep '^■' || true
