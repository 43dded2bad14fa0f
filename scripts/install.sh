#!/usr/bin/env bash
# Install what keicar needs into .venv, on a fresh Debian machine or an existing one; quick
# (well under a second) when .venv already holds this pyproject.toml's install.
#   scripts/install.sh core   the library and CLI only (what `make demo` needs)
#   scripts/install.sh [full] every extra and the test tools (web, Spark, plots, pytest), plus
#                             Debian's headless Chromium, its driver and a Japanese font for the
#                             browser test, and Java for Spark
# A stamp file, .venv/.keicar-install, records the profile and a hash of pyproject.toml and this
# script; it is written last, so an interrupted install is redone next time.
set -euo pipefail
cd "$(dirname "$0")/.."
profile="${1:-full}"
case "$profile" in
  core|full) ;;
  *) echo "usage: bash scripts/install.sh [core|full]" >&2; exit 2 ;;
esac

key="$(cat pyproject.toml scripts/install.sh | sha256sum | cut -d' ' -f1)"
stamp=.venv/.keicar-install
stamped() { [ -f "$stamp" ] && grep -qx "$1 $key" "$stamp"; }
system_ready() {
  [ "$profile" = core ] && return 0
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v java >/dev/null
}
if { stamped full || { [ "$profile" = core ] && stamped core; }; } && system_ready \
    && .venv/bin/python -c "import keicar" 2>/dev/null; then
  exit 0
fi

updated=""
apt_install() {  # Debian packages, as root or through sudo; the package lists are read once
  local as_root=""
  [ "$(id -u)" = 0 ] || as_root="sudo"
  if [ -z "$updated" ]; then $as_root apt-get update -q; updated=1; fi
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -q "$@"
}

if ! command -v python3 >/dev/null || ! python3 -c "import ensurepip, venv" 2>/dev/null; then
  apt_install python3 python3-venv
fi
if [ "$profile" = full ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    apt_install chromium chromium-driver fonts-ipafont-gothic
  fi
  command -v java >/dev/null || apt_install default-jre-headless
fi

rm -f "$stamp"
if ! .venv/bin/python -c "pass" 2>/dev/null; then
  python3 -m venv --clear .venv
  .venv/bin/pip install --quiet --upgrade pip
fi
if [ "$profile" = full ]; then
  .venv/bin/pip install --quiet -e ".[test,spark]"
else
  .venv/bin/pip install --quiet -e .
fi
echo "$profile $key" > "$stamp"
