"""The sandbox, tried as a hostile learner would, through the real pipeline.

Every act of the hostile catalogue (tests/grading/hostile.py) is graded in the same batch as
the samples (conftest.graded_course, ``python -m autograder grade``'s code path): each must
score what an untouched stub scores (0), change no file outside its scratch copy, leave no
process behind and reach no port; the batch must grade everyone else as usual.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder import course, database, samples, sandbox
from autograder.spec import REPOSITORY
from tests.grading.conftest import EVIDENCE, autograded_cell, scores
from tests.grading.hostile import ACTS, ITEM_ACTS

pytestmark = [pytest.mark.grading, pytest.mark.slow]


def answer_output(course_dir, student):
    """Everything the first answer cell of a hostile submission printed, as text."""
    cell = autograded_cell(course_dir, student, "01_unroll", "answer_unroll_1d")
    return json.dumps(cell["outputs"])


@pytest.mark.parametrize("act", list(ACTS))
def test_a_hostile_act_scores_no_more_than_an_untouched_stub(graded_course, act):
    course_dir, results = graded_course
    assert results[(f"h_{act}", "01_unroll")].status in ("graded", "zeroed")
    assert scores(course_dir, f"h_{act}", "01_unroll") == {
        "hidden_unroll_1d": 0.0,
        "hidden_conv1d_unroll": 0.0,
    }


def test_no_file_outside_the_scratch_copy_changed(graded_course):
    before, after = EVIDENCE["before"], EVIDENCE["after"]
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    assert not changed, changed[:20]
    assert not (Path(graded_course[0]) / "daemon-was-here").exists()


def test_no_process_outlives_its_sandbox(graded_course):
    assert EVIDENCE["processes"] == []


def test_no_connection_reaches_a_port_of_the_grader(graded_course):
    course_dir, _ = graded_course
    assert EVIDENCE["connections"] == 0
    assert "connect: connected" not in answer_output(course_dir, "h_connect")


def test_nobody_has_manual_scores_or_extra_credit(graded_course):
    from nbgrader.api import Gradebook

    course_dir, _ = graded_course
    with Gradebook(f"sqlite:///{Path(course_dir) / 'gradebook.db'}") as gradebook:
        grades = gradebook.db.execute(
            __import__("sqlalchemy").text("SELECT manual_score, extra_credit FROM grade")
        ).fetchall()
    assert grades and all(manual is None and not extra for manual, extra in grades)


def test_the_kernel_is_an_unprivileged_user_that_sees_only_its_scratch(graded_course):
    course_dir, _ = graded_course
    text = answer_output(course_dir, "h_probe")
    printed = json.loads(text)[0]["text"]
    printed = "".join(printed) if isinstance(printed, list) else printed
    probe = json.loads(printed.split("PROBE ", 1)[1])
    assert probe["uid"] >= sandbox.UID_BASE
    assert probe["repo"] is False and probe["course"] is False and probe["home"] == []
    assert probe["cwd"] == sandbox.SCRATCH
    assert [name for name in probe["scratch"] if name != ".ipython"] == [
        "fixtures.npz",
        "grading_kit",
    ]
    assert all(name.startswith("conv-kernel-") for name in probe["tmp"])  # its socket folder
    assert probe["pids"] < 10  # its own PID namespace: bwrap's init, the kernel, ps-like few
    assert set(probe["root"]) <= {"bin", "dev", "lib", "lib64", "opt", "proc", "root", "sbin",
                                  "scratch", "tmp", "usr"}  # fmt: skip


def test_reading_the_reference_or_other_learners_reaches_no_feedback(graded_course):
    course_dir, _ = graded_course
    reference = (REPOSITORY / "solutions" / "unroll1d.py").read_text().splitlines()[0]
    for act in ("absolute_path", "other_learner", "model_answers", "walk_up"):
        text = answer_output(course_dir, f"h_{act}")
        assert reference not in text and "nbformat" not in text  # no file, no notebook
    assert "FileNotFoundError" in answer_output(course_dir, "h_absolute_path")


def test_a_fork_bomb_stops_at_the_process_limit(graded_course):
    course_dir, _ = graded_course
    text = answer_output(course_dir, "h_fork_bomb")
    started = int(re.search(r"fork_bomb: started (\d+) processes", text).group(1))
    assert 0 <= started < sandbox.LIMITS.processes


def test_a_disk_fill_stops_at_the_scratch_size(graded_course):
    course_dir, _ = graded_course
    text = answer_output(course_dir, "h_disk_fill")
    assert text.count("disk_fill:") == 2, text  # both files were stopped by an OSError


def test_a_zip_bomb_record_is_refused_without_being_inflated(graded_course):
    course_dir, _ = graded_course
    report = json.dumps(autograded_cell(course_dir, "h_zip_bomb", "01_unroll", "hidden_unroll_1d"))
    assert "recorded outputs are refused" in report


def test_floods_of_records_are_dropped(graded_course):
    course_dir, _ = graded_course
    path = Path(course_dir) / "autograded" / "h_record_flood" / "01_unroll" / "01_unroll.ipynb"
    assert path.stat().st_size < 2 * 1024**2


def test_grade_refuses_to_run_without_a_sandbox(released_course):
    environment = dict(os.environ, **{sandbox.BWRAP_VARIABLE: "/nonexistent/bwrap"})
    completed = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--course-dir", str(released_course)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "cannot grade safely" in completed.stderr and "--unsafe-no-sandbox" in completed.stderr
    with pytest.raises(sandbox.SandboxUnavailable):
        environment_before = os.environ.get(sandbox.BWRAP_VARIABLE)
        os.environ[sandbox.BWRAP_VARIABLE] = "/nonexistent/bwrap"
        sandbox.availability.cache_clear()
        try:
            course.grade(course_dir=released_course)
        finally:
            os.environ.pop(sandbox.BWRAP_VARIABLE)
            if environment_before:
                os.environ[sandbox.BWRAP_VARIABLE] = environment_before
            sandbox.availability.cache_clear()


def test_unsafe_grades_and_manual_scores_are_reported_and_force_clears_them(
    released_course, tmp_path
):
    from nbgrader.api import Gradebook

    from autograder import report
    from tests.grading.conftest import released_notebook, submit

    course_dir = tmp_path / "course"
    shutil.copytree(released_course, course_dir, ignore=shutil.ignore_patterns(
        "submitted", "autograded", "feedback", ".submitted-backup"))  # fmt: skip
    submit(course_dir, "unsafe", "01_unroll", released_notebook(course_dir, "01_unroll"))
    try:
        results = course.grade(["01_unroll"], course_dir=course_dir, workers=1, unsafe=True)
    finally:
        os.environ.pop(sandbox.UNSAFE_VARIABLE, None)
    assert [result.status for result in results] == ["graded"]

    def findings():
        return {f for s, a, f, _ in report.integrity_report(course_dir) if s == "unsafe"}

    assert "unsandboxed" in findings() and "manual score" not in findings()
    with Gradebook(database.url(course_dir)) as gradebook:  # as the old attack did
        notebook = gradebook.find_submission("01_unroll", "unsafe").notebooks[0]
        notebook.grades[0].manual_score, notebook.grades[1].extra_credit = 0.0, 100.0
        gradebook.db.commit()
    assert "manual score" in findings()
    results = course.grade(["01_unroll"], course_dir=course_dir, workers=1, force=True)
    assert [result.status for result in results] == ["graded"]
    assert findings() == set()  # sandboxed this time, and the manual scores are gone
    assert set(scores(course_dir, "unsafe", "01_unroll").values()) == {0.0}


def test_an_older_autograded_copy_is_never_reported_as_graded_by_this_run(graded_course):
    course_dir, _ = graded_course
    job = course.Job("01_unroll", "ada")
    assert course.is_graded(job, course_dir)
    assert not course.is_graded(job, course_dir, since=time.time() + 5)


def test_a_patched_clock_does_not_buy_the_speed_item(graded_course):
    course_dir, _ = graded_course
    graded = scores(course_dir, "h_speed_patch", "08_fast")
    assert graded["hidden_conv2d_fast_speed"] == 0.0  # as the honest slow loop
    assert graded["hidden_conv2d_fast"] > 0  # its outputs are right
    report = json.dumps(autograded_cell(
        course_dir, "h_speed_patch", "08_fast", "hidden_conv2d_fast_speed"))  # fmt: skip
    assert "measured outside the kernel" in report


def test_a_classifier_cannot_find_the_held_out_labels(graded_course):
    course_dir, _ = graded_course
    assert scores(course_dir, "h_classifier_frames", "07_cnn")["hidden_train_classifier"] == 0.0
    assert scores(course_dir, "ada", "07_cnn")["hidden_train_classifier"] == 4.0


def test_every_item_act_is_graded(graded_course):
    _, results = graded_course
    for act, (assignment_id, *_) in ITEM_ACTS.items():
        assert results[(f"h_{act}", assignment_id)].status == "graded"


def test_a_file_the_judge_relies_on_changed_after_release_is_named(released_course, tmp_path):
    from autograder import trusted

    course_dir = tmp_path / "course"
    shutil.copytree(released_course / "source" / "01_unroll", course_dir / "source" / "01_unroll")
    shutil.copy(released_course / "nbgrader_config.py", course_dir)
    trusted.write_manifest("01_unroll", course_dir)
    assert trusted.changed("01_unroll", course_dir) == []
    with open(course_dir / "source" / "01_unroll" / "grading_kit" / "record.py", "a") as handle:
        handle.write("\n# edited after release\n")
    assert trusted.changed("01_unroll", course_dir) == [
        "course:source/01_unroll/grading_kit/record.py"
    ]
    assert trusted.changed("02_channels", course_dir)[0].startswith("<no manifest")


def test_grade_refuses_a_course_whose_judge_files_changed_since_release(released_course, tmp_path):
    """Not a batch of silent zeros: grade stops before anything runs and names the file."""
    from tests.grading.test_driver import course_copy

    course_dir = course_copy(released_course, tmp_path / "course")
    samples.write_samples(course_dir, ["01_unroll"], students=("ada",))
    with open(course_dir / "source" / "01_unroll" / "grading_kit" / "record.py", "a") as handle:
        handle.write("\n# edited after release\n")
    with pytest.raises(course.ReleaseChanged, match="grading_kit/record.py.*release 01_unroll"):
        course.grade(["01_unroll"], course_dir, progress=False)
    assert not (course_dir / "autograded").exists()
    completed = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "01_unroll", "--course-dir", str(course_dir)],
        capture_output=True, text=True, cwd=REPOSITORY,
    )  # fmt: skip
    assert completed.returncode == 2 and "changed since the release" in completed.stderr
