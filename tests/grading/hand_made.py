"""Submissions written by hand for the pipeline tests (01_unroll), as a learner would edit them."""

from tests.grading.conftest import model_answers, released_notebook, with_answers

EXERCISE = "01_unroll"
FLIPPED = """def conv1d_unroll(x, weight):
    return unroll_1d(x, weight.shape[0]) @ weight[::-1]
"""
CHEAT = "from solutions import unroll_1d  # the reference: must not be importable\n"
FAKE_REFERENCE = "def conv1d_unroll(x, weight):\n    return x * 0\n"


def hand_made_submissions(course_dir):
    """[(student, assignment, notebook, extra files)] graded with the samples."""
    release = released_notebook(course_dir, EXERCISE)
    model = model_answers(course_dir, EXERCISE)
    flipped = with_answers(release, {**model, "answer_conv1d_unroll": FLIPPED})
    cheat = with_answers(release, {**model, "answer_unroll_1d": CHEAT})
    cheat.metadata.kernelspec = {
        "name": "course-venv",
        "display_name": "Python (course .venv)",
        "language": "python",
    }
    tampered = with_answers(release, {**model, "visible_unroll_1d": "pass"})
    tampered.cells = [
        cell
        for cell in tampered.cells
        if not str(cell.metadata.get("nbgrader", {}).get("grade_id")).startswith("hidden_")
    ]
    return [
        ("flipped", EXERCISE, flipped, []),
        ("cheat", EXERCISE, cheat, []),
        ("tampered", EXERCISE, tampered, [("solutions.py", FAKE_REFERENCE)]),
    ]
