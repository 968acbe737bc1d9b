"""Build nbgrader source notebooks from the authored assignment sources.

    python -m autograder.build [ASSIGNMENT ...] [--course-dir _build/course]

For each assignment (default: every exercises/NN_name/ with a grading.py) it writes, under the
course root ``_build/course/``:

    source/NN_name/NN_name.ipynb   cells with nbgrader metadata (schema 3): the authored text and
                                   answers, plus a visible and a hidden test cell after each answer
                                   and a last cell summing up the visible tests, task by task; a
                                   setup cell's ``from given import ...`` line becomes the source
                                   of those helpers (autograder/kit/given.py, written once); the
                                   kernelspec is Jupyter's stock ``python3`` (grading runs its own
                                   sandboxed kernel whatever a notebook names)
    source/NN_name/fixtures.npz    visible cases, their expected outputs (computed by the reference
                                   now, so the learner's kernel never needs it) and known mistakes
    source/NN_name/grading_kit/    a copy of autograder/kit (cases, tolerance, recorder, checks)
    nbgrader_config.py             applies autograder/course_config.py

Then, from the course root: ``nbgrader generate_assignment NN_name`` makes the learner's copy.
"""

import argparse
import ast
import inspect
import os
import shutil
import threading
import time
from pathlib import Path

import jupytext
import nbformat
import numpy as np

from autograder.diagnose import Attempt, candidates, diagnoses_for, is_wrong, visible_verdicts
from autograder.judge import reference_outputs
from autograder.kit import given
from autograder.kit.cases import as_outputs, describe, make_inputs
from autograder.spec import REPOSITORY, assignment_ids, load_assignment

COURSE_DIR = REPOSITORY / "_build" / "course"
KIT = Path(__file__).resolve().parent / "kit"
KIT_NAME = "grading_kit"
ANSWER_TAG = "answer"

NBGRADER_CONFIG = """\
# Written by `python -m autograder.build`; the settings live in autograder/course_config.py.
from autograder.course_config import configure

configure(c)  # noqa: F821 (nbgrader defines `c` when it runs this file)
"""

VISIBLE_CELL = """\
# Visible tests: a few small cases with known answers (fixtures.npz).
from {kit}.visible import check

check("{name}", {target}{options})
"""

# Before the hidden part (removed on release), the learner's copy repeats the visible tests'
# verdict on stderr: nbgrader's Validate reads graded cells only (autograder/kit/visible.py).
HIDDEN_CELL = """\
# Hidden tests: when grading, your function is run on many more cases and judged.
# In your copy it only repeats the visible tests' verdict (for nbgrader's Validate).
from {kit}.visible import validate_visible

validate_visible("{name}")
### BEGIN HIDDEN TESTS
from {kit}.record import record

record("{name}", {target}, positional={positional!r}, {options}cases=[
{cases}
])
### END HIDDEN TESTS
"""

SUMMARY_CELL = """\
# Summary: the verdict of every task's visible tests (run all the cells above first).
from {kit}.visible import summary

summary()
"""
SUMMARY_ID = "visible_summary"  # a test cell (spec.TEST_PREFIXES): locked, checked like one

# Jupyter's stock kernel, on every learner's machine; grading ignores it (autograder/sandbox.py).
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def nbgrader_metadata(grade_id, *, grade=False, solution=False, locked=True, points=None):
    """The ``metadata.nbgrader`` dict of one cell (nbgrader schema version 3)."""
    metadata = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        metadata["points"] = points
    return metadata


def defined_names(source):
    """Names of the functions and classes a cell defines at top level."""
    return [
        node.name
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
    ]


def answer_items(cell, assignment):
    """The items testing what an answer cell defines; checks its markers and its single def."""
    targets = {item.target for item in assignment.items}
    names = [name for name in defined_names(cell.source) if name in targets]
    if len(names) != 1:
        raise ValueError(
            f"{assignment.source}: an answer cell must define exactly one graded "
            f"function or class, found {names}:\n{cell.source}"
        )
    if "### BEGIN SOLUTION" not in cell.source or "### END SOLUTION" not in cell.source:
        raise ValueError(
            f"{assignment.source}: answer cell of {names[0]} has no "
            "### BEGIN SOLUTION / ### END SOLUTION markers"
        )
    items = [item for item in assignment.items if item.target == names[0]]
    check_signature(cell.source, items[0])
    return items


