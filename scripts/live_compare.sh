#!/usr/bin/env bash
# The live real-browser check: every conformance scenario run again in real Chromium and
# Firefox and compared with its stored golden (scripts/record_goldens.py --check), so the
# goldens cannot drift from the real browsers.
#
#   scripts/live_compare.sh [PYTHON] [record_goldens options, e.g. --browser chromium NAME...]
#
# Installs what is missing first (scripts/install_browsers.sh: Debian's chromium and
# firefox-esr with apt, Playwright's Python package with pip). Exit codes:
#   0  every scenario matches (or matched on its one retry), or nothing could be checked
#      here because the browsers / Playwright cannot be installed (no apt, no network): a
#      "SKIPPED" line says so; a browser that is present is still checked
#   1  a real divergence: a scenario differs from its golden twice in a row
#   3  the check itself broke (a scenario could not run twice in a row, in a browser that
#      ran the others)
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-}
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ] && [ -x "$1" ]; then
  PY=$1
  shift
fi
if [ -z "$PY" ]; then
  if [ -x .venv-ci/bin/python ]; then PY=.venv-ci/bin/python
  elif [ -x /work/venv/bin/python ]; then PY=/work/venv/bin/python
  else PY=$(command -v python3)
  fi
fi

start=$(date +%s)
scripts/install_browsers.sh "$PY" | sed 's/^/live_compare: /'

have_chromium=0
have_firefox=0
command -v chromium >/dev/null 2>&1 && have_chromium=1
{ command -v firefox-esr >/dev/null 2>&1 || command -v firefox >/dev/null 2>&1; } && have_firefox=1
have_playwright=0
"$PY" -c "import playwright.async_api" >/dev/null 2>&1 && have_playwright=1

# Chromium is driven through Playwright; Firefox only needs the browser (WebDriver BiDi)
browsers=()
[ "$have_chromium" -eq 1 ] && [ "$have_playwright" -eq 1 ] && browsers+=(chromium)
[ "$have_firefox" -eq 1 ] && browsers+=(firefox)
if [ ${#browsers[@]} -eq 0 ]; then
  echo "live_compare: SKIPPED: no usable real browser here (chromium=$have_chromium," \
       "playwright=$have_playwright, firefox=$have_firefox) and they could not be installed;" \
       "the stored goldens were not re-checked"
  exit 0
fi
if [ ${#browsers[@]} -eq 1 ]; then
  echo "live_compare: only ${browsers[0]} is usable here; the other browser is SKIPPED"
  which=${browsers[0]}
else
  which=both
fi

"$PY" scripts/record_goldens.py --check --retries 1 --skip-missing --browser "$which" "$@"
rc=$?
secs=$(( $(date +%s) - start ))
case $rc in
  0) echo "live_compare: OK: the real browsers match every golden (${secs} s)"; exit 0 ;;
  1) echo "live_compare: DIVERGENCE: a real browser no longer matches a golden (above; ${secs} s)." \
          "Re-record with scripts/record_goldens.py NAME --repeat 2 if the browser changed."
     exit 1 ;;
  2) echo "live_compare: SKIPPED: the browsers could not be started here (above; ${secs} s)"
     exit 0 ;;
  3) echo "live_compare: BROKEN: no divergence, but a scenario could not be run (above;" \
          "${secs} s)"
     exit 3 ;;
  *) echo "live_compare: the check itself failed (exit $rc, ${secs} s)"; exit 3 ;;
esac
