#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Fail when a banned function appears in the sources (STYLE.md "Headers and comments").
top=${1:-.}
hits=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets|alloca)[[:space:]]*\(' \
    "$top"/src/*/*.c "$top"/src/*/*.h "$top"/include/*.h 2>/dev/null | grep -v 'snprintf\|vsnprintf')
if [ -n "$hits" ]; then
    echo "banned functions in use:"; echo "$hits"; exit 1
fi
echo "no banned functions"
