"""`python -m autograder collect`: notebooks from a folder or an LMS zip into submitted/.

A course root here is just release/<assignment>/ folders (what collect reads to know the
assignments); notebooks are tiny hand-made ones, each with a marker to tell them apart.
"""

import json
import os
import stat
import time
import zipfile

import nbformat
import pytest

from autograder import collect, course
from autograder.__main__ import main

ASSIGNMENTS = ("01_unroll", "02_channels")


@pytest.fixture
def course_dir(tmp_path):
    root = tmp_path / "course"
    for assignment in ASSIGNMENTS:
        (root / "release" / assignment).mkdir(parents=True)
    return root


def notebook(marker):
    """A small notebook's bytes, told apart by ``marker``."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"answer = {marker!r}")]
    return nbformat.writes(nb).encode()


def marker_of(path):
    return "".join(json.loads(path.read_text())["cells"][0]["source"]).split(" = ")[1].strip("'")


def submitted(course_dir, student, assignment):
    return course_dir / "submitted" / student / assignment / f"{assignment}.ipynb"


def write_zip(path, members):
    """members: [(name, bytes)] or [(ZipInfo, bytes)]."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def test_every_documented_folder_pattern_is_placed(tmp_path, course_dir):
    source = tmp_path / "inbox"
    files = {
        "ada/01_unroll.ipynb": "ada-1",
        "ada/02_channels/whatever.ipynb": "ada-2",
        "bob_01_unroll.ipynb": "bob-1",
        "carla_maria_02_channels.ipynb": "carla-2",
        "smithjohn_12345_678901_01_unroll.ipynb": "canvas-1",
    }
    for name, marker in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(notebook(marker))
    placed, unplaced = collect.collect(source, course_dir)
    assert unplaced == []
    expected = {
        ("ada", "01_unroll"): "ada-1",
        ("ada", "02_channels"): "ada-2",
        ("bob", "01_unroll"): "bob-1",
        ("carla_maria", "02_channels"): "carla-2",
        ("12345", "01_unroll"): "canvas-1",
    }
    assert {(p.student, p.assignment) for p in placed} == set(expected)
    for (student, assignment), marker in expected.items():
        assert marker_of(submitted(course_dir, student, assignment)) == marker
    assert {p.status for p in placed} == {"new"}


def test_a_canvas_zip_is_placed_by_user_id_and_the_newest_submission_wins(tmp_path, course_dir):
    path = write_zip(
        tmp_path / "submissions.zip",
        [
            ("lovelaceada_4711_1001_01_unroll.ipynb", notebook("first")),
            ("lovelaceada_LATE_4711_1002_01_unroll-1.ipynb", notebook("resubmitted")),
            ("babbagecharles_42_1003_my homework.ipynb", notebook("charles")),
        ],
    )
    placed, unplaced = collect.collect(path, course_dir, assignment="02_channels")
    # --assignment: every Canvas file is that assignment's, whatever the learner named it
    assert {(p.student, p.assignment) for p in placed} == {
        ("4711", "02_channels"),
        ("42", "02_channels"),
    }
    assert marker_of(submitted(course_dir, "4711", "02_channels")) == "resubmitted"
    assert [u.source for u in unplaced] == ["lovelaceada_4711_1001_01_unroll.ipynb"]
    assert "superseded by lovelaceada_LATE_4711_1002" in unplaced[0].reason
    placed, unplaced = collect.collect(path, course_dir)  # the names say 01_unroll; "my homework"
    assert {(p.student, p.assignment) for p in placed} == {("4711", "01_unroll")}
    assert {u.source: u.reason for u in unplaced}["babbagecharles_42_1003_my homework.ipynb"]


def test_unsafe_and_oversized_members_and_strays_are_refused_with_a_reason(tmp_path, course_dir):
    link = zipfile.ZipInfo("eve/01_unroll.ipynb")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = write_zip(
        tmp_path / "hostile.zip",
        [
            ("/etc/cron.d/ada_01_unroll.ipynb", notebook("absolute")),
            ("../../ada_01_unroll.ipynb", notebook("parent")),
            ("sub\\..\\..\\bob_01_unroll.ipynb", notebook("windows parent")),
            ("C:/bob_02_channels.ipynb", notebook("drive")),
            (link, b"/etc/passwd"),
            ("big_01_unroll.ipynb", notebook("x" * 5000)),
            ("dan_01_unroll.ipynb", b"{not json"),
            ("dan/.ipynb_checkpoints/01_unroll-checkpoint.ipynb", notebook("checkpoint")),
            ("__MACOSX/._ada_01_unroll.ipynb", b"\x00\x05"),
            ("ada/report.pdf", b"%PDF"),
            ("ada/03_other.ipynb", notebook("unknown assignment")),
            ("bad id!_01_unroll.ipynb", notebook("bad id")),
            ("ok_01_unroll.ipynb", notebook("fine")),
        ],
    )
    placed, unplaced = collect.collect(path, course_dir, size_limit=2000)
    assert [(p.student, p.assignment) for p in placed] == [("ok", "01_unroll")]
    reasons = {u.source: u.reason for u in unplaced}
    assert len(reasons) == 12  # every other member, each once
    for name in ("/etc/cron.d/ada_01_unroll.ipynb", "C:/bob_02_channels.ipynb"):
        assert "absolute" in reasons[name]
    for name in ("../../ada_01_unroll.ipynb", "sub\\..\\..\\bob_01_unroll.ipynb"):
        assert ".." in reasons[name]
    assert "link" in reasons["eve/01_unroll.ipynb"]
    assert "larger than 2000 bytes" in reasons["big_01_unroll.ipynb"]
    assert "not a valid notebook" in reasons["dan_01_unroll.ipynb"]
    assert "checkpoint" in reasons["dan/.ipynb_checkpoints/01_unroll-checkpoint.ipynb"]
    assert "not a notebook" in reasons["ada/report.pdf"]
    assert "no learner and assignment" in reasons["ada/03_other.ipynb"]
    assert "student id" in reasons["bad id!_01_unroll.ipynb"]
    # nothing was written outside submitted/<student>/<assignment>/
    written = sorted(p.relative_to(course_dir) for p in course_dir.rglob("*") if p.is_file())
    assert [str(p) for p in written] == ["submitted/ok/01_unroll/01_unroll.ipynb"]
    assert not (tmp_path / "ada_01_unroll.ipynb").exists()