def written_parameters(source, name):
    """Parameter names of the function ``name`` (or of class ``name``'s ``__init__``) in source."""
    node = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == name
    )
    if isinstance(node, ast.ClassDef):
        init = [n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"]
        return [argument.arg for argument in init[0].args.args[1:]] if init else []
    return [argument.arg for argument in node.args.args]


def check_signature(source, item):
    """The answer's parameters must be the reference's: the contract the learner writes to.

    Keyword-only parameters of the reference (such as a layer's ``dtype``) are not part of it.
    """
    written = written_parameters(source, item.target)
    parameters = inspect.signature(item.reference_function()).parameters.values()
    contract = [p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD]
    if written != contract:
        raise ValueError(
            f"answer cell of {item.target} has parameters {written}, the reference has {contract}"
        )


def given_source(source):
    """A setup cell with each ``from given import a, b as c`` replaced by the helpers' code.

    The helpers are written once, in ``autograder/kit/given.py``; the learner reads them in the
    notebook.  ``b as c`` gives the function and then ``c = b``, for a notebook that names it c.
    """
    lines = source.splitlines()
    imports = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom) and node.module == "given"
    ]
    for node in reversed(imports):  # from the bottom up, so earlier line numbers stay valid
        blocks, aliases = [], []
        for alias in node.names:
            helper = getattr(given, alias.name, None)
            if not inspect.isfunction(helper):
                raise ValueError(f"given helpers have no function {alias.name!r}")
            blocks.append(inspect.getsource(helper).rstrip())
            if alias.asname and alias.asname != alias.name:
                aliases.append(f"{alias.asname} = {alias.name}")
        code = "\n\n\n".join(blocks) + ("\n\n\n" + "\n".join(aliases) if aliases else "")
        lines[node.lineno - 1 : node.end_lineno] = code.splitlines()
    return "\n".join(lines)


def code_cell(source, metadata):
    """A new code cell with nbgrader metadata."""
    return nbformat.v4.new_code_cell(source, metadata={"nbgrader": metadata})


def hidden_options(item):
    """The record() keyword arguments an item needs beyond the default driver."""
    options = "" if item.driver == "call" else f"driver={item.driver!r}, "
    return options + f"seconds={item.case_seconds!r}, "


def test_cells(item):
    """The visible and hidden test cells that follow an item's answer cell."""
    seconds = "" if item.case_seconds == 10 else f", seconds={item.case_seconds!r}"
    visible = VISIBLE_CELL.format(kit=KIT_NAME, name=item.name, target=item.target, options=seconds)
    cases = "\n".join(f"    {case!r}," for case in item.hidden)
    hidden = HIDDEN_CELL.format(
        kit=KIT_NAME,
        name=item.name,
        target=item.target,
        positional=item.positional(),
        options=hidden_options(item),
        cases=cases,
    )
    return [
        code_cell(visible, nbgrader_metadata(item.visible_id)),
        code_cell(hidden, nbgrader_metadata(item.hidden_id, grade=True, points=item.points)),
    ]


def source_notebook(assignment):
    """The nbgrader source notebook of an assignment, built from its MyST source."""
    authored = jupytext.read(assignment.source, fmt="md:myst")
    cells, answered = [], []
    for number, cell in enumerate(authored.cells):
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and ANSWER_TAG in tags:
            items = answer_items(cell, assignment)
            answered.extend(item.name for item in items)
            cells.append(
                code_cell(
                    cell.source, nbgrader_metadata(items[0].answer_id, solution=True, locked=False)
                )
            )
            for item in items:
                cells.extend(test_cells(item))
        elif cell.cell_type == "code":
            cells.append(code_cell(given_source(cell.source), nbgrader_metadata(f"code_{number}")))
        else:
            cells.append(
                nbformat.v4.new_markdown_cell(
                    cell.source, metadata={"nbgrader": nbgrader_metadata(f"text_{number}")}
                )
            )
    missing = [item.name for item in assignment.items if item.name not in answered]
    if missing:
        raise ValueError(f"{assignment.source}: no answer cell for {missing}")
    if any(item.visible_id == SUMMARY_ID for item in assignment.items):
        raise ValueError(f"{assignment.source}: an item may not be called 'summary'")
    cells.append(code_cell(SUMMARY_CELL.format(kit=KIT_NAME), nbgrader_metadata(SUMMARY_ID)))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    nbformat.validate(notebook)
    return notebook


