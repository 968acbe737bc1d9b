"""Grade an assignment's catalogue of known answers quickly, without Jupyter kernels.

    python -m autograder.catalogue [ASSIGNMENT ...] [--workers 2]

For each assignment it grades, with the same judge as ``nbgrader autograde``:
    model          the answers in the source notebook        -> full marks on every item
    stub           every answer replaced by the release stub -> zero on every item
    mistakes/*.py  known wrong answers  -> lose points on the items in BREAKS, with the named
                                           diagnosis among the most frequent; full marks elsewhere
    alternatives/*.py  other correct answers                 -> full marks on every item

Fast path: instead of a kernel per submission, the notebook's code cells run in one plain
process of the learner environment (grading_kit/run_cells.py), in the built source folder, so
``solutions`` is not importable there either.  Order: setup and model answer cells, then the
variant's file (after deleting the model's version of every name the file defines or imports, so
an answer that fails to import scores zero), then every hidden test cell.
Exit status 1 when any expectation fails.
"""

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.build import COURSE_DIR, KIT_NAME, build_assignment
from autograder.check import LEARNER_PYTHON
from autograder.judge import judge_item
from autograder.spec import assignment_ids, load_assignment

SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION.*?### END SOLUTION", re.DOTALL)
STUB = "raise NotImplementedError()"
RUN_TIMEOUT_SECONDS = 120


@dataclass
class Variant:
    """One answer to grade: its name, code run after the model answers, and what it should score.

    ``breaks`` maps item -> expected diagnosis key (or None: must lose points, any diagnosis);
    ``None`` for the whole dict means "every item scores zero" (the stub).
    """

    name: str
    code: str = ""
    breaks: dict | None = field(default_factory=dict)
    stub: bool = False


@dataclass
class Outcome:
    """A graded variant: scores per item, the verdicts, problems with its expectations."""

    variant: Variant
    verdicts: dict
    seconds: float
    problems: list

    @property
    def ok(self):
        return not self.problems


def bound_names(code):
    """Names a variant file binds at top level (its defs and imports): they replace the model's."""
    names = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.extend((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def declared_breaks(path):
    """The ``BREAKS`` dict of a mistake file, read without executing the file."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "BREAKS" for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise ValueError(f"{path}: a mistake file must define BREAKS = {{item: diagnosis key}}")


def variants(assignment):
    """Model, stub, every mistake and every alternative of an assignment."""
    found = [Variant("model"), Variant("stub", breaks=None, stub=True)]
    for path in sorted((assignment.folder / "mistakes").glob("*.py")):
        found.append(Variant(f"mistakes/{path.name}", path.read_text(), declared_breaks(path)))
    for path in sorted((assignment.folder / "alternatives").glob("*.py")):
        found.append(Variant(f"alternatives/{path.name}", path.read_text()))
    return found


def job_cells(notebook, variant):
    """The cells to run for a variant, in the fast path's order (see the module docstring)."""
    setup, hidden = [], []
    for cell in notebook.cells:
        metadata = cell.metadata.get("nbgrader", {})
        grade_id = metadata.get("grade_id", "")
        if cell.cell_type != "code" or grade_id.startswith("visible_"):
            continue
        if metadata.get("grade"):
            hidden.append({"grade_id": grade_id, "source": cell.source})
        elif metadata.get("solution") and variant.stub:
            setup.append({"source": SOLUTION_REGION.sub(STUB, cell.source)})
        else:
            setup.append({"source": cell.source})
    if variant.code:
        names = bound_names(variant.code)
        deleted = "".join(f"globals().pop({name!r}, None)\n" for name in names)
        setup.append({"source": deleted + variant.code})
    return setup + hidden


def run_job(cells, folder, learner_python):
    """Run cells with the learner python in ``folder``; return {grade_id: outputs}."""
    with tempfile.TemporaryDirectory() as scratch:
        job, result = Path(scratch) / "job.json", Path(scratch) / "result.json"
        job.write_text(json.dumps({"cells": cells}))
        environment = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        environment["MPLBACKEND"] = "Agg"
        subprocess.run(
            [str(learner_python), "-m", f"{KIT_NAME}.run_cells", str(job), str(result)],
            cwd=folder,
            env=environment,
            timeout=RUN_TIMEOUT_SECONDS,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return json.loads(result.read_text())


def expectation_problems(assignment, variant, verdicts):
    """Why the verdicts differ from what the variant should score (empty when they agree)."""
    problems = []
    for item in assignment.items:
        verdict = verdicts[item.name]
        if variant.breaks is None:
            if verdict.score != 0:
                problems.append(f"{item.name}: scored {verdict.score}, expected 0")
        elif item.name not in variant.breaks:
            if verdict.score != verdict.points:
                problems.append(
                    f"{item.name}: scored {verdict.score} of {verdict.points}, "
                    f"expected full marks\n{verdict.report()}"
                )
        else:
            key = variant.breaks[item.name]
            main = [found for found, _, _ in verdict.main_mistakes()]
            if verdict.score >= verdict.points:
                problems.append(f"{item.name}: full marks, expected to lose points")
            elif key is not None and key not in main:
                problems.append(
                    f"{item.name}: most likely mistakes {main}, expected {key!r}\n"
                    f"{verdict.report()}"
                )
    return problems


def grade_variant(assignment, notebook, folder, variant, learner_python=LEARNER_PYTHON):
    """Run and judge one variant; return its :class:`Outcome`."""
    start = time.perf_counter()
    outputs = run_job(job_cells(notebook, variant), folder, learner_python)
    verdicts = {
        item.name: judge_item(item, outputs.get(item.hidden_id, [])) for item in assignment.items
    }
    problems = expectation_problems(assignment, variant, verdicts)
    return Outcome(variant, verdicts, time.perf_counter() - start, problems)


def run_catalogue(assignment_id, workers=2, course_dir=COURSE_DIR, learner_python=LEARNER_PYTHON):
    """Build the assignment, then grade all its variants; return the list of outcomes."""
    assignment = load_assignment(assignment_id)
    folder = build_assignment(assignment_id, course_dir)
    notebook = nbformat.read(folder / f"{assignment_id}.ipynb", as_version=4)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(
            pool.map(
                lambda variant: grade_variant(
                    assignment, notebook, folder, variant, learner_python
                ),
                variants(assignment),
            )
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    failed = 0
    for assignment_id in args.assignments or assignment_ids():
        start = time.perf_counter()
        outcomes = run_catalogue(assignment_id, args.workers)
        for outcome in outcomes:
            scores = "  ".join(
                f"{name} {verdict.score:g}/{verdict.points:g}"
                for name, verdict in outcome.verdicts.items()
            )
            status = "ok  " if outcome.ok else "FAIL"
            print(
                f"{status} {assignment_id} {outcome.variant.name:38} {scores}  "
                f"({outcome.seconds:.1f} s)"
            )
            for problem in outcome.problems:
                print("     " + problem.replace("\n", "\n     "))
            failed += not outcome.ok
        print(f"{assignment_id}: {len(outcomes)} variants in {time.perf_counter() - start:.1f} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
