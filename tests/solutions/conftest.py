"""Shows the mutation-testing score of test_mutants.py at the end of every run."""

from tests.solutions.checks import MUTANT_REPORT


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    line = config.stash.get(MUTANT_REPORT, None)
    if line is not None:
        terminalreporter.write_line(line)
