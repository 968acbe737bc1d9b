#!/usr/bin/env bash
# The test command: set up on a fresh machine, lint, then run the whole test suite (the book build
# and its browser check, the reference against its oracles, the assignments through nbgrader, the
# wrong-implementation catalogue, the loaders and a short real training run).
#   bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser --postgres
echo "== ruff"
.venv/bin/ruff check .
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
