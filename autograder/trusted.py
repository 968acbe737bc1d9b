"""What the judge trusts, loaded before any learner code runs and checked against the release.

When an assignment is built (``build_assignment``, which ``release`` runs; :func:`write_manifest`),
the SHA-256 of every file the judge relies on is written to
``<course>/trusted/<assignment>.json``, outside every folder a kernel is shown:

- the grading spec ``exercises/NN_name/grading.py``, the reference ``solutions/``, the judge
  (``autograder/judge.py``), its diagnoses (``diagnose.py``), the outside timing (``speed.py``),
  the sandbox and its kernel spec (``sandbox.py``), the limits (``settings.py``), the outcome
  codes (``outcomes.py``) and the kit (``autograder/kit/``), from the repository;
- the assignment's source folder (the source notebook, whose locked cells nbgrader restores,
  the fixtures and the kit copy that kernels are shown) and ``nbgrader_config.py``.

Before a notebook runs, :func:`load` checks them (:func:`changed`), imports the grading spec,
the reference functions and the diagnoses, and draws the secrets of this run (the held-out
seed of classifier items).  The judge then uses only what was loaded then.  Whatever ran later
could not have changed them anyway (the sandbox shows none of these files); the check also
catches a change between release and grading, e.g. an edited reference whose fixtures the
learners never got.
"""

import hashlib
import json
import secrets
from pathlib import Path

from autograder.spec import EXERCISES, REPOSITORY, load_assignment


def watched_files(assignment_id, course_dir):
    """Every file whose content the grading of ``assignment_id`` relies on."""
    course_dir = Path(course_dir)
    names = ("judge.py", "diagnose.py", "speed.py", "sandbox.py", "settings.py", "outcomes.py")
    judge = [REPOSITORY / "autograder" / name for name in names]
    paths = [EXERCISES / assignment_id / "grading.py", course_dir / "nbgrader_config.py", *judge]
    for folder in (REPOSITORY / "solutions", REPOSITORY / "autograder" / "kit"):
        paths += sorted(folder.rglob("*.py"))
    paths += sorted(p for p in (course_dir / "source" / assignment_id).rglob("*") if p.is_file())
    return [path for path in paths if "__pycache__" not in path.parts]


def label(path, course_dir):
    """``course:<path>`` or ``repository:<path>`` (relative), so a course root or a checkout
    can move without its manifest going stale."""
    path, course_dir = Path(path).resolve(), Path(course_dir).resolve()
    for name, root in (("course", course_dir), ("repository", REPOSITORY.resolve())):
        if path.is_relative_to(root):
            return f"{name}:{path.relative_to(root)}"
    return str(path)


def digests(assignment_id, course_dir):
    """{label: sha256 hex} of :func:`watched_files`."""
    return {
        label(path, course_dir): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in watched_files(assignment_id, course_dir)
    }


def manifest_path(assignment_id, course_dir):
    return Path(course_dir) / "trusted" / f"{assignment_id}.json"


def write_manifest(assignment_id, course_dir):
    """Record the digests at release; return the manifest's path."""
    path = manifest_path(assignment_id, course_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(digests(assignment_id, course_dir), indent=1, sort_keys=True))
    return path


def changed(assignment_id, course_dir):
    """Paths whose content differs from the release's manifest (added, removed or edited);
    ['<no manifest>'] when the assignment was not released by ``python -m autograder release``."""
    path = manifest_path(assignment_id, course_dir)
    if not path.exists():
        return [f"<no manifest {path}>"]
    recorded = json.loads(path.read_text())
    now = digests(assignment_id, course_dir)
    return sorted(n for n in recorded.keys() | now.keys() if recorded.get(n) != now.get(n))


class Loaded:
    """The judge's material for one notebook, loaded before its kernel starts."""

    def __init__(self, assignment_id, course_dir, exercises_dir=EXERCISES):
        self.changed = changed(assignment_id, course_dir)
        self.assignment = load_assignment(assignment_id, exercises_dir)
        for item in self.assignment.items:
            item.reference_function()  # imports the reference now
        import autograder.diagnose  # noqa: F401  (the diagnoses, now)
        import autograder.speed  # noqa: F401

        self.heldout_seed = secrets.randbelow(2**31 - 1)
