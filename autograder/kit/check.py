"""Learner's check: run a notebook's cells and its visible tests; exit 1 when one fails.

    python -m grading_kit.check 01_unroll.ipynb      (in the released assignment folder)
    python -m autograder.check path/to/01_unroll.ipynb   (from the repository)

``nbgrader validate`` exits 0 even when a test fails; this command does not.  It needs only the
standard library, NumPy and the notebook's folder (grading_kit/ and fixtures.npz next to it): the
cells run in a separate process of the same python, in that folder, like a fresh kernel would.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

KIT_NAME = "grading_kit"  # the kit's name in a released folder, where the cells run


def notebook_cells(path):
    """Code cells of a notebook as run_cells jobs, each with an id naming it in the report."""
    notebook = json.loads(Path(path).read_text())
    cells = []
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        cells.append({"grade_id": grade_id or f"cell {number}", "source": source})
    return cells


def run(path, python=sys.executable):
    """Execute the notebook's code cells; return {cell id: outputs}."""
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        job, result = Path(scratch) / "job.json", Path(scratch) / "result.json"
        job.write_text(json.dumps({"cells": notebook_cells(path)}))
        subprocess.run(
            [python, "-m", f"{KIT_NAME}.run_cells", str(job), str(result)],
            cwd=path.parent,
            check=True,
        )
        return json.loads(result.read_text())


def failures(results):
    """[(cell id, error text)] for every cell that raised, visible tests first."""
    found = []
    for cell_id, outputs in results.items():
        for output in outputs:
            if output.get("output_type") == "error":
                found.append((cell_id, f"{output['ename']}: {output['evalue']}"))
    return sorted(found, key=lambda failure: not failure[0].startswith("visible_"))


def main(argv=None, python=sys.executable):
    """Run the check; ``python`` executes the cells (the learner environment's, ideally)."""
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m grading_kit.check NOTEBOOK.ipynb", file=sys.stderr)
        return 2
    results = run(argv[0], python)
    visible = [cell_id for cell_id in results if cell_id.startswith("visible_")]
    failed = failures(results)
    for cell_id, text in failed:
        print(f"\nFAILED {cell_id}:\n{text}")
    passed = len(visible) - len({cell_id for cell_id, _ in failed if cell_id in visible})
    print(
        f"\n{passed} of {len(visible)} visible tests passed; {len(failed)} cell(s) raised an error"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