def test_a_member_whose_header_understates_its_size_is_still_refused(tmp_path, course_dir):
    path = write_zip(tmp_path / "liar.zip", [("ok_01_unroll.ipynb", notebook("y" * 5000))])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    # rewrite the central directory's uncompressed size (offset 24 of its entry) to 10 bytes
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    assert info.file_size > 2000
    placed, unplaced = collect.collect(path, course_dir, size_limit=2000)
    assert placed == [] and len(unplaced) == 1


def test_a_resubmission_replaces_the_previous_one_and_is_regraded(tmp_path, course_dir):
    old = submitted(course_dir, "ada", "01_unroll")
    old.parent.mkdir(parents=True)
    old.write_bytes(notebook("old"))
    (old.parent / "stale_helper.py").write_text("x = 1")
    backup = course_dir / course.BACKUP / "ada" / "01_unroll"
    backup.mkdir(parents=True)
    (backup / "stale_helper.py").write_text("x = 1")
    graded = course_dir / "autograded" / "ada" / "01_unroll" / "01_unroll.ipynb"
    graded.parent.mkdir(parents=True)
    graded.write_text(json.dumps({"cells": [], "metadata": {}}))
    past = time.time() - 100
    os.utime(old, (past, past))
    os.utime(graded, (past + 10, past + 10))
    job = course.Job("01_unroll", "ada")
    assert course.is_graded(job, course_dir)  # the old submission's grade is current

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ada_01_unroll.ipynb").write_bytes(notebook("new"))
    os.utime(inbox / "ada_01_unroll.ipynb", (past - 50, past - 50))  # an old file, copied now
    placed, _ = collect.collect(inbox, course_dir)
    assert [p.status for p in placed] == ["replaced"]
    assert marker_of(old) == "new"
    assert sorted(p.name for p in old.parent.iterdir()) == ["01_unroll.ipynb"]
    assert not backup.exists()  # grade's restore step cannot bring the old files back
    assert not course.is_graded(job, course_dir)  # grade regrades it without --force

    os.utime(graded, None)
    placed, _ = collect.collect(inbox, course_dir)
    assert [p.status for p in placed] == ["unchanged"]
    assert course.is_graded(job, course_dir)  # the same file again keeps its grade


def test_assignment_option_places_only_that_assignment(tmp_path, course_dir):
    inbox = tmp_path / "inbox"
    (inbox / "ada").mkdir(parents=True)
    (inbox / "ada" / "01_unroll.ipynb").write_bytes(notebook("1"))
    (inbox / "ada" / "02_channels.ipynb").write_bytes(notebook("2"))
    placed, unplaced = collect.collect(inbox, course_dir, assignment="02_channels")
    assert [(p.student, p.assignment) for p in placed] == [("ada", "02_channels")]
    assert "not 02_channels" in unplaced[0].reason
    with pytest.raises(ValueError, match="not a released assignment"):
        collect.collect(inbox, course_dir, assignment="09_nothing")


def test_the_command_reports_every_file_not_placed_and_exits_1(tmp_path, course_dir, capsys):
    path = write_zip(
        tmp_path / "class.zip",
        [
            ("ada_01_unroll.ipynb", notebook("a")),
            ("../evil_01_unroll.ipynb", notebook("e")),
            ("readme.txt", b"hello"),
        ],
    )
    code = main(["collect", str(path), "--course-dir", str(course_dir)])
    out = capsys.readouterr().out
    assert code == 1
    assert "1 placed" in out and "2 not placed" in out
    assert "NOT PLACED ../evil_01_unroll.ipynb" in out and "NOT PLACED readme.txt" in out
    assert submitted(course_dir, "ada", "01_unroll").exists()
    assert main(["collect", str(tmp_path / "missing"), "--course-dir", str(course_dir)]) == 2
