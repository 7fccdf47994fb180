#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job: an optimisation of the bundled
# example skill (table-qa) with the offline sim provider, in ./demo-workspace (reset each run).
#   ./run.sh             then opens the result in the Studio when a display is available
#   ./run.sh --headless  the terminal only
# The sim provider is a simulator: its scores are synthetic, never an accuracy claim.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=${SKILLGRAD_BUILD_DIR:-$root/build}
. "$root/packaging/deps.sh"

headless=0
for arg in "$@"; do
  case "$arg" in
    --headless) headless=1 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $arg (try --help)" >&2; exit 2 ;;
  esac
done

sg_ensure_packages "${SG_BUILD_PACKAGES[@]}" "${SG_RUNTIME_PACKAGES[@]}"
sg_build "$root" "$build"

cli=$build/app/cli/skillgrad
studio=$build/app/studio/skillgrad-studio
demo=$root/demo-workspace

# Reset the demo workspace, but never delete a folder that is not one of ours.
if [ -e "$demo" ]; then
  if [ ! -f "$demo/skillgrad.json" ]; then
    echo "run.sh: $demo exists and is not a SkillGrad workspace; move it away first" >&2
    exit 2
  fi
  rm -rf "$demo"
fi

echo
echo "== A demo workspace from the bundled example =="
"$cli" init "$demo" --example table-qa
echo
echo "== Optimising it with the offline sim provider (simulated scores) =="
"$cli" --workspace "$demo" optimize --provider sim
echo
echo "== The versions it committed =="
"$cli" --workspace "$demo" log
echo
if [ "$headless" -eq 0 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  echo "Opening the result in SkillGrad Studio (close the window to finish)."
  exec "$studio" "$demo"
fi
echo "To open the result in the Studio on a desktop: $studio $demo"
