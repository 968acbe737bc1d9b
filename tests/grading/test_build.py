"""The built source notebook and its fixtures, checked against the seed notes' worked numbers."""

import ast

import numpy as np
import pytest

from autograder.build import source_notebook
from autograder.kit.visible import load_cases
from autograder.spec import load_assignment

ASSIGNMENT = load_assignment("01_unroll")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from autograder.build import build_assignment

    return build_assignment("01_unroll", tmp_path_factory.mktemp("course"))


def nbgrader_cells(notebook):
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in notebook.cells}


def test_every_item_gets_answer_visible_and_hidden_cells_in_that_order():
    notebook = source_notebook(ASSIGNMENT)
    ids = [cell.metadata["nbgrader"]["grade_id"] for cell in notebook.cells]
    for item in ASSIGNMENT.items:
        start = ids.index(f"answer_{item.name}")
        assert ids[start : start + 3] == [
            f"answer_{item.name}",
            f"visible_{item.name}",
            f"hidden_{item.name}",
        ]


def test_cell_metadata_follows_nbgrader_schema_3():
    cells = nbgrader_cells(source_notebook(ASSIGNMENT))
    answer, hidden = cells["answer_conv1d_unroll"].metadata.nbgrader, None
    hidden = cells["hidden_conv1d_unroll"].metadata.nbgrader
    visible = cells["visible_conv1d_unroll"].metadata.nbgrader
    assert answer["solution"] and not answer["locked"] and not answer["grade"]
    assert hidden["grade"] and hidden["locked"] and hidden["points"] == 3
    assert not visible["grade"] and visible["locked"]
    assert {cell.metadata.nbgrader["schema_version"] for cell in cells.values()} == {3}
    assert "### BEGIN HIDDEN TESTS" in cells["hidden_conv1d_unroll"].source


def test_hidden_cell_lists_exactly_the_spec_cases():
    source = nbgrader_cells(source_notebook(ASSIGNMENT))["hidden_unroll_1d"].source
    call = next(
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "record"
    )
    cases = ast.literal_eval(next(k.value for k in call.keywords if k.arg == "cases"))
    assert cases == ASSIGNMENT.item("unroll_1d").hidden


def test_fixtures_hold_the_worked_example_of_the_course(built):
    conv = load_cases("conv1d_unroll", built / "fixtures.npz")[0]
    np.testing.assert_array_equal(conv["inputs"]["x"], [1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(conv["expected"][0], [18, 28, 38, 48, 37, 30])
    unroll = load_cases("unroll_1d", built / "fixtures.npz")[0]
    np.testing.assert_array_equal(
        unroll["expected"][0],
        [[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 0], [6, 0, 0]],
    )


def test_fixtures_store_the_flipped_kernel_answer_for_the_visible_hint(built):
    conv = load_cases("conv1d_unroll", built / "fixtures.npz")[0]
    flipped = {message.split(":")[0]: outputs[0] for message, outputs in conv["mistakes"]}
    # weight [3, 2, 5] on [1..6] with zeros past the end, computed by hand
    np.testing.assert_array_equal(flipped["flipped kernel"], [22, 32, 42, 52, 27, 18])


def test_the_kit_is_shipped_and_never_imports_solutions(built):
    kit = built / "grading_kit"
    for path in kit.glob("*.py"):
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        imported |= {
            node.module.split(".")[0]
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
        }
        assert imported <= {
            "numpy",
            "IPython",
            "ast",
            "base64",
            "io",
            "json",
            "os",
            "sys",
            "subprocess",
            "tempfile",
            "traceback",
            "pathlib",
            "dataclasses",
            "signal",
            "threading",
            "textwrap",
            "time",
            "zipfile",
        }, path
