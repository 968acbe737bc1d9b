#!/usr/bin/env bash
# Create the learner environment and register it as the Jupyter kernel "conv-learner".
#
# Why a second environment: the main .venv has the repository installed editable, so any kernel
# running its python can `import solutions` (the reference answers).  Learner notebooks, during
# `nbgrader autograde` and `python -m autograder.check`, run in .venv-learner instead, which holds
# only numpy, matplotlib and ipykernel at the versions pinned in requirements.txt.
#
# Usage (from anywhere):  bash autograder/setup_learner_kernel.sh
# Idempotent: re-running reinstalls nothing that is already there.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
main_python="$repo/.venv/bin/python"
learner="$repo/.venv-learner"

# Same interpreter as the main environment, so compiled wheels match.
base_python="$("$main_python" -c 'import sys; print(sys._base_executable)')"
[ -x "$learner/bin/python" ] || "$base_python" -m venv "$learner"

# Pin everything (including ipykernel's dependencies) to what the main environment already runs,
# so the learner kernel and the grader agree on numpy and jupyter_client versions.
constraints="$(mktemp)"
trap 'rm -f "$constraints"' EXIT
"$main_python" -m pip freeze --exclude-editable | grep -v '^-e ' > "$constraints"
pins="$(grep -E '^(numpy|matplotlib|ipykernel)==' "$repo/requirements.txt")"
# shellcheck disable=SC2086
"$learner/bin/python" -m pip install --quiet --disable-pip-version-check -c "$constraints" $pins \
    2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

# Register the kernel inside the main environment's Jupyter data path, so nbgrader and nbclient
# (which run from .venv) find it.  PYTHONPATH is emptied so a caller's environment cannot leak
# the repository into the learner kernel.
"$learner/bin/python" -m ipykernel install --prefix "$repo/.venv" --name conv-learner \
    --display-name "Python 3 (conv-learner)" --env PYTHONPATH "" >/dev/null 2>&1

# Prove the separation: the learner kernel must not see the reference package.  Run from / so
# the current directory (which `python -c` puts on sys.path) cannot be the repository.
if (cd / && "$learner/bin/python" -c 'import importlib.util, sys
sys.exit(importlib.util.find_spec("solutions") is None)'); then
    echo "setup_learner_kernel: ERROR: 'solutions' is importable in $learner" >&2
    exit 1
fi
echo "learner kernel 'conv-learner' ready: $learner/bin/python"