def mistake_outputs(item, inputs, expected):
    """Outputs of every registered known mistake on one visible case: [(message, outputs)].

    ``None`` in outputs marks an output the diagnosis does not propose (a backward mistake that
    changes grad_x only): the visible test then compares the others only, as the judge does.
    """
    attempt = Attempt(item, inputs, expected, expected, ["ndarray"] * len(expected), [])
    found = []
    for entry in diagnoses_for(item):
        for candidate in candidates(entry, attempt):  # every candidate: each is a distinct output
            if isinstance(candidate, bool):
                continue
            outputs = as_outputs(candidate)
            if len(outputs) == len(expected) and is_wrong(attempt, outputs):
                found.append(
                    (
                        entry.text(attempt),
                        [None if output is None else np.asarray(output) for output in outputs],
                    )
                )
    return found


def verdicts_of(item, inputs, expected, fallback=False):
    """{kit verdict: message} of the item's verdict diagnoses (wrong dtype, off-by-one size), or
    of its fallback ones (a wrong output size: shown when no other hint is)."""
    return visible_verdicts(Attempt(item, inputs, expected, expected, [], []), fallback)


def arrays_of(inputs):
    """Names of the array inputs of a case (stored as arrays in fixtures.npz)."""
    return [name for name, value in inputs.items() if isinstance(value, np.ndarray)]


def fixture_arrays(assignment):
    """Every array of fixtures.npz (see autograder/kit/visible.py for the key layout)."""
    arrays = {}
    for item in assignment.items:
        positional = item.positional()
        for number, case in enumerate(item.visible):
            prefix = f"{item.name}/{number}"
            inputs = make_inputs(case)
            # a case may test input validation: the learner must raise what the reference raises
            expected, raises = reference_outputs(item, make_inputs(case))
            expected = expected or []
            mistakes = [] if raises else mistake_outputs(item, inputs, expected)
            meta = {
                "driver": item.driver,
                "label": describe(case),
                "positional": positional,
                "order": list(inputs),
                "arrays": arrays_of(inputs),
                "scalars": {
                    n: v for n, v in case.items() if n in inputs and n not in arrays_of(inputs)
                },
                "outputs": list(item.outputs),
                "expected_types": [type(output).__name__ for output in expected],
                "mistakes": [message for message, _ in mistakes],
                "verdicts": {} if raises else verdicts_of(item, inputs, expected),
                "fallbacks": {} if raises else verdicts_of(item, inputs, expected, True),
                "raises": raises,
            }
            arrays[f"{prefix}/case"] = np.array(repr(meta))
            for name in meta["arrays"]:
                arrays[f"{prefix}/in/{name}"] = inputs[name]
            for index, output in enumerate(expected):
                arrays[f"{prefix}/out/{index}"] = np.asarray(output)
            for m, (_, outputs) in enumerate(mistakes):
                for index, output in enumerate(outputs):
                    if output is not None:  # an output the mistake leaves right: not stored
                        arrays[f"{prefix}/mistake/{m}/{index}"] = output
    return arrays


def build_assignment(assignment_id, course_dir=COURSE_DIR):
    """Write one assignment's source folder under ``course_dir/source``; return that folder."""
    assignment = load_assignment(assignment_id)
    folder = Path(course_dir) / "source" / assignment.id
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    nbformat.write(source_notebook(assignment), folder / f"{assignment.id}.ipynb")
    np.savez(folder / "fixtures.npz", **fixture_arrays(assignment))
    shutil.copytree(KIT, folder / KIT_NAME, ignore=shutil.ignore_patterns("__pycache__"))
    config = Path(course_dir) / "nbgrader_config.py"
    if not config.exists() or config.read_text() != NBGRADER_CONFIG:
        # written whole, then renamed: a release building another assignment in parallel
        # hashes it for its manifest and must never see it half written
        partial = config.with_name(f".nbgrader_config.py.{os.getpid()}.{threading.get_ident()}")
        partial.write_text(NBGRADER_CONFIG)
        partial.replace(config)
    from autograder import trusted  # the digests grading checks (autograder/trusted.py)

    trusted.write_manifest(assignment.id, course_dir)
    return folder


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    parser.add_argument("--course-dir", type=Path, default=COURSE_DIR)
    args = parser.parse_args(argv)
    for assignment_id in args.assignments or assignment_ids():
        start = time.perf_counter()
        folder = build_assignment(assignment_id, args.course_dir)
        print(f"built {folder} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
