"""Fixtures of the learner's tests: the built site (released and built once per test run, shared
with tests/book) and the learner's own Python environments."""

import pytest

from autograder.bundle import LEARNER_PYTHONS
from tests.book.conftest import built_site
from tests.learner.env import learner_python


@pytest.fixture(scope="session")
def site():
    """The built book's HTML folder, with the bundles it publishes."""
    return built_site()


@pytest.fixture(scope="session")
def oldest_python():
    """python of a fresh venv of the oldest supported Python, from requirements-learner.txt."""
    return learner_python(LEARNER_PYTHONS[0])
