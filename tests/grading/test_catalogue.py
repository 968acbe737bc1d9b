"""Every known answer of every assignment scores as declared (fast path, learner environment).

All catalogues run once per session; the summary test prints the catch rate, e.g.
``catalogue: 52/52 mistakes caught (100%), 14/14 alternatives full marks``.
"""

import pytest

from autograder.catalogue import run_catalogue
from autograder.diagnose import registry
from autograder.spec import assignment_ids, load_assignment

ASSIGNMENTS = assignment_ids()
pytestmark = pytest.mark.grading


@pytest.fixture(scope="session")
def catalogues(learner_python, tmp_path_factory):
    """{assignment: [Outcome]} for every assignment (2 variants graded at a time)."""
    course_dir = tmp_path_factory.mktemp("catalogue")
    return {
        assignment_id: run_catalogue(
            assignment_id, workers=2, course_dir=course_dir, learner_python=learner_python
        )
        for assignment_id in ASSIGNMENTS
    }


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_catalogue_scores_as_declared(catalogues, assignment_id):
    outcomes = catalogues[assignment_id]
    names = [outcome.variant.name for outcome in outcomes]
    assert names[:2] == ["model", "stub"]
    assert any(name.startswith("mistakes/") for name in names), "no known mistakes catalogued"
    problems = [f"{o.variant.name}: {p}" for o in outcomes for p in o.problems]
    assert not problems, "\n".join(problems)


def test_catch_rate_and_every_diagnosis_is_triggered(catalogues, capsys):
    outcomes = [outcome for found in catalogues.values() for outcome in found]
    mistakes = [o for o in outcomes if o.variant.name.startswith("mistakes/")]
    alternatives = [o for o in outcomes if o.variant.name.startswith("alternatives/")]
    caught, full = sum(o.ok for o in mistakes), sum(o.ok for o in alternatives)
    with capsys.disabled():
        print(
            f"\ncatalogue: {caught}/{len(mistakes)} mistakes caught "
            f"({100 * caught / max(len(mistakes), 1):.0f}%), "
            f"{full}/{len(alternatives)} alternatives full marks"
        )
    assert caught == len(mistakes) and full == len(alternatives)
    # A mistake passes its expectations only when its declared diagnosis was among the most
    # frequent on the item it breaks, so the declared keys are the diagnoses seen to trigger.
    # Diagnoses are registered per assignment (generic ones for all): each must be triggered by a
    # mistake of its own assignment, a generic one by a mistake of any.
    triggered = {
        (assignment_id, key)
        for assignment_id, found in catalogues.items()
        for o in found
        if o.ok and o.variant.name.startswith("mistakes/")
        for key in (o.variant.breaks or {}).values()
        if key
    }
    untriggered = {key for key in registry() if key not in {key for _, key in triggered}}
    for assignment_id in ASSIGNMENTS:
        module = load_assignment(assignment_id).items[0].module
        own = set(registry(module)) - set(registry())
        untriggered |= {
            f"{assignment_id}:{key}" for key in own if (assignment_id, key) not in triggered
        }
    assert untriggered == set(), "diagnoses that no catalogued mistake triggers"
