"""Every known answer of every assignment scores as declared (fast path, learner environment).

All catalogues run once per session.  The feedback test prints, per catalogued mistake, the share
of its failing cases whose report names the diagnosis it declares, and the catalogue-wide figure,
e.g. ``catalogue: mistake named in 97.0% of failing cases (... target 90%) ...``; it fails below
the target, or when any diagnosis matches any case of a correct answer.
"""

import pytest

from autograder.catalogue import NAMED_TARGET, Summary, naming_table, run_catalogue
from autograder.diagnose import registry
from autograder.spec import assignment_ids, load_assignment

ASSIGNMENTS = assignment_ids()
MIN_MISTAKES = 6
RULE_DRIVERS = ("classifier", "speed")
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


def test_feedback_names_the_mistake_and_never_fires_on_a_correct_answer(catalogues, capsys):
    outcomes = [outcome for found in catalogues.values() for outcome in found]
    summary = Summary.of(outcomes)
    with capsys.disabled():
        print("\n  named  cases   mistake                                  item -> diagnosis")
        print("\n".join(naming_table(summary.namings)))
        for assignment_id, found in catalogues.items():
            print(Summary.of(found).line(assignment_id))
        print(summary.line("catalogue"))
    alarms = [f"{o.variant.name}: {alarm}" for o in outcomes for alarm in o.false_alarms]
    assert not alarms, "diagnoses matching a correct answer:\n" + "\n".join(alarms)
    assert summary.correct >= len(ASSIGNMENTS) * 2  # the model and an alternative at least
    assert summary.share >= NAMED_TARGET, f"named in {summary.share:.1%} of failing cases"
    # every mistake with a declared diagnosis is named at least once where it fails
    unnamed = [n for n in summary.namings if n.failing and not n.named]
    assert not unnamed, unnamed


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_every_graded_function_has_six_catalogued_mistakes(assignment_id):
    """At least six mistake files break each graded function (drivers that judge a rule, not a
    value, such as the classifier and the speed items, excepted)."""
    from autograder.catalogue import variants

    assignment = load_assignment(assignment_id)
    counts = {item.name: 0 for item in assignment.items if item.driver not in RULE_DRIVERS}
    for variant in variants(assignment):
        for name in variant.breaks or {}:
            if name in counts and variant.name.startswith("mistakes/"):
                counts[name] += 1
    few = {name: count for name, count in counts.items() if count < MIN_MISTAKES}
    assert not few, f"graded functions with fewer than {MIN_MISTAKES} catalogued mistakes: {few}"


def recorded_outputs(item, function):
    """The hidden cell's outputs for ``function`` on the item's hidden cases (in this process)."""
    from autograder.kit import record

    bundles = []
    record.SINK, saved = bundles.append, record.SINK
    try:
        record.record(item.name, function, item.hidden, item.positional(), driver=item.driver)
    finally:
        record.SINK = saved
    return [{"output_type": "display_data", "data": bundle} for bundle in bundles]


def test_the_false_alarm_check_catches_a_diagnosis_that_fires_on_a_right_answer():
    from autograder import diagnose
    from autograder.catalogue import diagnoses_on_every_case

    item = load_assignment("02_channels").item("conv1d")
    outputs = recorded_outputs(item, item.reference_function())
    assert diagnoses_on_every_case(item, outputs) == []

    def always(attempt):
        return True

    try:
        diagnose.diagnosis("always", "fires on anything", items=("conv1d",))(always)
        item.module = __name__  # the item now sees this module's diagnoses too
        alarms = diagnoses_on_every_case(item, outputs)
    finally:
        diagnose.forget(__name__)
    assert len(alarms) == len(item.hidden) and "matches ['always']" in alarms[0]
