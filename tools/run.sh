#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Quick start: install what is missing, build into build/, and run tenderscan with the arguments.
#   tools/run.sh samples/
set -eu
. "$(cd "$(dirname "$0")" && pwd)/setup.sh"
ts_ensure_packages
ts_build "$TS_TOP/build" -DCMAKE_BUILD_TYPE=Release
exec "$TS_TOP/build/tenderscan" "$@"
