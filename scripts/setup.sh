#!/usr/bin/env bash
# Set up everything the course needs on a fresh machine; safe to run again (it skips what is done).
#   bash scripts/setup.sh            the Python environment, the learner kernel, offline MathJax
#   bash scripts/setup.sh --browser  also Debian's Chromium, for the browser test of the book
#   bash scripts/setup.sh --postgres also Debian's PostgreSQL server, for the gradebook tests
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3.11}
if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup: $PYTHON not found; the course needs Python 3.11 (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

# Debian packages, when we are root; otherwise say what to install.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "setup: please install the Debian packages: $*" >&2
    return 1
  fi
}
# 1. The course environment (.venv): every pinned requirement plus the course's own packages.
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing the Python environment into .venv (a few minutes the first time)"
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r requirements.txt
  .venv/bin/python -m pip install --quiet --no-deps -e .
  .venv/bin/python -m pip check
  echo "$want" > "$stamp"
fi

# 2. The learner kernel: its own small environment, without the reference package on its path;
#    and bubblewrap, the sandbox every graded execution runs in (autograder/sandbox.py).
bash autograder/setup_learner_kernel.sh
command -v bwrap >/dev/null 2>&1 || apt_install bubblewrap

# 3. MathJax served from the built book, so that math renders offline (from the npm registry).
command -v npm >/dev/null 2>&1 || apt_install npm
bash scripts/vendor_mathjax.sh

# 4. Optional system packages.
for arg in "$@"; do
  case "$arg" in
    --browser)
      [ -x /usr/bin/chromium ] || { echo "setup: installing Chromium for the browser test"; apt_install chromium; } ;;
    --postgres)
      compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || { echo "setup: installing PostgreSQL for the gradebook tests"; apt_install postgresql; } ;;
    --fashion-mnist)
      [ -d /usr/share/datasets/fashion-mnist ] || apt_install dataset-fashion-mnist ;;
    *) echo "setup: unknown option $arg" >&2; exit 2 ;;
  esac
done
echo "setup: ready (.venv)"
