#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job.
#   ./run.sh             the Studio when a display is available, else the terminal
#   ./run.sh --headless  the terminal only
# Today the main job validates and shows the bundled example skill; the optimisation of it
# with the offline sim provider arrives with the optimizer (see README, "What is built").
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${SKILLGRAD_BUILD_DIR:-$root/build}
. "$root/packaging/deps.sh"

headless=0
for arg in "$@"; do
  case "$arg" in
    --headless) headless=1 ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

sg_ensure_packages "${SG_BUILD_PACKAGES[@]}" "${SG_RUNTIME_PACKAGES[@]}"
sg_build "$root" "$build"

cli=$build/app/cli/skillgrad
studio=$build/app/studio/skillgrad-studio
example=$root/resources/examples/table-qa

echo
echo "== The bundled example skill =="
"$cli" validate "$example"
echo
echo "== This machine =="
"$cli" doctor || true
echo
if [ "$headless" -eq 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  echo "Opening the example in SkillGrad Studio (close the window to finish)."
  exec "$studio" "$example"
fi
echo "To look at it in the Studio on a desktop: $studio $example"
