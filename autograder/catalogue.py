"""Grade an assignment's catalogue of known answers quickly, without Jupyter kernels.

    python -m autograder.catalogue [ASSIGNMENT ...] [--workers 2]

For each assignment it grades, with the same judge as ``nbgrader autograde``:
    model          the answers in the source notebook        -> full marks on every item
    stub           every answer replaced by the release stub -> zero on every item
    mistakes/*.py  known wrong answers  -> lose points on the items in BREAKS, with the named
                                           diagnosis among the most frequent; full marks elsewhere
    alternatives/*.py  other correct answers                 -> full marks on every item

It also measures the feedback (exercises/FORMAT.md, "Known mistakes"):
    named          for every mistake and item it breaks with a declared diagnosis key, the share
                   of the item's failing hidden cases whose report names that key (one line per
                   mistake), and the catalogue-wide share over all those failing cases; target
                   NAMED_TARGET (90%)
    false alarms   every diagnosis is run on every hidden case of the model and the alternatives,
                   passing cases included: none may match a correct answer

Fast path: instead of a kernel per submission, the notebook's code cells run in one plain
process of the learner environment (grading_kit/run_cells.py), in the built source folder, so
``solutions`` is not importable there either.  Order: setup and model answer cells, then the
variant's file (after deleting the model's version of every name the file defines or imports, so
an answer that fails to import scores zero), then every hidden test cell.
Exit status 1 when any expectation fails, a diagnosis matches a correct answer, or the named
share is below the target.
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
from autograder.diagnose import Attempt, likely_mistakes
from autograder.judge import find_record, judge_item, reference_outputs
from autograder.kit.cases import make_inputs
from autograder.kit.record import decode
from autograder.spec import assignment_ids, load_assignment

SOLUTION_REGION = re.compile(r"### BEGIN SOLUTION.*?### END SOLUTION", re.DOTALL)
STUB = "raise NotImplementedError()"
RUN_TIMEOUT_SECONDS = 120
NAMED_TARGET = 0.9  # share of a catalogued mistake's failing cases whose report names it


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

    @property
    def correct(self):
        """True for the model and the alternatives: answers no diagnosis may ever match."""
        return not self.stub and not self.breaks


@dataclass
class Naming:
    """How often the report of an item a mistake breaks names the diagnosis the mistake declares.

    ``failing`` counts the item's failing hidden cases (every case when the item scored zero
    without per-case results, e.g. the answer did not import); ``named`` those whose report
    lists ``key`` among its likely mistakes.
    """

    variant: str
    item: str
    key: object  # a diagnosis key, or a tuple of keys (see keys_of)
    failing: int
    named: int

    @property
    def share(self):
        return self.named / self.failing if self.failing else 0.0


@dataclass
class Outcome:
    """A graded variant: scores per item, the verdicts, problems with its expectations, how often
    its declared diagnoses were named, and diagnoses that matched a correct answer."""

    variant: Variant
    verdicts: dict
    seconds: float
    problems: list
    namings: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems and not self.false_alarms


def bound_names(code):
    """Names a variant file binds at top level (its defs and imports): they replace the model's."""
    names = []
    for node in ast.parse(code).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.extend((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def keys_of(key):
    """The diagnosis keys a BREAKS value accepts: one key, or a tuple of keys for a mistake that
    is two at once (e.g. stride read as dilation AND dilation ignored), any of which names it."""
    return key if isinstance(key, tuple) else (key,)


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
        # the learner code's own warnings (overflow in a known mistake...) are not shown; a
        # crash of the runner is, with its stderr
        completed = subprocess.run(
            [str(learner_python), "-m", f"{KIT_NAME}.run_cells", str(job), str(result)],
            cwd=folder,
            env=environment,
            timeout=RUN_TIMEOUT_SECONDS,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"run_cells failed ({completed.returncode}):\n{completed.stderr}")
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
            elif key is not None and not set(keys_of(key)) & set(main):
                problems.append(
                    f"{item.name}: most likely mistakes {main}, expected {key!r}\n"
                    f"{verdict.report()}"
                )
    return problems


def namings(assignment, variant, verdicts):
    """One :class:`Naming` per item the mistake breaks with a declared diagnosis key."""
    found = []
    for name, key in (variant.breaks or {}).items():
        if key is None:
            continue
        verdict = verdicts[name]
        if verdict.cases:
            failing = [case for case in verdict.cases if not case.passed]
            named = sum(
                bool(set(keys_of(key)) & {found_key for found_key, _ in case.mistakes})
                for case in failing
            )
        else:  # zero for the whole item (no record): every case failed, none was named
            failing, named = assignment.item(name).hidden, 0
        found.append(Naming(variant.name, name, key, len(failing), named))
    return found


def diagnoses_on_every_case(item, outputs):
    """Diagnoses matching the recorded outputs of ``item`` on any hidden case, passing ones
    included: ["item case n: [keys]"].  For a correct answer this must be empty."""
    payload, _ = find_record(outputs, item.name)
    if payload is None:
        return []
    arrays, alarms = decode(payload["npz"]), []
    for number, (case, summary) in enumerate(zip(item.hidden, payload["cases"], strict=True)):
        if "error" in summary:
            continue
        inputs = make_inputs(case)
        expected, raises = reference_outputs(item, inputs)
        if raises:
            continue
        types = [str(kind) for kind in summary["types"]]
        got = [arrays.get(f"c{number}_{index}") for index in range(len(types))]
        attempt = Attempt(item, inputs, expected, got, types, list(summary.get("flags", [])))
        keys = [key for key, _ in likely_mistakes(attempt)]
        if keys:
            alarms.append(f"{item.name} case {number}: a correct answer matches {keys}")
    return alarms


def grade_variant(assignment, notebook, folder, variant, learner_python=LEARNER_PYTHON):
    """Run and judge one variant; return its :class:`Outcome`."""
    start = time.perf_counter()
    outputs = run_job(job_cells(notebook, variant), folder, learner_python)
    verdicts = {
        item.name: judge_item(item, outputs.get(item.hidden_id, [])) for item in assignment.items
    }
    problems = expectation_problems(assignment, variant, verdicts)
    alarms = []
    if variant.correct:
        for item in assignment.items:
            alarms.extend(diagnoses_on_every_case(item, outputs.get(item.hidden_id, [])))
    return Outcome(
        variant,
        verdicts,
        time.perf_counter() - start,
        problems,
        namings(assignment, variant, verdicts),
        alarms,
    )


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


@dataclass
class Summary:
    """The feedback figures of a set of outcomes (one assignment, or the whole catalogue)."""

    namings: list
    mistakes: int
    caught: int
    correct: int
    clean: int

    @classmethod
    def of(cls, outcomes):
        mistakes = [o for o in outcomes if o.variant.name.startswith("mistakes/")]
        correct = [o for o in outcomes if o.variant.correct]
        return cls(
            namings=[naming for o in mistakes for naming in o.namings],
            mistakes=len(mistakes),
            caught=sum(not o.problems for o in mistakes),
            correct=len(correct),
            clean=sum(not o.false_alarms and not o.problems for o in correct),
        )

    @property
    def failing(self):
        return sum(naming.failing for naming in self.namings)

    @property
    def named(self):
        return sum(naming.named for naming in self.namings)

    @property
    def share(self):
        """Catalogue-wide figure: named failing cases / failing cases, over every naming."""
        return self.named / self.failing if self.failing else 1.0

    @property
    def mean_share(self):
        """The per-mistake shares averaged (each mistake and item counts once)."""
        shares = [naming.share for naming in self.namings]
        return sum(shares) / len(shares) if shares else 1.0

    @property
    def ok(self):
        return self.share >= NAMED_TARGET and self.clean == self.correct

    def line(self, label):
        return (
            f"{label}: mistake named in {self.share:.1%} of failing cases ({self.named}/"
            f"{self.failing}; mean per mistake {self.mean_share:.1%}; target "
            f"{NAMED_TARGET:.0%}), {self.caught}/{self.mistakes} mistakes score as declared, "
            f"{self.clean}/{self.correct} correct answers clean (no diagnosis on any case)"
        )


def naming_table(namings):
    """Lines ``share  named/failing  mistake  item -> key``, lowest share first."""
    lines = []
    for naming in sorted(namings, key=lambda n: (n.share, n.variant, n.item)):
        lines.append(
            f"  {naming.share:6.1%} {naming.named:3d}/{naming.failing:<3d} "
            f"{naming.variant:40} {naming.item} -> {' or '.join(keys_of(naming.key))}"
        )
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    failed, everything = 0, []
    for assignment_id in args.assignments or assignment_ids():
        start = time.perf_counter()
        outcomes = run_catalogue(assignment_id, args.workers)
        everything.extend(outcomes)
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
            for problem in outcome.problems + outcome.false_alarms:
                print("     " + problem.replace("\n", "\n     "))
            failed += not outcome.ok
        print(f"{assignment_id}: {len(outcomes)} variants in {time.perf_counter() - start:.1f} s")
        print("  named  cases   mistake                                  item -> diagnosis")
        print("\n".join(naming_table(Summary.of(outcomes).namings)))
        print(Summary.of(outcomes).line(assignment_id))
    summary = Summary.of(everything)
    print(summary.line("catalogue"))
    sys.exit(1 if failed or not summary.ok else 0)


if __name__ == "__main__":
    main()
