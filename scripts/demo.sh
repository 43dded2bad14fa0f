#!/usr/bin/env bash
# `make demo`: install what is missing (the library and CLI), then run the main job on the
# built-in example. Extra arguments go to `keicar check`, e.g. --json or --state RI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh core
exec .venv/bin/keicar check --example "$@"
