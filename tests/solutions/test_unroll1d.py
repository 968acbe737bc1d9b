"""Chapter 1: unroll_1d and conv1d_unroll against the loops and the seed note's numbers."""

import numpy as np
from hypothesis import given, settings

from solutions.unroll1d import conv1d_unroll, unroll_1d
from tests.solutions.checks import check_conv1d_unroll, check_unroll_1d
from tests.strategies import UNROLL_1D_EXAMPLES, unroll_1d_cases, with_examples


def test_seed_example():
    # From the seed note: unroll([1..6], K=3) @ [5, 2, 3].  By hand, with zeros past the end:
    #   [1,2,3].[5,2,3] = 5+4+9   = 18      [4,5,6].[5,2,3] = 20+10+18 = 48
    #   [2,3,4].[5,2,3] = 10+6+12 = 28      [5,6,0].[5,2,3] = 25+12+0  = 37
    #   [3,4,5].[5,2,3] = 15+8+15 = 38      [6,0,0].[5,2,3] = 30+0+0   = 30
    got = conv1d_unroll(np.array([1.0, 2, 3, 4, 5, 6]), np.array([5.0, 2, 3]))
    np.testing.assert_array_equal(got, [18, 28, 38, 48, 37, 30])
    unrolled = unroll_1d(np.array([1.0, 2, 3, 4, 5, 6]), 3)
    np.testing.assert_array_equal(
        unrolled, [[1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 6], [5, 6, 0], [6, 0, 0]]
    )


def test_seed_example_with_lists():
    # The contract's example is written with plain lists.
    got = conv1d_unroll([1, 2, 3, 4, 5, 6], [5, 2, 3])
    np.testing.assert_array_equal(got, [18, 28, 38, 48, 37, 30])


@settings(max_examples=40)
@with_examples(UNROLL_1D_EXAMPLES)
@given(case=unroll_1d_cases())
def test_unroll_1d_matches_loops(case):
    check_unroll_1d(unroll_1d, case)


@settings(max_examples=40)
@with_examples(UNROLL_1D_EXAMPLES)
@given(case=unroll_1d_cases())
def test_conv1d_unroll_matches_loops(case):
    check_conv1d_unroll(conv1d_unroll, case)
