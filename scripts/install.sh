#!/usr/bin/env bash
# Install everything keicar and its tests need, on a fresh machine: Debian's headless Chromium
# (and a Japanese font) for the browser test, then a virtual environment in .venv with every
# extra (web, Spark — which needs Java 17 —, plots, tests).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  as_root=""; [ "$(id -u)" = 0 ] || as_root="sudo"
  $as_root apt-get update -q
  DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -q chromium chromium-driver fonts-ipafont-gothic
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e ".[test,spark]"
