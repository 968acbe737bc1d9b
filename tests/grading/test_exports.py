"""The exports people use: the Canvas CSV, one JSON per learner, feedback without hidden tests.

Fast tests build a small gradebook by hand with nbgrader's API (two assignments, three learners,
one of whom did not submit the second) and hand-made autograded notebooks; a slow one exports
the session's graded course and reads the feedback HTML nbgrader wrote.
"""

import csv
import json
import os

import nbformat
import pytest
from nbconvert import HTMLExporter

from autograder import database, exports, outcomes
from autograder.feedback import HIDDEN_NOTE, HideHiddenTests

# assignment -> {hidden grade cell: points}
ASSIGNMENTS = {"01_unroll": {"hidden_a": 2.0, "hidden_b": 3.0}, "02_channels": {"hidden_c": 5.0}}
# student -> (first, last, lms_user_id, {assignment: {cell: score}})
LEARNERS = {
    "4711": (
        "Ada",
        "Lovelace",
        None,
        {"01_unroll": {"hidden_a": 2.0, "hidden_b": 1.5}, "02_channels": {"hidden_c": 5.0}},
    ),
    "bob": ("Bob", "", "880", {"01_unroll": {"hidden_a": 0.0, "hidden_b": 3.0}}),
    "cy": (None, None, None, {"01_unroll": {"hidden_a": 0.25, "hidden_b": 0.0}}),
}
CASES = "cases=[{'x': {'shape': (5,)}, 'kernel_size': 3}]"  # what a hidden cell's source holds
REPORT = "a: 1 of 2 hidden cases passed: 1 / 2 points\n  FAILED case 1: x (5,) float64\n"


def make_gradebook(course_dir):
    from nbgrader.api import Gradebook

    with Gradebook(database.url(course_dir)) as gradebook:
        for assignment, cells in ASSIGNMENTS.items():
            gradebook.add_assignment(assignment)
            gradebook.add_notebook(assignment, assignment)
            for cell, points in cells.items():
                gradebook.add_grade_cell(
                    cell, assignment, assignment, max_score=points, cell_type="code"
                )
        for student, (first, last, lms, submitted) in LEARNERS.items():
            gradebook.add_student(student, first_name=first, last_name=last, lms_user_id=lms)
            for assignment, scores in submitted.items():
                gradebook.add_submission(assignment, student)
                for cell, score in scores.items():
                    grade = gradebook.find_grade(cell, assignment, assignment, student)
                    grade.auto_score = score
        gradebook.db.commit()


def autograded(course_dir, student, assignment, verdicts):
    folder = course_dir / "autograded" / student / assignment
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata[outcomes.RUN_KEY] = {
        "sandbox": "bubblewrap",
        "events": [],
        "verdicts": verdicts,
    }
    nbformat.write(notebook, folder / f"{assignment}.ipynb")


@pytest.fixture
def course(tmp_path, monkeypatch):
    from tests.grading.conftest import VENV_BIN

    monkeypatch.setenv("PATH", f"{VENV_BIN}:{os.environ['PATH']}")  # nbgrader runs alembic
    make_gradebook(tmp_path)
    verdict = {
        "code": "cases_failed",
        "score": 1.0,
        "points": 2.0,
        "codes": ["timeout"],
        "mistakes": ["flipped_kernel"],
        "report": REPORT,
    }
    autograded(tmp_path, "4711", "01_unroll", {"a": verdict, "b": {**verdict, "code": "passed"}})
    return tmp_path


def test_the_canvas_csv_has_the_lms_header_rows_and_one_column_per_assignment(course):
    path = exports.write_exports(course)["canvas"]
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01_unroll", "02_channels"]
    assert rows[0] == header
    assert rows[1][0].strip() == "Points Possible" and rows[1][1:5] == ["", "", "", ""]
    assert [float(value) for value in rows[1][5:]] == [5.0, 5.0]
    learners = {row[0]: row for row in rows[2:]}
    assert len(learners) == len(LEARNERS)
    # ID: the LMS id when the gradebook has one, else a numeric student id; else the SIS id.
    assert learners["Lovelace, Ada"][1:3] == ["4711", ""]
    assert learners["Bob"][1:3] == ["880", "bob"]
    assert learners["cy"][1:3] == ["", "cy"]
    assert [float(v) for v in learners["Lovelace, Ada"][5:]] == [3.5, 5.0]
    assert float(learners["cy"][5]) == 0.25 and learners["cy"][6] == ""  # not submitted: blank


def test_one_json_per_learner_with_scores_items_feedback_and_codes(course):
    folder = exports.write_exports(course)["learners"]
    assert sorted(path.stem for path in folder.glob("*.json")) == sorted(LEARNERS)
    ada = json.loads((folder / "4711.json").read_text())
    unroll = ada["assignments"]["01_unroll"]
    assert unroll["score"] == 3.5 and unroll["max_score"] == 5.0 and unroll["submitted"]
    assert unroll["items"]["a"] == {
        "score": 2.0,  # the gradebook's score, not the verdict's
        "points": 2.0,
        "code": "cases_failed",
        "codes": ["timeout"],
        "mistakes": ["flipped_kernel"],
        "feedback": REPORT,
    }
    assert unroll["items"]["b"]["code"] == "passed" and unroll["items"]["b"]["score"] == 1.5
    assert ada["total"] == {"score": 8.5, "max_score": 10.0}
    cy = json.loads((folder / "cy.json").read_text())
    assert cy["assignments"]["02_channels"] == {
        "submitted": False,
        "score": None,
        "max_score": 5.0,
        "items": {},
        "findings": [],
    }


