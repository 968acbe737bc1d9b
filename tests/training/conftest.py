"""Fixtures shared by tests/training."""

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True)
def one_blas_thread():
    """Run every test on one BLAS thread, as the training command does by default: the numbers
    are then reproducible and the timings do not depend on how busy the other core is."""
    with threadpool_limits(limits=1):
        yield
