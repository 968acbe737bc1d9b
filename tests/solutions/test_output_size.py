"""conv_output_size against counting the window placements one by one."""

import itertools

from hypothesis import given, settings

from solutions.output_size import conv_output_size
from tests.oracles import count_window_positions
from tests.solutions.checks import check_conv_output_size
from tests.strategies import output_size_arguments


def test_every_small_valid_combination():
    combinations = itertools.product(range(1, 13), range(1, 6), range(1, 5), range(4), range(1, 4))
    checked = 0
    for size, kernel_size, stride, padding, dilation in combinations:
        if count_window_positions(size, kernel_size, stride, padding, dilation) >= 1:
            check_conv_output_size(conv_output_size, size, kernel_size, stride, padding, dilation)
            checked += 1
    assert checked > 1000  # the grid really exercised the function


@settings(max_examples=60)
@given(arguments=output_size_arguments(max_size=300))
def test_large_sizes(arguments):
    if count_window_positions(*arguments) >= 1:
        check_conv_output_size(conv_output_size, *arguments)


def test_textbook_values():
    # 28x28 image, 5x5 kernel: 24; with padding 2: 28; stride 2 over 7 with k=3: 3 (positions
    # 0, 2, 4); dilation 2 makes a 3-tap kernel span 5: 7 - 5 + 1 = 3.
    assert conv_output_size(28, 5) == 24
    assert conv_output_size(28, 5, padding=2) == 28
    assert conv_output_size(7, 3, stride=2) == 3
    assert conv_output_size(7, 3, dilation=2) == 3
