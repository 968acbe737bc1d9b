"""What a learner can download: one bundle per assignment, published in the built book, holding
the released notebook, the kit, the fixtures, a README and the learner requirements, and nothing
of the model answers (searched for in every file of the site and every zip)."""

import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import bundle, samples
from autograder.settings import COURSE_DIR
from autograder.spec import assignment_ids
from tests.learner import leaks
from tests.learner.env import learner_python

pytestmark = [pytest.mark.book, pytest.mark.slow]

LEARNER_PACKAGES = {"numpy", "matplotlib", "jupyterlab", "ipykernel"}
# name==version, optionally for some Pythons only: numpy==2.2.6; python_version < "3.11"
REQUIREMENT = re.compile(r'^([A-Za-z0-9_.-]+)==[0-9][0-9a-z.]*(; python_version [<>=]+ "3\.\d+")?$')


def requirement_lines():
    lines = [line.strip() for line in bundle.REQUIREMENTS.read_text().splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def test_learner_requirements_are_small_pinned_and_state_the_pythons():
    names = set()
    for line in requirement_lines():
        match = REQUIREMENT.match(line)
        assert match, f"requirements-learner.txt: {line!r} is not a pinned requirement"
        names.add(match.group(1).lower())
    assert names == LEARNER_PACKAGES, names
    oldest, newest = bundle.LEARNER_PYTHONS
    assert f"Python {oldest} to {newest}" in bundle.REQUIREMENTS.read_text()


def bundle_files(assignment_id):
    """The files a bundle must hold, exactly (paths inside its folder)."""
    kit = sorted(Path("grading_kit") / path.name for path in
                 (bundle.REPOSITORY / "autograder" / "kit").glob("*.py"))  # fmt: skip
    return {f"{assignment_id}.ipynb", "fixtures.npz", "README.md", "requirements-learner.txt",
            *map(str, kit)}  # fmt: skip


@pytest.mark.parametrize("assignment_id", assignment_ids())
def test_each_bundle_is_published_as_a_folder_and_a_zip(site, assignment_id):
    published = site / "_static" / bundle.SITE_FOLDER.name
    folder, archive = published / assignment_id, published / f"{assignment_id}.zip"
    files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert files == bundle_files(assignment_id)
    with zipfile.ZipFile(archive) as opened:
        members = {name for name in opened.namelist() if not name.endswith("/")}
        assert members == {f"{assignment_id}/{name}" for name in files}
        for name in files:
            assert opened.read(f"{assignment_id}/{name}") == (folder / name).read_bytes(), name
    release = COURSE_DIR / "release" / assignment_id / f"{assignment_id}.ipynb"
    assert (folder / release.name).read_bytes() == release.read_bytes()
    assert (archive.read_bytes() == (bundle.site_folder(COURSE_DIR) / archive.name).read_bytes())
    readme = (folder / "README.md").read_text()
    assert f"python -m grading_kit.check {assignment_id}.ipynb" in readme
    assert f"<your id>_{assignment_id}.ipynb" in readme


def test_the_site_lists_every_bundle_and_the_requirements(site):
    page = (site / "book" / "doing_the_exercises.html").read_text()
    hrefs = set(re.findall(r'class="bundle-link[^"]*" href="([^"]+)"', page))
    wanted = {f"../_static/assignments/{a}.zip" for a in assignment_ids()}
    assert wanted | {"../_static/assignments/requirements-learner.txt"} <= hrefs, hrefs
    for href in hrefs:
        assert (site / "book" / href).resolve().is_file(), href


def test_nothing_of_the_model_answers_is_reachable_from_the_site(site):
    found = leaks.leaks(site, leaks.fingerprints(COURSE_DIR))
    assert not found, f"{len(found)} model-answer texts in the site; the first ones:\n" + "\n".join(
        f"  {what}  IN  {where}" for what, where in found[:15]
    )


def test_the_search_finds_a_model_answer_in_a_broken_bundle(tmp_path):
    """The control: a bundle that ships the instructor's source notebook, and a page that shows a
    model answer as highlighted code, are both caught (by the markers and by the answer)."""
    source = COURSE_DIR / "source" / "01_unroll" / "01_unroll.ipynb"
    folder = shutil.copytree(bundle.site_folder(COURSE_DIR) / "01_unroll", tmp_path / "01_unroll")
    shutil.copy(source, Path(folder) / "01_unroll.ipynb")
    bundle.zip_folder(Path(folder), tmp_path / "01_unroll.zip")
    shutil.rmtree(folder)
    model = samples.answer_cells(nbformat.read(source, as_version=4))["answer_unroll_1d"].source
    body = model.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0]
    spans = "".join(f'<span class="n">{word}</span> ' for word in body.split())
    (tmp_path / "page.html").write_text(f"<html><body><pre>{spans}</pre></body></html>")
    found = leaks.leaks(tmp_path, leaks.fingerprints(COURSE_DIR, ["01_unroll"]))
    places = {where for _, where in found}
    assert "01_unroll.zip!01_unroll/01_unroll.ipynb" in places, found
    assert "page.html" in places, found
    assert any("solution (whole)" in what for what, where in found if where == "page.html")


@pytest.mark.parametrize("which", ["oldest", "newest"])
def test_every_notebook_checks_on_the_oldest_and_newest_python(site, which):
    """A fresh venv from requirements-learner.txt alone: the check command fails (exit 1) on each
    released stub and passes (exit 0) with the model answers, for all eight assignments."""
    version = bundle.LEARNER_PYTHONS[0 if which == "oldest" else -1]
    python = learner_python(version)
    for assignment_id in assignment_ids():
        source = COURSE_DIR / "source" / assignment_id / f"{assignment_id}.ipynb"
        model = samples.answer_cells(nbformat.read(source, as_version=4))
        with tempfile.TemporaryDirectory() as scratch:
            with zipfile.ZipFile(site / "_static" / "assignments" / f"{assignment_id}.zip") as z:
                z.extractall(scratch)
            folder = Path(scratch) / assignment_id
            notebook = folder / f"{assignment_id}.ipynb"
            command = [str(python), "-m", "grading_kit.check", notebook.name]
            stub = subprocess.run(command, cwd=folder, capture_output=True, text=True)
            released = nbformat.read(notebook, as_version=4)
            nbformat.write(samples.with_model(released, model), notebook)
            answered = subprocess.run(command, cwd=folder, capture_output=True, text=True)
        assert stub.returncode == 1, (assignment_id, version, stub.stdout[-1500:], stub.stderr)
        assert answered.returncode == 0, (
            assignment_id, version, answered.stdout[-1500:], answered.stderr[-1500:]
        )
