"""The grading kernel "conv-grading": the learner environment's python, with resource limits.

    python -m autograder.grading_kernel      (run by autograder/setup_learner_kernel.sh)

``nbgrader autograde`` runs submissions in this kernel, not in "conv-learner" (the learner's own
interactive kernel, unlimited).  Same interpreter and packages, so ``solutions`` is not
importable either; in addition:

- memory: the kernel's address space is capped (``RLIMIT_AS``, :data:`MEMORY_BYTES`), so a
  runaway allocation raises ``MemoryError`` in the cell, or kills only this kernel, never the
  machine; the judge then scores the items that were not recorded zero, with the reason;
- CPU threads: one BLAS/OpenMP thread, so parallel grading workers do not fight over cores and
  timings (assignment 8's speed-up) compare like with like;
- ``PYTHONPATH`` is emptied and matplotlib draws off-screen.

The limits are set by a few lines of Python passed with ``-c`` before ipykernel starts, so the
kernel needs no file of the repository.
"""

import json
import sys
from pathlib import Path

from autograder.check import LEARNER_PYTHON
from autograder.course_config import GRADING_KERNEL
from autograder.spec import REPOSITORY

MEMORY_BYTES = 3 * 1024**3

LAUNCHER = """\
import os, resource, sys
limit = int(os.environ.get("GRADING_MEMORY_BYTES", "0"))
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from ipykernel import kernelapp
kernelapp.launch_new_instance()
"""


def kernel_spec(python=LEARNER_PYTHON, memory_bytes=MEMORY_BYTES):
    """The kernel.json dict of the grading kernel."""
    threads = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    return {
        "argv": [str(python), "-c", LAUNCHER, "-f", "{connection_file}"],
        "display_name": "Python 3 (conv-grading, limited)",
        "language": "python",
        "env": {
            "PYTHONPATH": "",
            "MPLBACKEND": "Agg",
            "GRADING_MEMORY_BYTES": str(memory_bytes),
            **threads,
        },
        "metadata": {"debugger": False},
    }


def install(prefix=REPOSITORY / ".venv"):
    """Write the kernel spec where the main environment's Jupyter finds it; return its folder."""
    folder = Path(prefix) / "share" / "jupyter" / "kernels" / GRADING_KERNEL
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(kernel_spec(), indent=1))
    return folder


if __name__ == "__main__":
    print(f"grading kernel '{GRADING_KERNEL}' ready: {install()}", file=sys.stderr)
