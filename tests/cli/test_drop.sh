#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli_drop: the drag-and-drop wrapper run headless, as a desktop launcher would run it, with stub
# openers and notifiers on PATH / BROWSER: a report lands in a private folder and is handed over.
#   test_drop.sh TENDERSCAN_BINARY TOOLS_DIR
set -u
bin=$1
tools=$2
drop=$tools/tenderscan-drop
fails=0
passed=0

ok() {
    passed=$((passed + 1))
    echo "ok - $1"
}
not_ok() {
    fails=$((fails + 1))
    echo "not ok - $1"
}
check() { # description, then a command that must succeed
    what=$1
    shift
    if "$@"; then ok "$what"; else not_ok "$what"; fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/ts-drop-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
stubs=$work/stubs
mkdir -p "$stubs" "$work/tmp" "$work/in/mappe"

# stub opener and notifier: they only write down how they were called
cat >"$stubs/opener" <<'EOF'
#!/bin/sh
printf '%s\n' "$@" >>"$STUB_LOG.open"
EOF
cat >"$stubs/xdg-open" <<'EOF'
#!/bin/sh
printf '%s\n' "$@" >>"$STUB_LOG.xdg"
EOF
cat >"$stubs/notify-send" <<'EOF'
#!/bin/sh
printf '%s\n' "$*" >>"$STUB_LOG.notify"
EOF
chmod +x "$stubs/opener" "$stubs/xdg-open" "$stubs/notify-send"

printf 'Kjernesvitsj 10.20.1.1/24\npassord: Sommer2024!\n' >"$work/in/nettverk.txt"
printf 'Tilbudet leveres innen fristen.\n' >"$work/in/-brev med mellomrom.txt"
printf 'Servernett 10.1.2.3\n' >"$work/in/mappe/plan.txt"

# run the wrapper the way the desktop does: files as arguments, nothing on standard input
run() { # log name, then environment assignments for env
    log=$work/$1
    shift
    (cd "$work/in" && env PATH="$stubs:$PATH" TMPDIR="$work/tmp" TENDERSCAN="$bin" \
        STUB_LOG="$log" "$@" sh "$drop" nettverk.txt "-brev med mellomrom.txt" mappe \
        </dev/null >"$log.out" 2>"$log.err")
    echo $? >"$log.rc"
}

run nb LANG=nb_NO.UTF-8 BROWSER="$stubs/opener"
check "exit code is tenderscan's (1: findings)" [ "$(cat "$work/nb.rc")" = 1 ]
check "the opener was called once" [ "$(wc -l <"$work/nb.open" 2>/dev/null)" = 1 ]
report=$(cat "$work/nb.open" 2>/dev/null)
case $report in
"$work/tmp/tenderscan."*/rapport.html) ok "the report is in a new folder under TMPDIR" ;;
*) not_ok "the report is in a new folder under TMPDIR (got '$report')" ;;
esac
check "the report file exists" [ -s "$report" ]
folder=$(dirname "$report")
check "its folder has mode 700" [ "$(stat -c %a "$folder")" = 700 ]
check "the report itself is private (600)" [ "$(stat -c %a "$report")" = 600 ]
check "it is an HTML report in Norwegian" grep -q '<html lang="nb">' "$report"
check "it lists every dropped file" sh -c \
    "grep -q 'nettverk.txt' '$report' && grep -q 'brev med mellomrom.txt' '$report' &&
     grep -q 'mappe/plan.txt' '$report'"
check "it says STOPP for the file with a password" grep -q 'STOPP</span> nettverk.txt' "$report"
check "the password is masked" sh -c "! grep -q 'Sommer2024!' '$report'"
check "the notification carries the counts" \
    grep -q '3 filer sjekket: 1 STOPP, 0 FEIL, 1 MÅ VURDERES, 1 OK' "$work/nb.notify"
check "the wrapper prints where the report is" [ "$(cat "$work/nb.out")" = "$report" ]

# no BROWSER: xdg-open from PATH, in English
run en LANG=C BROWSER=
check "without BROWSER xdg-open gets the report" grep -q '/report.html$' "$work/en.xdg"
check "an English report" grep -q '<html lang="en">' "$(cat "$work/en.xdg")"
check "each run gets its own folder" [ "$(dirname "$(cat "$work/en.xdg")")" != "$folder" ]

# BROWSER with alternatives and %s: the first that works is used
run alt LANG=C BROWSER="/nonexistent/browser:$stubs/opener --new-window %s"
check "BROWSER alternatives and %s are honoured" sh -c \
    "[ \"\$(sed -n 1p '$work/alt.open')\" = --new-window ] &&
     sed -n 2p '$work/alt.open' | grep -q '/report.html$'"

# nothing dropped (the launcher double-clicked): a message, exit 2, nothing opened
(cd "$work/in" && env PATH="$stubs:$PATH" TMPDIR="$work/tmp" TENDERSCAN="$bin" \
    STUB_LOG="$work/none" BROWSER="$stubs/opener" LANG=C sh "$drop" </dev/null \
    >/dev/null 2>&1)
check "nothing dropped: exit 2" [ $? -eq 2 ]
check "nothing dropped: nothing opened" [ ! -e "$work/none.open" ]
check "nothing dropped: the user is told" grep -q 'Drop files or folders' "$work/none.notify"

# the launcher and the wrapper themselves
check "the launcher runs the wrapper with the dropped files" \
    grep -qx 'Exec=tenderscan-drop %F' "$tools/tenderscan-drop.desktop"
check "the launcher accepts folders" grep -q 'MimeType=inode/directory;' \
    "$tools/tenderscan-drop.desktop"
if command -v desktop-file-validate >/dev/null 2>&1; then
    check "desktop-file-validate accepts the launcher" \
        desktop-file-validate "$tools/tenderscan-drop.desktop"
else
    echo "ok - desktop-file-validate # SKIP not installed"
fi
if command -v shellcheck >/dev/null 2>&1; then
    check "shellcheck finds nothing in the wrapper" shellcheck -s sh "$drop"
else
    echo "ok - shellcheck # SKIP not installed"
fi
check "the Windows wrapper passes the dropped files on" grep -q -- '-f html -q -o ' \
    "$tools/tenderscan-drop.cmd"

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
