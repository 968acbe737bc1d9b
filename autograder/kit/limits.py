"""Time limit of one test case, inside the learner's kernel (hidden records and visible checks).

A case that runs longer is interrupted with :class:`CaseTimeout`, so an infinite loop in an
answer costs one limit instead of stalling the notebook until the cell's own timeout.
"""

import signal
import threading


class CaseTimeout(BaseException):
    """Raised in the kernel when a case exceeds its time limit (a BaseException, so that a
    learner's ``except Exception`` cannot swallow it)."""


def _interrupt(signum, frame):
    raise CaseTimeout


class time_limit:
    """Context manager: raise :class:`CaseTimeout` after ``seconds`` (SIGALRM, main thread)."""

    def __init__(self, seconds):
        usable = (
            hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        )
        self.seconds = seconds if usable and seconds else None

    def __enter__(self):
        if self.seconds:
            self.previous = signal.signal(signal.SIGALRM, _interrupt)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False
