"""``python -m autograder.check NOTEBOOK``: the learner's check, see autograder/kit/check.py.

It imports only the grading kit (standard library and NumPy), never ``solutions``, so it runs in
the learner environment as well as in the main one.  The notebook's cells run with the learner
environment's python when it exists (as during grading, ``solutions`` is then not importable),
else with the current one.
"""

import sys
from pathlib import Path

from autograder.kit.check import main

LEARNER_PYTHON = Path(__file__).resolve().parents[1] / ".venv-learner" / "bin" / "python"

if __name__ == "__main__":
    sys.exit(main(python=str(LEARNER_PYTHON) if LEARNER_PYTHON.exists() else sys.executable))
