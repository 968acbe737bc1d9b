"""Learner's check: run a notebook's cells and its visible tests; exit 1 when one fails.

    python -m grading_kit.check 01_unroll.ipynb      (in the released assignment folder)
    python -m autograder.check path/to/01_unroll.ipynb   (from the repository)

It prints the message of every task whose visible tests fail, the error of every cell that
raised, and the per-task summary the notebook's last cell prints; it exits 1 when a visible test
failed or did not run or a cell raised, 0 when every task passes.  What stops it before the tests
can say anything (no notebook, no kit or fixtures next to it, no NumPy, a Python older than 3.10,
cells that end the process) is one line on stderr, exit status 2.

It needs only the standard library, NumPy and the notebook's folder (grading_kit/ and
fixtures.npz next to it): the cells run in a separate process of the same python (``--run``), in
that folder, like a fresh kernel would; what they print is not shown.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

KIT_NAME = "grading_kit"  # the kit's name in a released folder, where the cells run
FIXTURES = "fixtures.npz"
OLDEST_PYTHON = (3, 10)


class CheckProblem(Exception):
    """Why the check could not run the notebook (one line for the learner)."""


def notebook_cells(path):
    """Code cells of a notebook as run_cells jobs, each with an id naming it in the report."""
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
        cells = notebook["cells"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise CheckProblem(
            f"{path} is not a Jupyter notebook ({type(error).__name__}: {error})"
        ) from None
    jobs = []
    for number, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        jobs.append({"grade_id": grade_id or f"cell {number}", "source": source})
    return jobs


def run(path, python=sys.executable):
    """Execute the notebook's code cells in a fresh ``python`` in the notebook's folder; return
    {"cells": {cell id: outputs}, "visible": visible.RESULTS, "items": [...], "summary": text}.

    Raises :class:`CheckProblem` when the notebook cannot be checked."""
    path = Path(path).resolve()
    if not path.is_file():
        raise CheckProblem(f"no notebook at {path}")
    folder = path.parent
    if not (folder / KIT_NAME).is_dir() or not (folder / FIXTURES).is_file():
        raise CheckProblem(
            f"{folder} has no {KIT_NAME}/ and {FIXTURES}: check the notebook inside its "
            "assignment folder (the one it was released or downloaded in)"
        )
    cells = notebook_cells(path)
    with tempfile.TemporaryDirectory() as scratch:
        job, result = Path(scratch) / "job.json", Path(scratch) / "result.json"
        job.write_text(json.dumps({"cells": cells}))
        try:
            completed = subprocess.run(
                [python, "-m", f"{KIT_NAME}.check", "--run", str(job), str(result)],
                cwd=folder,
                capture_output=True,
                text=True,
            )
        except OSError as error:
            raise CheckProblem(f"cannot start {python}: {error}") from None
        if not result.exists():
            last = (completed.stderr.strip().splitlines() or ["no message"])[-1]
            raise CheckProblem(
                "the notebook's cells ended the check's Python process "
                f"(exit status {completed.returncode}): {last}"
            )
        found = json.loads(result.read_text())
    if found.get("problem"):
        raise CheckProblem(found["problem"])
    return found


def run_job(job_path, result_path):
    """The child process: run the job's cells here; write what :func:`run` returns."""
    problem = ""
    if sys.version_info < OLDEST_PYTHON:
        version = ".".join(map(str, sys.version_info[:3]))
        problem = f"Python 3.10 or newer is needed; {sys.executable} is Python {version}"
    else:
        try:
            import numpy  # noqa: F401 (the kit's only dependency)
        except ImportError:
            problem = (
                f"NumPy is not installed for {sys.executable}: install it (pip install numpy) "
                "or use the Python you do the course with"
            )
    if problem:
        Path(result_path).write_text(json.dumps({"problem": problem}))
        return
    from . import run_cells, visible

    cells = json.loads(Path(job_path).read_text())["cells"]
    outputs = run_cells.run(cells)
    items = visible.fixture_items()
    found = {
        "cells": outputs,
        "visible": visible.RESULTS,
        "items": items,
        "summary": visible.summary_text(items),
    }
    Path(result_path).write_text(json.dumps(found))


def errors(outputs):
    """[(cell id, "Name: message")] of every cell that raised, in notebook order."""
    return [
        (cell_id, f"{output['ename']}: {output['evalue']}")
        for cell_id, cell_outputs in outputs.items()
        for output in cell_outputs
        if output.get("output_type") == "error"
    ]


def report(found):
    """(text, passed) of a run: failing tasks' messages, cells that raised, the summary."""
    results = found["visible"]
    failed = [
        results[item]["message"]
        for item in found["items"]
        if item in results and results[item]["passed"] < results[item]["cases"]
    ]
    raised = [f"cell {cell_id} raised {text}" for cell_id, text in errors(found["cells"])]
    passed = not failed and not raised and all(item in results for item in found["items"])
    parts = failed + (["\n".join(raised)] if raised else []) + [found["summary"]]
    return "\n\n".join(parts), passed


def main(argv=None, python=sys.executable):
    """Run the check; ``python`` executes the cells (the learner environment's, ideally)."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) == 3 and argv[0] == "--run":
        run_job(argv[1], argv[2])
        return 0
    if len(argv) != 1 or argv[0].startswith("-"):
        print("usage: python -m grading_kit.check NOTEBOOK.ipynb", file=sys.stderr)
        return 2
    try:
        found = run(argv[0], python)
    except CheckProblem as problem:
        print(f"check: {problem}", file=sys.stderr)
        return 2
    text, passed = report(found)
    print(text)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
