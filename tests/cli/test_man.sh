#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli_man: the man page and `--help` agree (curl's test1139): for every command, the long options
# that `tenderscan CMD --help` prints (in English and in Norwegian) are exactly the ones listed
# under ".SS CMD" in docs/tenderscan.1, and every command of `tenderscan --help` has a section.
#   test_man.sh TENDERSCAN_BINARY MAN_PAGE
set -u
bin=$1
man=$2
fails=0
passed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ts-man-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Long options of one help text: lines such as "  -f, --format FORMAT   …" or "      --lang …".
help_options() {
    sed -n 's/^  \(-[A-Za-z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p; s/^      \(--[a-z0-9-]*\).*/\1/p' |
        sort -u
}

# Long options of one ".SS CMD" section: the first line after each .TP, with \- read as -.
man_options() {
    awk -v cmd="$1" '
        /^\.S[HS] / { insec = ($1 == ".SS" && $2 == cmd); next }
        insec && /^\.TP/ { tp = 1; next }
        insec && tp { print; tp = 0 }
    ' "$man" | sed 's/\\-/-/g' | grep -o -- '--[a-z0-9-]*' | sort -u
}

commands=$("$bin" --help | sed -n '/^Commands:/,$p' | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p')
if [ -z "$commands" ]; then
    echo "not ok - no commands in 'tenderscan --help'"
    exit 1
fi

for cmd in $commands; do
    man_options "$cmd" >"$tmp/man"
    if [ ! -s "$tmp/man" ]; then
        echo "not ok - docs/tenderscan.1 has no options under '.SS $cmd'"
        fails=$((fails + 1))
        continue
    fi
    for lang in en nb; do
        "$bin" "$cmd" --help --lang "$lang" | help_options >"$tmp/help"
        if [ ! -s "$tmp/help" ]; then
            echo "not ok - 'tenderscan $cmd --help --lang $lang' lists no options"
            fails=$((fails + 1))
        elif diff "$tmp/help" "$tmp/man" >"$tmp/diff"; then
            echo "ok - $cmd ($lang): $(wc -l <"$tmp/help") options, help and man page agree"
            passed=$((passed + 1))
        else
            echo "not ok - $cmd ($lang): help (<) and man page (>) differ:"
            sed 's/^/    /' "$tmp/diff"
            fails=$((fails + 1))
        fi
    done
done

# the man page is well-formed roff, where a formatter is at hand
if command -v groff >/dev/null 2>&1; then
    if groff -k -man -ww -z "$man" 2>"$tmp/groff" && [ ! -s "$tmp/groff" ]; then
        echo "ok - groff formats the man page without warnings"
        passed=$((passed + 1))
    else
        echo "not ok - groff warns:"
        sed 's/^/    /' "$tmp/groff"
        fails=$((fails + 1))
    fi
else
    echo "ok - groff # SKIP not installed"
fi

echo "$passed passed, $fails failed"
[ "$fails" -eq 0 ]
