"""numerical_gradient is checked against analytic gradients, not trusted."""

import pytest

from solutions.gradient_check import numerical_gradient
from tests.solutions.checks import (
    KNOWN_GRADIENTS,
    check_numerical_gradient,
    check_numerical_gradient_is_central,
)


@pytest.mark.parametrize("name", KNOWN_GRADIENTS)
def test_numerical_gradient_of_known_functions(name):
    check_numerical_gradient(numerical_gradient, name)


def test_numerical_gradient_is_a_central_difference_with_the_given_eps():
    check_numerical_gradient_is_central(numerical_gradient)
