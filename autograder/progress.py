"""Progress of a grading batch on stderr: done / total, failures so far, ETA, and one summary line.

On a terminal one line is redrawn (``\\r``) after each result, and results that need a look
(zeroed, FAILED) stay on screen; elsewhere (a log, CI) each result is one line.
"""

import sys
import time

STATUSES = ("graded", "zeroed", "skipped", "FAILED")  # JobResult.status


def duration(seconds):
    """'42 s', '3 min 05 s' or '1 h 02 min'."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Progress:
    """Call :meth:`update` with each JobResult as it arrives, :meth:`close` at the end."""

    def __init__(self, total, stream=None):
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.terminal = self.stream.isatty()
        self.start = time.perf_counter()

    def line(self):
        elapsed = time.perf_counter() - self.start
        left = elapsed / self.done * (self.total - self.done) if self.done else None
        eta = "ETA ?" if left is None else f"ETA {duration(left)}"
        return f"grade: {self.done}/{self.total} done, {self.failed} FAILED, {eta}"

    def update(self, result):
        self.done += 1
        self.failed += result.status == "FAILED"
        job = result.job
        what = f"{result.status} {job.assignment} {job.student} ({result.seconds:.1f} s)"
        detail = f" {result.detail}" if result.detail else ""
        if not self.terminal:
            self.stream.write(f"{self.line()} | {what}{detail}\n")
        else:
            if result.status != "graded":
                self.stream.write(f"\r\033[K{what}{detail}\n")
            self.stream.write(f"\r\033[K{self.line()} | {what}")
        self.stream.flush()

    def close(self):
        if self.terminal:
            self.stream.write("\n")
            self.stream.flush()


def summary(results, seconds, where):
    """One line: how many of each status, the time and the rate of notebooks graded;
    ``where``: what graded them, e.g. "2 workers"."""
    counts = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    ran = sum(n for status, n in counts.items() if status != "skipped")
    rate = f", {ran / seconds * 60:.1f} notebooks/min" if ran and seconds > 0 else ""
    statuses = ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
    return (
        f"grade: {len(results)} submissions, {statuses} in {duration(seconds)} "
        f"({where}{rate})"
    )
