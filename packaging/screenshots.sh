#!/bin/sh
# Regenerates docs/screenshots/ from the real Studio: a sim run of the bundled example in the
# main window, then a grab() of each view (offscreen; no display needed).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
cmake --build "$build" --target studio_screenshots
mkdir -p "$root/docs/screenshots"
QT_QPA_PLATFORM=offscreen "$build/tests/ui/studio_screenshots" "$root/docs/screenshots"
