"""Every assignment through the real nbgrader pipeline, graded by `autograder.course.grade`.

One batch (conftest.graded_course) grades, with nbgrader autograde in 2 parallel workers: the
model answers (ada) and the released stubs (blank) of every assignment, the hostile sample
(mallory), and hand-made 01_unroll submissions (flipped kernel, imports solutions, tampered).
"""

import json

import pytest

from autograder import report
from autograder.samples import act_of
from autograder.spec import assignment_ids, load_assignment
from tests.grading.conftest import autograded_cell, scores

ASSIGNMENTS = assignment_ids()
pytestmark = [pytest.mark.grading, pytest.mark.slow]


def full_marks(assignment_id):
    return {item.hidden_id: float(item.points) for item in load_assignment(assignment_id).items}


def cell_text(cell):
    return json.dumps(cell["outputs"])


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_model_answers_get_full_marks(graded_course, assignment_id):
    course_dir, _ = graded_course
    assert scores(course_dir, "ada", assignment_id) == full_marks(assignment_id)


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_released_stubs_score_zero(graded_course, assignment_id):
    course_dir, _ = graded_course
    assert set(scores(course_dir, "blank", assignment_id).values()) == {0.0}


def test_flipped_kernel_loses_points_on_its_item_only_with_the_diagnosis(graded_course):
    course_dir, _ = graded_course
    graded = scores(course_dir, "flipped", "01_unroll")
    assert graded["hidden_unroll_1d"] == 2.0
    assert 0 < graded["hidden_conv1d_unroll"] < 3.0
    report = cell_text(autograded_cell(course_dir, "flipped", "01_unroll", "hidden_conv1d_unroll"))
    assert "most likely mistake" in report and "flipped kernel" in report


def test_solutions_is_not_importable_in_the_grading_kernel(graded_course):
    course_dir, _ = graded_course
    answer = autograded_cell(course_dir, "cheat", "01_unroll", "answer_unroll_1d")
    assert [output.get("ename") for output in answer["outputs"]] == ["ModuleNotFoundError"]
    assert set(scores(course_dir, "cheat", "01_unroll").values()) == {0.0}


def test_deleted_and_edited_test_cells_and_extra_files_change_nothing(graded_course):
    course_dir, _ = graded_course
    assert scores(course_dir, "tampered", "01_unroll") == full_marks("01_unroll")
    visible = autograded_cell(course_dir, "tampered", "01_unroll", "visible_unroll_1d")
    assert "check(" in "".join(visible["source"])  # the locked cell was restored from the source


# What the judge's report says for each of mallory's acts (autograder/samples.py).
REASONS = {
    "loops": "ran longer than its",
    "forges": "records instead of 1",
    "memory": "MemoryError",
    "exits": "kernel died",
    "floods": "SystemExit",
    "deletes": "Device or resource busy",  # the kit is a read-only mount in the sandbox
    "cheats": "No module named 'solutions'",
    "patches": "cannot be read",
}


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_hostile_notebooks_score_zero_with_a_reason_and_the_batch_goes_on(
    graded_course, assignment_id
):
    course_dir, results = graded_course
    assert results[("mallory", assignment_id)].status in ("graded", "zeroed")
    first = load_assignment(assignment_id).items[0]
    assert scores(course_dir, "mallory", assignment_id)[first.hidden_id] == 0.0
    report = cell_text(autograded_cell(course_dir, "mallory", assignment_id, first.hidden_id))
    assert REASONS[act_of(assignment_id)] in report, report


def test_no_submission_failed_or_was_lost(graded_course):
    course_dir, results = graded_course
    assert {result.status for result in results.values()} <= {"graded", "zeroed"}
    for student, assignment_id in results:
        assert (
            course_dir / "submitted" / student / assignment_id / f"{assignment_id}.ipynb"
        ).exists()


# The integrity finding each of mallory's acts must leave (autograder/report.py).
FINDINGS = {
    "loops": "timeouts",
    "forges": "records refused",
    "memory": "memory",
    "exits": "stopped",
    "floods": "output dropped",
    "deletes": None,  # nothing happened to report: the kit is read-only, submitted/ not in view
    "cheats": "imports solutions",
    "patches": "records refused",
}


def test_integrity_report_names_what_each_submission_tried(graded_course):
    course_dir, _ = graded_course
    findings = {(s, a, f) for s, a, f, _ in report.integrity_report(course_dir)}
    for finding in ("test cells deleted", "test cells edited", "extra files"):
        assert ("tampered", "01_unroll", finding) in findings
    for finding in ("kernelspec override", "imports solutions"):
        assert ("cheat", "01_unroll", finding) in findings
    for assignment_id in ASSIGNMENTS:
        if FINDINGS[act_of(assignment_id)] is not None:
            assert ("mallory", assignment_id, FINDINGS[act_of(assignment_id)]) in findings
    assert not [finding for finding in findings if finding[0] in ("ada", "blank")]
    assert (course_dir / "integrity.csv").exists()


def test_grade_table_lists_every_student_and_assignment(graded_course):
    course_dir, _ = graded_course
    table = report.grade_table(course_dir)
    assert set(ASSIGNMENTS) <= set(table["ada"]) and set(ASSIGNMENTS) <= set(table["mallory"])
    total = sum(maximum for _, maximum in table["ada"].values())
    assert report.format_table(table).splitlines()[1].endswith(f"{total:g}/{total:g}")
