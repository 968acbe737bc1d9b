"""Grading specs: what each assignment grades, with how many points, on which cases.

Every assignment folder ``exercises/NN_name/`` holds a ``grading.py`` that defines ``ITEMS``, a list
of :class:`Item`, one per function the learner writes (see exercises/FORMAT.md).  The judge loads
that file from the repository, never from a submission, so a learner cannot change the cases.
"""

import importlib
import importlib.util
import inspect
from dataclasses import dataclass
from pathlib import Path

from autograder.diagnose import forget
from autograder.kit.drivers import DRIVERS

REPOSITORY = Path(__file__).resolve().parents[1]
EXERCISES = REPOSITORY / "exercises"


def array(*shape, dtype="float64", kind="normal", scale=1.0):
    """Spec of a random array argument, e.g. ``array(2, 3, 7, dtype="float32")``."""
    spec = {"shape": [int(size) for size in shape], "dtype": dtype}
    if kind != "normal":
        spec["kind"] = kind
    if scale != 1.0:
        spec["scale"] = float(scale)
    return spec


def labels(count, classes):
    """Spec of random int64 class labels in ``0..classes-1``, e.g. a loss's ``targets``."""
    return {"shape": [int(count)], "dtype": "int64", "kind": "labels", "high": int(classes)}


def function(family, *shape, seed=0):
    """Spec of a scalar test function ``f(x) = sum(R * family(x))``, R of ``shape`` (kit/cases)."""
    return {"function": family, "shape": [int(size) for size in shape], "seed": int(seed)}


def seeded(cases, first_seed):
    """Give each case its own seed ``first_seed, first_seed + 1, ...`` (cases without one)."""
    return [
        {**case, "seed": case.get("seed", first_seed + number)} for number, case in enumerate(cases)
    ]


TEST_PREFIXES = ("visible_", "hidden_")  # grade_ids of test cells: Item.visible_id, hidden_id


@dataclass
class Item:
    """One graded function.

    Attributes:
        name: the function's name, as the learner must define it (and the answer cell's def).
        points: points of its hidden test cell (scored: points * passed cases / all cases).
        hidden: hidden cases (JSON-able dicts, see autograder/kit/cases.py).
        visible: visible cases; array values may be literal numpy arrays.
        reference: ``"module:attribute"`` of the reference (default ``"solutions:<target>"``).
        outputs: names of the outputs, in return order (several when the function returns a tuple).
        driver: how a case exercises the target (kit/drivers.py): ``"call"`` (default),
            ``"layer"``, ``"optimizer"``, ``"classifier"``, ``"speed"``.
        target: the function or class of the answer cell it tests (default ``name``); several
            items may test one answer (``conv2d_fast`` and ``conv2d_fast_speed``).
        case_seconds: time limit of one hidden case in the kernel (then it counts as failed and
            the item's remaining cases are not run).
        module: the grading module that defines it, whose own diagnoses apply to it besides the
            generic ones (set by :func:`load_assignment`).
    """

    name: str
    points: float
    hidden: list
    visible: list
    reference: str = ""
    outputs: tuple = ("output",)
    driver: str = "call"
    target: str = ""
    case_seconds: float = 10.0
    module: str = ""

    def __post_init__(self):
        self.target = self.target or self.name
        if self.driver not in DRIVERS:
            raise ValueError(f"item {self.name}: unknown driver {self.driver!r} ({list(DRIVERS)})")

    @property
    def runner(self):
        """The :class:`autograder.kit.drivers.Driver` that runs this item's cases."""
        return DRIVERS[self.driver]

    @property
    def hidden_id(self):
        """grade_id of the hidden test cell."""
        return f"hidden_{self.name}"

    @property
    def visible_id(self):
        """grade_id of the visible test cell."""
        return f"visible_{self.name}"

    @property
    def answer_id(self):
        """grade_id of the answer cell."""
        return f"answer_{self.target}"

    def reference_function(self):
        """The trusted reference implementation (imported from the repository's ``solutions``)."""
        module_name, _, attribute = (self.reference or f"solutions:{self.target}").partition(":")
        module = importlib.import_module(module_name)
        check_trusted(module)
        return getattr(module, attribute)

    def positional(self):
        """Argument names passed positionally: the reference's parameters without defaults."""
        parameters = inspect.signature(self.reference_function()).parameters.values()
        return [p.name for p in parameters if p.default is inspect.Parameter.empty]


def check_trusted(module):
    """Refuse a reference module that is not a file of this repository (e.g. a shadowing copy)."""
    path = Path(getattr(module, "__file__", "") or "").resolve()
    if REPOSITORY not in path.parents:
        raise ImportError(f"reference module {module.__name__} comes from {path}, not {REPOSITORY}")


@dataclass
class Assignment:
    """An assignment: its id (folder name), folder and items, in notebook order."""

    id: str
    folder: Path
    items: list

    @property
    def source(self):
        """The authored MyST notebook, ``exercises/NN_name/NN_name.md``."""
        return self.folder / f"{self.id}.md"

    def item(self, name):
        """The item called ``name``."""
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(f"assignment {self.id} has no item {name!r}")


def load_assignment(assignment_id, exercises=EXERCISES):
    """Import ``exercises/<assignment_id>/grading.py`` and return its :class:`Assignment`."""
    folder = Path(exercises) / assignment_id
    path = folder / "grading.py"
    if not path.exists():
        raise FileNotFoundError(f"no grading spec for assignment {assignment_id!r}: {path}")
    module_name = f"grading_{assignment_id}"
    module_spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(module_spec)
    forget(module_name)  # loading again registers its diagnoses again
    module_spec.loader.exec_module(module)
    for item in module.ITEMS:
        item.module = module_name
    return Assignment(assignment_id, folder, list(module.ITEMS))


def assignment_ids(exercises=EXERCISES):
    """Ids of every assignment folder that has a grading spec, sorted."""
    return sorted(path.parent.name for path in Path(exercises).glob("*/grading.py"))
