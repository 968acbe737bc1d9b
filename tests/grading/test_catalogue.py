"""Every known answer of every assignment scores as declared (fast path, learner environment)."""

import pytest

from autograder.catalogue import run_catalogue
from autograder.spec import assignment_ids


@pytest.mark.grading
@pytest.mark.parametrize("assignment_id", assignment_ids())
def test_catalogue_scores_as_declared(assignment_id, learner_python, tmp_path):
    outcomes = run_catalogue(assignment_id, course_dir=tmp_path, learner_python=learner_python)
    names = [outcome.variant.name for outcome in outcomes]
    assert names[:2] == ["model", "stub"]
    assert any(name.startswith("mistakes/") for name in names), "no known mistakes catalogued"
    problems = [f"{o.variant.name}: {p}" for o in outcomes for p in o.problems]
    assert not problems, "\n".join(problems)
