#!/usr/bin/env bash
# Installs what the live real-browser comparison needs, idempotently:
#   Debian's chromium and firefox-esr (apt), and Playwright's Python package (pip; never
#   `playwright install`: the Debian Chromium is driven through executable_path).
# Usage: scripts/install_browsers.sh [PYTHON]   (default: $PYTHON, else python3)
# Never fails CI: where apt or pip cannot do it, it says so and exits 0, and the live
# comparison (scripts/record_goldens.py --check) is then skipped by the caller, which should
# test for the browsers itself (`command -v chromium`).
set -uo pipefail
PY=${1:-${PYTHON:-python3}}

have_all=1
for bin in chromium firefox-esr; do
  command -v "$bin" >/dev/null 2>&1 || have_all=0
done

if [ "$have_all" -eq 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install_browsers: apt-get not available; skipping the real-browser comparison" \
         "(install chromium and firefox-esr by hand to run it)" >&2
  elif [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
    echo "install_browsers: not root and no sudo; skipping the real-browser comparison" >&2
  else
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
    export DEBIAN_FRONTEND=noninteractive
    if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium firefox-esr; } \
        >/tmp/install_browsers.apt.log 2>&1; then
      echo "install_browsers: apt-get install chromium firefox-esr failed (see" \
           "/tmp/install_browsers.apt.log); skipping the real-browser comparison" >&2
    fi
  fi
fi

if ! "$PY" -c "import playwright" >/dev/null 2>&1; then
  if ! "$PY" -m pip install -q "playwright>=1.40" >/tmp/install_browsers.pip.log 2>&1; then
    echo "install_browsers: pip install playwright failed (see /tmp/install_browsers.pip.log);" \
         "skipping the real-browser comparison" >&2
  fi
fi

for bin in chromium firefox-esr; do
  if command -v "$bin" >/dev/null 2>&1; then
    echo "install_browsers: $("$bin" --version 2>/dev/null | head -1)"
  else
    echo "install_browsers: $bin missing"
  fi
done
"$PY" -c "import importlib.metadata as m; print('install_browsers: playwright', m.version('playwright'))" \
  2>/dev/null || echo "install_browsers: playwright missing"
exit 0