def test_a_learners_json_lists_the_integrity_findings_with_codes(course):
    folder = course / "submitted" / "bob" / "01_unroll"
    folder.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), folder / "01_unroll.ipynb")
    (folder / "notes.txt").write_text("an extra file")
    bob = json.loads((exports.write_exports(course)["learners"] / "bob.json").read_text())
    codes = {f["code"]: f["detail"] for f in bob["assignments"]["01_unroll"]["findings"]}
    assert codes.get("extra_files") == "notes.txt"


LONG_MISTAKE = "likely mistake: " + "the windows read the wrong cells of x " * 8
KIT_PATH = "/scratch/grading_kit/visible.py"  # a path of the grading machine's sandbox


def hidden_cell_notebook(verdict_report=None):
    notebook = nbformat.v4.new_notebook()
    text = nbformat.v4.new_markdown_cell(
        "The output: $$\\text{out}[t] = \\sum_{k} w[k]\\, x[t + k],$$ with $T_\\text{out}$ "
        "entries; `$cost` in code stays."
    )
    hidden = nbformat.v4.new_code_cell(
        f"### BEGIN HIDDEN TESTS\nrecord('a', f, {CASES})\n### END HIDDEN TESTS",
        metadata={"nbgrader": {"grade": True, "grade_id": "hidden_a", "points": 2}},
    )
    hidden.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=REPORT + f"  {LONG_MISTAKE}\n"),
        nbformat.v4.new_output("execute_result", data={"text/plain": "1.4"}, execution_count=4),
    ]
    answer = nbformat.v4.new_code_cell("def f(x):\n    return x  # my answer")
    answer.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="FileNotFoundError",
            evalue=f"{KIT_PATH} not found",
            traceback=[f"File {KIT_PATH}:12, in check", f"FileNotFoundError: {KIT_PATH}"],
        )
    ]
    notebook.cells = [text, answer, hidden]
    if verdict_report is not None:
        notebook.metadata[outcomes.RUN_KEY] = {"verdicts": {"a": {"report": verdict_report}}}
    return notebook


def feedback_html(notebook):
    exporter = HTMLExporter()
    exporter.register_preprocessor(HideHiddenTests, enabled=True)
    return exporter.from_notebook_node(notebook)[0]


def test_feedback_html_shows_the_judges_report_but_not_the_hidden_tests():
    html = feedback_html(hidden_cell_notebook())
    assert "FAILED case 1" in html and "my answer" in html
    assert "kernel_size" not in html and "BEGIN HIDDEN TESTS" not in html
    assert "judge&#39;s report" in html or HIDDEN_NOTE in html


def test_feedback_is_readable_wrapped_typeset_and_without_grading_paths():
    """The report wraps (no line over the width), the bare score output is gone, math is
    MathML (no TeX left to typeset), and the grading machine's paths and tracebacks are cut."""
    import re

    from autograder.feedback import WIDTH

    html = feedback_html(hidden_cell_notebook())
    report = re.search(r"<pre style=\"white-space: pre-wrap[^>]*>(.*?)</pre>", html, re.S)
    assert report and "FAILED case 1" in report.group(1)
    assert max(len(line) for line in report.group(1).splitlines()) <= WIDTH + len("<b></b>")
    assert "wrong cells of x" in report.group(1)
    body = html[html.index("<body") :]
    assert "Out[4]" not in body and ">1.4<" not in body
    assert body.count("<math") == 2 and "$$" not in body and "\\text{out}" not in body
    assert "$cost" in body  # code is not math
    assert KIT_PATH not in html and "/scratch" not in html and "visible.py not found" in html
    from_metadata = feedback_html(hidden_cell_notebook("b: the verdict's own report\n"))
    assert "the verdict&#x27;s own report" in from_metadata or "verdict's own" in from_metadata


def test_nbgrader_generate_feedback_is_configured_to_hide_hidden_tests():
    from traitlets.config import Config

    from autograder.course_config import configure

    config = Config()
    configure(config)
    assert HideHiddenTests in config.GenerateFeedback.preprocessors


@pytest.mark.grading
@pytest.mark.slow
def test_exporting_the_graded_course_writes_feedback_without_hidden_source(graded_course):
    import re

    from autograder import course
    from autograder.spec import load_assignment

    course_dir, _ = graded_course
    written = course.export(course_dir, ["01_unroll"])
    assert written["grades"].exists() and written["canvas"].exists()
    flipped = written["feedback"] / "flipped" / "01_unroll" / "01_unroll.html"
    html = flipped.read_text()
    assert "flipped kernel" in html and "hidden cases passed" in html
    for item in load_assignment("01_unroll").items:
        assert repr(item.hidden[0]) not in html  # the first hidden case, as the cell lists it
    for path in written["feedback"].glob("*/01_unroll/*.html"):
        text = path.read_text()
        assert "BEGIN HIDDEN TESTS" not in text and "cases=[" not in text, path
        body = text[text.index("<body") :]
        assert "seed" not in body, path
        assert "<math" in body and "$$" not in body, path  # math typeset without MathJax
        if not path.parts[-3].startswith(("h_", "mallory")):  # hostile code may name paths
            assert not re.search(r"Out\[\d", body), path  # no bare score output
            assert str(course_dir) not in text and "/scratch/" not in text, path
            assert "grading_kit/" not in body, path  # no traceback into the kit
    ada = json.loads((written["learners"] / "ada.json").read_text())
    items = ada["assignments"]["01_unroll"]["items"]
    assert {item["code"] for item in items.values()} == {"passed"}
    assert all("hidden cases passed" in item["feedback"] for item in items.values())
