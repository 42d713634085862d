#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Streaming drawing readers: tenderscan over a generated 50 MB ASCII DXF floor plan and a 20 MB
# IFC model, side by side with `rg -c -F TEXT` over the same file (the floor of just reading it),
# alternating A B A B … after one warm-up round; prints medians with ranges, MB/s, the ratio, and
# the peak RSS of tenderscan. Targets (issue 6): >= 50 MB/s and peak RSS < 64 MB on both.
#   tools/bench/drawings.sh [DIR] [RUNS]     (TS_BIN=path/to/tenderscan to choose a build)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-/tmp/drawings-bench}
runs=${2:-7}
bin=${TS_BIN:-$top/build/tenderscan}
[ -x "$bin" ] || { echo "build first (Release): tools/run.sh --version, or set TS_BIN" >&2; exit 1; }
for t in rg python3; do
    command -v $t >/dev/null || { echo "needs $t (apt-get install ripgrep python3)" >&2; exit 1; }
done
mkdir -p "$dir"

# The files: mostly geometry (lines, polylines, points), room labels and dimensions, layers
# (one frozen, one off), and a few planted findings at the end, so that every byte is read.
gen() { # gen dxf|ifc FILE MEGABYTES
    python3 - "$@" <<'PY'
import random, sys

def dxf(out, size):
    r = random.Random(6)
    w = out.write
    def p(code, val):
        w("%3d\n%s\n" % (code, val))
    p(0, "SECTION"); p(2, "HEADER")
    for var, code, val in (("$ACADVER", 1, "AC1027"), ("$DWGCODEPAGE", 3, "ANSI_1252"),
                           ("$LASTSAVEDBY", 1, "olanor"), ("$TDCREATE", 40, "2458650.5")):
        p(9, var); p(code, val)
    p(0, "ENDSEC"); p(0, "SECTION"); p(2, "TABLES"); p(0, "TABLE"); p(2, "LAYER"); p(70, 40)
    layers = ["0", "A-VEGG", "A-DOR", "A-ROM", "A-MAAL", "E-EL", "SIKRING", "IKT"]
    for name in layers + ["LAG-%02d" % i for i in range(32)]:
        p(0, "LAYER"); p(2, name); p(70, 1 if name == "SIKRING" else 0)
        p(62, -3 if name == "IKT" else 7); p(6, "CONTINUOUS")
    p(0, "ENDTAB"); p(0, "ENDSEC"); p(0, "SECTION"); p(2, "ENTITIES")
    rooms = ["Kontor", "Møterom", "Gang", "WC", "Trapp", "Lager", "Kopirom", "Garderobe"]
    n = 0
    while out.tell() < size:
        n += 1
        k = r.random()
        lay = layers[1 + n % 5]
        if k < 0.70:
            p(0, "LINE"); p(5, "%X" % n); p(8, lay)
            for c in (10, 20, 30, 11, 21, 31):
                p(c, "%.6f" % (r.random() * 1000))
        elif k < 0.85:
            p(0, "LWPOLYLINE"); p(5, "%X" % n); p(8, lay); p(90, 4); p(70, 1)
            for _ in range(4):
                p(10, "%.6f" % (r.random() * 1000)); p(20, "%.6f" % (r.random() * 1000))
        elif k < 0.95:
            p(0, "TEXT"); p(5, "%X" % n); p(8, "A-ROM"); p(10, "%.3f" % (r.random() * 1000))
            p(20, "%.3f" % (r.random() * 1000)); p(40, "2.5")
            p(1, "%s %d.%03d" % (rooms[n % len(rooms)], n % 5, n % 1000))
        else:
            p(0, "MTEXT"); p(5, "%X" % n); p(8, "A-MAAL"); p(10, "1.0"); p(20, "2.0")
            p(1, "{\\fArial|b0;Areal\\P%d m²} %%%%c %d" % (n % 97, n % 13))
    for lay, text in (("SIKRING", "SERVERROM"), ("SIKRING", "ADK-leser"),
                      ("IKT", "Kjernesvitsj 10.20.1.1 VLAN 20")):
        p(0, "TEXT"); p(8, lay); p(1, text)
    p(0, "ENDSEC"); p(0, "EOF")

def ifc(out, size):
    r = random.Random(6)
    w = out.write
    w("ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('ViewDefinition [CoordinationView]'),'2;1');\n")
    w("FILE_NAME('C:\\\\Users\\\\olanor\\\\Prosjekt\\\\skole.ifc','2024-03-01T10:00:00',"
      "('olanor'),('Arkitektkontoret AS'),'IFC engine','ARCHICAD 25','');\n")
    w("FILE_SCHEMA(('IFC2X3'));\nENDSEC;\nDATA;\n")
    w("#1=IFCPERSON('olanor','Nordmann','Ola',$,$,$,$,$);\n")
    w("#2=IFCORGANIZATION($,'Arkitektkontoret AS',$,$,$);\n")
    w("#3=IFCAPPLICATION(#2,'25.0','ARCHICAD','ARCHICAD');\n")
    n = 10
    rooms = ["Kontor", "M\\X2\\00F8\\X0\\terom", "Gang", "WC", "Trapp", "Lager"]
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_$"
    while out.tell() < size:
        n += 1
        k = r.random()
        if k < 0.6:
            w("#%d=IFCCARTESIANPOINT((%.6f,%.6f,%.6f));\n" % (n, r.random() * 1e4,
                                                          r.random() * 1e4, r.random() * 10))
        elif k < 0.8:
            w("#%d=IFCPOLYLINE((#%d,#%d,#%d,#%d));\n" % (n, n - 1, n - 2, n - 3, n - 4))
        elif k < 0.9:
            guid = "".join(r.choice(alphabet) for _ in range(22))
            w("#%d=IFCSPACE('%s',#5,'%d.%03d','',$,#7,#8,'%s',.ELEMENT.,.INTERNAL.,$);\n" % (
                n, guid, n % 5, n % 1000, rooms[n % len(rooms)]))
        else:
            w("#%d=IFCPROPERTYSINGLEVALUE('Brannklasse',$,IFCLABEL('EI %d'),$);\n" % (n, 30 + n % 60))
    w("#%d=IFCSPACE('3vB2YO$MX4xv5uCqZZG05x',#5,'0.012','',$,#7,#8,'SERVERROM',.ELEMENT.,"
      ".INTERNAL.,$);\n" % (n + 1))
    w("#%d=IFCPROPERTYSINGLEVALUE('IP-adresse',$,IFCLABEL('10.20.1.1'),$);\n" % (n + 2))
    w("ENDSEC;\nEND-ISO-10303-21;\n")

kind, path, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
with open(path, "w", encoding="utf-8", newline="\n") as f:
    (dxf if kind == "dxf" else ifc)(f, int(mb * 1e6))
PY
}
[ -f "$dir/plan-50mb.dxf" ] || gen dxf "$dir/plan-50mb.dxf" 50
[ -f "$dir/model-20mb.ifc" ] || gen ifc "$dir/model-20mb.ifc" 20

