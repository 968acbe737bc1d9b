"""The learner's path (issue 12, items 4 and 5): checks a learner can trust, a stock kernel.

A released notebook is run as "Run All" runs it (nbclient stops at the first cell that raises):
on the stub every task's visible test reports and none passes, with a summary at the end; with
the model answers every task passes; with one mistake the hint shows and the next task says it
calls the broken one.  ``nbgrader validate`` (what the Validate button runs) fails on the stub
and on a mistake, and succeeds on the model answers.  Released notebooks name Jupyter's stock
``python3`` kernel, and naming it (or the course machine's kernel) is no integrity finding.
"""

import os
import re
import shutil
import subprocess

import nbformat
import pytest

from autograder.course_config import LEARNER_KERNEL
from autograder.spec import assignment_ids, load_assignment
from tests.grading.conftest import VENV_BIN, model_answers, with_answers

EXERCISE = "03_conv2d"
# unroll_2d with H - KH windows along the height and W - KW along the width (not + 1)
SHORT_UNROLL = """\
import numpy as np

def unroll_2d(x, kernel_size, stride=1, padding=0, dilation=1):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    n, c, h, w = x.shape
    rows = [
        x[:, :, i:i + kh, j:j + kw].reshape(n, -1) for i in range(h - kh) for j in range(w - kw)
    ]
    return np.stack(rows, axis=1) if rows else np.zeros((n, 0, c * kh * kw), x.dtype)
"""


@pytest.fixture
def release_copy(released_course, tmp_path):
    """A copy of the released assignment folder, as a learner downloads it."""
    folder = tmp_path / EXERCISE
    shutil.copytree(released_course / "release" / EXERCISE, folder)
    return folder


def write_answers(folder, course_dir, replace=None):
    """The released notebook in ``folder`` with the model answers (or ``replace``) typed in."""
    path = folder / f"{EXERCISE}.ipynb"
    answers = {**model_answers(course_dir, EXERCISE), **(replace or {})}
    nbformat.write(with_answers(nbformat.read(path, as_version=4), answers), path)
    return path


def run_all(path):
    """Execute a notebook as "Run All" does (stopping at a cell that raises) in the learner
    environment's kernel; return {grade_id: text of its outputs}."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name=LEARNER_KERNEL,
        allow_errors=False,
        timeout=120,
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"Run All stopped at a cell that raised:\n{error}")
    texts = {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type == "code" and grade_id:
            texts[grade_id] = "".join(
                output.get("text", "") for output in cell.outputs if output.output_type == "stream"
            )
    return texts


def validate(path):
    """The output of ``nbgrader validate`` on a notebook (what the Validate button shows)."""
    environment = dict(os.environ, PATH=f"{VENV_BIN}:{os.environ['PATH']}")
    environment.pop("PYTHONPATH", None)
    completed = subprocess.run(
        [str(VENV_BIN / "nbgrader"), "validate", path.name],
        cwd=path.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return completed.stdout + completed.stderr


@pytest.mark.grading
def test_run_all_on_the_stub_reaches_every_visible_test_and_none_passes(release_copy):
    texts = run_all(release_copy / f"{EXERCISE}.ipynb")
    items = [item.name for item in load_assignment(EXERCISE).items]
    for name in items:
        assert re.search(rf"{name}: \d+ of \d+ visible cases failed", texts[f"visible_{name}"])
        assert "not implemented yet" in texts[f"visible_{name}"]
        assert "Traceback" not in texts[f"visible_{name}"]
    summary = texts["visible_summary"]
    assert all(re.search(rf"FAILED +{name} ", summary) for name in items), summary
    assert f"0 of {len(items)} tasks pass their visible tests." in summary


@pytest.mark.grading
def test_run_all_with_the_model_answers_passes_every_task(released_course, release_copy):
    texts = run_all(write_answers(release_copy, released_course))
    items = load_assignment(EXERCISE).items
    for item in items:
        assert f"{item.name}: all" in texts[item.visible_id]
        assert texts[item.hidden_id] == ""  # nothing for Validate to count as a failure
    assert f"All {len(items)} tasks pass their visible tests." in texts["visible_summary"]


@pytest.mark.grading
def test_one_wrong_size_gets_a_size_hint_and_the_next_task_names_it(released_course, release_copy):
    texts = run_all(
        write_answers(release_copy, released_course, {"answer_unroll_2d": SHORT_UNROLL})
    )
    unroll, conv = texts["visible_unroll_2d"], texts["visible_conv2d"]
    assert "output has shape (1, 2, 4), expected (1, 6, 4)" in unroll
    assert "likely mistake: wrong output shape" in unroll and "H_out = H - KH + 1" in unroll
    assert "T -" not in unroll  # the 2D assignment's own symbols
    assert "note: conv2d calls unroll_2d, whose visible tests fail above" in conv
    assert "1 of 2 tasks pass" not in texts["visible_summary"]


@pytest.mark.grading
def test_nbgrader_validate_fails_with_the_visible_tests(released_course, release_copy):
    path = release_copy / f"{EXERCISE}.ipynb"
    stub = validate(path)
    assert "VALIDATION FAILED ON 2 CELL(S)" in stub and "Success!" not in stub, stub
    assert "unroll_2d: 2 of 2 visible cases failed" in stub
    write_answers(release_copy, released_course, {"answer_unroll_2d": SHORT_UNROLL})
    mistake = validate(path)
    assert "VALIDATION FAILED ON 2 CELL(S)" in mistake, mistake  # conv2d uses unroll_2d
    write_answers(release_copy, released_course)
    assert "Success! Your notebook passes all the tests." in validate(path)


@pytest.mark.grading
@pytest.mark.parametrize("assignment_id", assignment_ids())
def test_released_notebooks_open_on_the_stock_python3_kernel(released_course, assignment_id):
    path = released_course / "release" / assignment_id / f"{assignment_id}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.kernelspec["name"] == "python3"
    assert notebook.cells[-1].metadata.nbgrader["grade_id"] == "visible_summary"


def kernel_findings(tmp_path, kernel):
    """The kernelspec finding of a submission naming ``kernel`` (None: no kernelspec)."""
    from autograder.report import submission_findings

    notebook = nbformat.v4.new_notebook()
    for folder in ("release/a", "submitted/ann/a"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        if folder.startswith("submitted") and kernel is not None:
            notebook.metadata["kernelspec"] = {"name": kernel, "language": "python"}
        nbformat.write(notebook, tmp_path / folder / "a.ipynb")
    return submission_findings(tmp_path, "ann", "a").get("kernelspec_override")


def test_a_stock_or_course_kernel_is_no_finding_and_another_one_is(tmp_path):
    assert kernel_findings(tmp_path, "python3") is None
    assert kernel_findings(tmp_path, LEARNER_KERNEL) is None
    assert kernel_findings(tmp_path, "course-venv") == "course-venv"
