#!/usr/bin/env bash
# The main job, on a fresh machine: set up, release the eight assignments (with the learners'
# bundles), build the book that publishes them, write the bundled sample submissions, autograde
# them (nbgrader, learner code in the sandbox) and print the grade table.
#   bash scripts/main.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"   # nbgrader runs alembic as a program

echo "== 1/3 release the assignments (the nbgrader sources, the learner copies and their bundles)"
python -m autograder release

echo "== 2/3 build the book (it publishes the bundles: release comes first)"
mkdir -p _build
if ! jupyter-book build --all -W -n --keep-going . > _build/book.log 2>&1; then
  tail -n 40 _build/book.log
  echo "main: the book build failed; the whole log is in _build/book.log" >&2
  exit 1
fi
grep -E "build succeeded|Your book" _build/book.log || true

echo "== 3/3 autograde the sample submissions"
python -m autograder samples
python -m autograder grade --workers 2
python -m autograder export

echo
echo "Open the book:        $PWD/_build/html/index.html"
echo "Learner copies:       $PWD/_build/course/release/"
echo "Learner bundles:      $PWD/_build/html/_static/assignments/ (linked from every chapter)"
echo "Grades (CSV):         $PWD/_build/course/grades.csv"