now() { date +%s.%N; }
median() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range() { echo "$@" | tr ' ' '\n' | grep . | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.3f-%.3f", lo, hi }'; }
taskset_cmd=""
command -v taskset >/dev/null && taskset_cmd="taskset -c 0"   # one thread, one core

# bench FILE TEXT: tenderscan against rg -c -F TEXT, alternating
bench() {
    file=$1; text=$2
    mb=$(awk -v b="$(wc -c <"$file")" 'BEGIN { printf "%.2f", b / 1e6 }')
    ta=""; tb=""; ratios=""
    i=0
    while [ "$i" -le "$runs" ]; do
        t0=$(now); $taskset_cmd "$bin" -q -j 1 -f jsonl "$file" >/dev/null || true; t1=$(now)
        $taskset_cmd rg -c -F "$text" "$file" >/dev/null || true; t2=$(now)
        if [ "$i" -gt 0 ]; then # round 0 warms the page cache
            a=$(awk -v x="$t0" -v y="$t1" 'BEGIN { print y - x }')
            b=$(awk -v x="$t1" -v y="$t2" 'BEGIN { print y - x }')
            ta="$ta $a"; tb="$tb $b"; ratios="$ratios $(awk -v a="$a" -v b="$b" 'BEGIN { print a / b }')"
        fi
        i=$((i + 1))
    done
    rss=$(/usr/bin/time -f '%M' "$bin" -q -j 1 -f jsonl "$file" 2>&1 >/dev/null | tail -1)
    ma=$(median $ta); mb2=$(median $tb)
    printf '%s (%s MB), %s runs each after one warm-up, alternating, pinned to one core:\n' \
        "$(basename "$file")" "$mb" "$runs"
    printf '  tenderscan -j 1:     %.3f s (%s)  %6.1f MB/s  peak RSS %.1f MB\n' "$ma" \
        "$(range $ta)" "$(awk -v m="$mb" -v t="$ma" 'BEGIN { print m / t }')" \
        "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
    printf '  rg -c -F %-12s %.3f s (%s)  %6.1f MB/s\n' "'$text':" "$mb2" "$(range $tb)" \
        "$(awk -v m="$mb" -v t="$mb2" 'BEGIN { print m / t }')"
    printf '  tenderscan / rg (median of pair ratios): %.2f (%s)\n' "$(median $ratios)" \
        "$(range $ratios)"
    printf '  findings: %s\n' "$("$bin" -q -j 1 -f jsonl "$file" | python3 -c \
        'import json,sys; d=json.loads(sys.stdin.readline()); print(d["grade"], ", ".join(sorted(set(f["rule"] for f in d["findings"]))))')"
}
bench "$dir/plan-50mb.dxf" SERVERROM
bench "$dir/model-20mb.ifc" SERVERROM
