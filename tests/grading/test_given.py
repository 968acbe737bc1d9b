"""The helpers given to learners are written once (autograder/kit/given.py), agree with the
reference, and reach every notebook through the build, never retyped in an assignment."""

import ast
import inspect
import itertools

import jupytext
import numpy as np
import pytest

import solutions
from autograder.build import given_source, source_notebook
from autograder.kit import given
from autograder.spec import assignment_ids, load_assignment
from tests.oracles import FLOAT64_VS_LOOPS, assert_close
from tests.strategies import CONV2D_EXAMPLES

HELPERS = [name for name, value in vars(given).items() if inspect.isfunction(value)]


def test_conv_output_size_is_the_references_formula():
    for size, kernel, stride, padding, dilation in itertools.product(
        range(1, 12), range(1, 5), range(1, 4), range(0, 3), range(1, 3)
    ):
        if dilation * (kernel - 1) + 1 > size + 2 * padding:
            continue  # no window fits: the reference raises, the given helper is never asked
        expected = solutions.conv_output_size(size, kernel, stride, padding, dilation)
        assert given.conv_output_size(size, kernel, stride, padding, dilation) == expected


@pytest.mark.parametrize(
    "value, expected",
    [(2, (2, 2)), (np.int64(3), (3, 3)), ((1, 2), (1, 2)), ([4, 5], (4, 5))],
)
def test_as_pair_takes_ints_numpy_ints_and_pairs(value, expected):
    assert given.as_pair(value) == expected


@pytest.mark.parametrize("case", CONV2D_EXAMPLES, ids=str)
def test_given_convolution_equals_the_reference(case):
    x, weight, bias, grad_out = (
        None if a is None else np.asarray(a, np.float64) for a in case.arrays()
    )
    assert_close(
        given.conv2d(x, weight, bias, **case.params),
        solutions.conv2d(x, weight, bias, **case.params),
        FLOAT64_VS_LOOPS,
        f"given conv2d {case}",
    )
    got = given.conv2d_backward(grad_out, x, weight, **case.params)
    expected = solutions.conv2d_backward(grad_out, x, weight, **case.params)
    for name, a, b in zip(("grad_x", "grad_weight", "grad_bias"), got, expected, strict=True):
        assert_close(a, b, FLOAT64_VS_LOOPS, f"given conv2d_backward {name} {case}")


def test_an_import_line_becomes_the_helpers_source():
    source = "import numpy as np\n\nfrom given import as_pair as pair, conv_output_size\n"
    injected = given_source(source)
    assert injected.startswith("import numpy as np\n")
    assert inspect.getsource(given.as_pair).rstrip() in injected
    assert inspect.getsource(given.conv_output_size).rstrip() in injected
    assert injected.rstrip().endswith("pair = as_pair")
    assert "from given" not in injected
    namespace = {}
    exec(injected, namespace)
    assert namespace["pair"](3) == (3, 3) and namespace["conv_output_size"](28, 3, 2, 1) == 14


def test_an_unknown_helper_is_an_error():
    with pytest.raises(ValueError, match="no function 'pad_twice'"):
        given_source("from given import pad_twice\n")


def setup_cells(assignment_id):
    """The code cells of an assignment's source that are not answer cells."""
    authored = jupytext.read(load_assignment(assignment_id).source, fmt="md:myst")
    return [
        cell.source
        for cell in authored.cells
        if cell.cell_type == "code" and "answer" not in cell.metadata.get("tags", [])
    ]


@pytest.mark.parametrize("assignment_id", assignment_ids())
def test_no_assignment_retypes_a_given_helper(assignment_id):
    for source in setup_cells(assignment_id):
        defined = {
            node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)
        }
        retyped = defined & set(HELPERS) | defined & {"pair", "output_size"}
        assert not retyped, f"{assignment_id} defines {retyped}: import them from given"


@pytest.mark.parametrize("assignment_id", assignment_ids())
def test_the_built_notebook_holds_every_imported_helper(assignment_id):
    built = "\n".join(
        cell.source
        for cell in source_notebook(load_assignment(assignment_id)).cells
        if cell.cell_type == "code"
    )
    assert "from given" not in built
    for source in setup_cells(assignment_id):
        for node in ast.parse(source).body:
            if isinstance(node, ast.ImportFrom) and node.module == "given":
                for alias in node.names:
                    helper = getattr(given, alias.name)
                    assert inspect.getsource(helper).rstrip() in built, alias.name
