"""01_unroll through the real nbgrader pipeline: generate_assignment, then plain autograde.

Submissions are made from the released notebook, as a learner would: answers typed into the
answer cells.  One autograde run grades all of them (about 4 s per submission on 2 cores).
"""

import json

import nbformat
import pytest
from nbgrader.api import Gradebook

from tests.grading.conftest import model_answers, nbgrader, with_answers

EXERCISE = "01_unroll"
FLIPPED = """def conv1d_unroll(x, weight):
    return unroll_1d(x, weight.shape[0]) @ weight[::-1]
"""
CHEAT = "from solutions import unroll_1d  # the reference: must not be importable\n"
FAKE_REFERENCE = "def conv1d_unroll(x, weight):\n    return x * 0\n"


def submit(course_dir, student, notebook, extra_files=()):
    folder = course_dir / "submitted" / student / EXERCISE
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{EXERCISE}.ipynb")
    for name, text in extra_files:
        (folder / name).write_text(text)


@pytest.fixture(scope="module")
def autograded(released_course):
    course = released_course
    release = nbformat.read(course / "release" / EXERCISE / f"{EXERCISE}.ipynb", as_version=4)
    model = model_answers(course)
    submit(course, "model", with_answers(release, model))
    submit(course, "stub", release)
    submit(course, "flipped", with_answers(release, {**model, "answer_conv1d_unroll": FLIPPED}))
    cheat = with_answers(release, {**model, "answer_unroll_1d": CHEAT})
    cheat.metadata.kernelspec = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }  # the main venv's kernel: overridden
    submit(course, "cheat", cheat)
    tampered = with_answers(release, {**model, "visible_unroll_1d": "pass"})
    tampered.cells = [
        cell
        for cell in tampered.cells
        if not str(cell.metadata.get("nbgrader", {}).get("grade_id")).startswith("hidden_")
    ]
    submit(course, "tampered", tampered, extra_files=[("solutions.py", FAKE_REFERENCE)])
    nbgrader(course, "autograde", EXERCISE, "--force")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {
            student: {
                grade.name: grade.auto_score
                for grade in gradebook.find_submission_notebook(EXERCISE, EXERCISE, student).grades
            }
            for student in ("model", "stub", "flipped", "cheat", "tampered")
        }
    return course, scores


def autograded_cell(course, student, grade_id):
    path = course / "autograded" / student / EXERCISE / f"{EXERCISE}.ipynb"
    notebook = json.loads(path.read_text())
    return next(
        cell
        for cell in notebook["cells"]
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == grade_id
    )


def cell_text(cell):
    return json.dumps(cell["outputs"])


@pytest.mark.grading
@pytest.mark.slow
def test_model_answer_gets_full_marks(autograded):
    _, scores = autograded
    assert scores["model"] == {"hidden_unroll_1d": 2.0, "hidden_conv1d_unroll": 3.0}


@pytest.mark.grading
@pytest.mark.slow
def test_released_stub_scores_zero(autograded):
    _, scores = autograded
    assert scores["stub"] == {"hidden_unroll_1d": 0.0, "hidden_conv1d_unroll": 0.0}


@pytest.mark.grading
@pytest.mark.slow
def test_flipped_kernel_loses_points_on_its_item_only_with_the_diagnosis(autograded):
    course, scores = autograded
    assert scores["flipped"]["hidden_unroll_1d"] == 2.0
    assert 0 < scores["flipped"]["hidden_conv1d_unroll"] < 3.0
    report = cell_text(autograded_cell(course, "flipped", "hidden_conv1d_unroll"))
    assert "most likely mistake" in report and "flipped kernel" in report


@pytest.mark.grading
@pytest.mark.slow
def test_solutions_is_not_importable_in_the_grading_kernel(autograded):
    course, scores = autograded
    answer = autograded_cell(course, "cheat", "answer_unroll_1d")
    assert [output.get("ename") for output in answer["outputs"]] == ["ModuleNotFoundError"]
    assert scores["cheat"]["hidden_unroll_1d"] == 0.0
    assert scores["cheat"]["hidden_conv1d_unroll"] == 0.0  # built on the missing unroll_1d


@pytest.mark.grading
@pytest.mark.slow
def test_deleted_and_edited_test_cells_and_extra_files_change_nothing(autograded):
    course, scores = autograded
    assert scores["tampered"] == {"hidden_unroll_1d": 2.0, "hidden_conv1d_unroll": 3.0}
    visible = autograded_cell(course, "tampered", "visible_unroll_1d")
    assert "check(" in "".join(visible["source"])  # the locked cell was restored from the source
