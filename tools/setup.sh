# SPDX-License-Identifier: GPL-3.0-or-later
# Shared set-up for tools/run.sh and tools/test.sh: Debian packages and the CMake build.
# Sourced, not run. Everything it prints goes to standard error.

TS_TOP=$(cd "$(dirname "$0")/.." && pwd)

# What the build and the tests need, one Debian package each (README says why).
TS_PACKAGES="gcc g++ make cmake pkg-config libpcre2-dev libjansson-dev libssl-dev libzip-dev
libcmocka-dev libxml2-dev libpoppler-glib-dev libcairo2-dev zlib1g-dev libexif-dev
python3-jsonschema fonts-dejavu-core libgsf-1-dev libtesseract-dev libleptonica-dev
tesseract-ocr-nor tesseract-ocr-eng libpng-dev libjpeg-dev"

# Installed by tools/test.sh only, when it can (the tests that need them skip without them):
# chromium opens the HTML report for real in report_browser; clang with its sanitizer and
# libFuzzer runtimes (libclang-rt-dev, only recommended by clang) builds the fuzz targets that
# tools/fuzz.sh runs.
TS_TEST_PACKAGES="chromium clang libclang-rt-dev"

# ts_missing_packages [LIST]: the packages of LIST (default TS_PACKAGES) that are not installed.
ts_missing_packages() {
    missing=""
    for p in ${1:-$TS_PACKAGES}; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing="$missing $p"
        fi
    done
    echo "$missing"
}

ts_ensure_packages() {
    missing=$(ts_missing_packages)
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "tenderscan: installing Debian packages:$missing" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >&2 || true
        # shellcheck disable=SC2086
        apt-get install -y -q --no-install-recommends $missing >&2
    else
        echo "tenderscan: these Debian packages are missing. Install them with:" >&2
        echo "  sudo apt-get install -y$missing" >&2
        exit 1
    fi
}

# Install TS_TEST_PACKAGES when running as root; otherwise say which tests will be skipped.
ts_optional_packages() {
    missing=$(ts_missing_packages "$TS_TEST_PACKAGES")
    [ -z "$missing" ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        echo "tenderscan: installing optional test packages:$missing" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >&2 || true
        # shellcheck disable=SC2086
        apt-get install -y -q --no-install-recommends $missing >&2 ||
            echo "tenderscan: could not install$missing: the tests that need it are skipped" >&2
    else
        echo "tenderscan: not installed (the tests that need it are skipped):$missing" >&2
    fi
}

# ts_build DIR [cmake options...]: configure once, then build (incremental).
ts_build() {
    dir=$1
    shift
    if [ ! -f "$dir/CMakeCache.txt" ]; then
        cmake -S "$TS_TOP" -B "$dir" "$@" >&2
    fi
    jobs=$(nproc 2>/dev/null || echo 2)
    cmake --build "$dir" -j "$jobs" >&2
}
