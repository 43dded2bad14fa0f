#!/usr/bin/env bash
# `make test`: install what is missing (everything), check every law file, then run the tests.
# Extra arguments go to pytest, e.g. tests/test_law.py or -x.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh full
.venv/bin/keicar data validate
exec .venv/bin/python -m pytest "$@"
