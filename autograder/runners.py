"""Where grading steps run: a pool of threads of this machine, or a Dask distributed cluster.

Both take the same data (an :class:`autograder.step.AssignmentCopy` per assignment and the jobs)
and yield ``(job, outcome)`` pairs as steps finish, where ``outcome`` is a
:class:`autograder.step.StepResult` or the exception the step raised; the driver
(:func:`autograder.course.grade`) records each one as it arrives.  Stopping the iteration early
(an error or Ctrl-C in the driver) starts no further steps.

On Dask, a worker that dies (killed, out of memory, its machine lost) loses only the step it was
running: the scheduler hands that step to another worker.  A step that has taken down
``distributed.scheduler.allowed-failures`` workers (autograder/cluster.py sets 2) comes back as
``KilledWorker``; it is then run once more with execution skipped, so the submission gets zeros
and the reason instead of being tried for ever.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor, as_completed

from autograder import step

KILLED_REASON = "not run: grading this notebook stopped {count} grading workers in a row"


def local_steps(copies, jobs, course_dir, workers, unsafe=False):
    """Run the steps of ``jobs`` in ``workers`` threads of this process (each waits on its own
    nbgrader process); yield (job, StepResult or exception) as they finish."""

    def run(job):
        submission = step.submission_files(course_dir, job.assignment, job.student)
        return step.grade_step(copies[job.assignment], job.student, submission, unsafe=unsafe)

    pool = ThreadPoolExecutor(max_workers=max(1, int(workers)))
    try:
        futures = {pool.submit(run, job): job for job in jobs}
        for future in as_completed(futures):
            yield futures[future], future.exception() or future.result()
    finally:  # normal end, an error or Ctrl-C in the driver: start no more steps
        pool.shutdown(wait=False, cancel_futures=True)


def connect(scheduler=None, scheduler_file=None):
    """A distributed Client of the scheduler at ``scheduler`` (an address such as
    tcp://10.0.0.5:8786) or described by ``scheduler_file``; raises ValueError naming the
    argument when neither or both are given, OSError when it cannot be reached."""
    from distributed import Client

    if bool(scheduler) == bool(scheduler_file):
        raise ValueError("give one of --scheduler ADDRESS or --scheduler-file PATH")
    try:
        if scheduler:
            return Client(scheduler, timeout="30s", set_as_default=False)
        return Client(scheduler_file=str(scheduler_file), timeout="30s", set_as_default=False)
    except (OSError, TimeoutError) as error:
        where = f"--scheduler {scheduler}" if scheduler else f"--scheduler-file {scheduler_file}"
        raise OSError(f"cannot reach the Dask scheduler ({where}): {error}") from error


def dask_steps(copies, jobs, course_dir, scheduler=None, scheduler_file=None, unsafe=False):
    """Run the steps of ``jobs`` on a Dask cluster; yield (job, StepResult or exception) as they
    finish.  Each step carries its assignment's files (a few hundred KB) and depends on no other
    task: the scheduler keeps steps queued until a worker is free (``worker-saturation`` 1.0,
    autograder/cluster.py), so a worker that dies held only the step it ran, and only that step
    is counted as having killed it."""
    from distributed import KilledWorker
    from distributed import as_completed as completed

    client = connect(scheduler, scheduler_file)
    run = uuid.uuid4().hex[:8]  # task keys of this run: never a result of an earlier run
    futures = {}
    try:

        def submit(job, skip=""):
            submission = step.submission_files(course_dir, job.assignment, job.student)
            key = f"grade-{job.assignment}-{job.student}-{'skip-' if skip else ''}{run}"
            return client.submit(step.grade_step, copies[job.assignment], job.student, submission,
                                 skip=skip, unsafe=unsafe, key=key, pure=False)  # fmt: skip

        futures = {submit(job): job for job in jobs}
        skipped = set()  # futures of steps run with execution skipped
        pending = completed(list(futures), loop=client.loop)
        for future in pending:
            job = futures.pop(future)
            try:
                outcome = future.result()
            except KilledWorker as error:
                if future in skipped:
                    outcome = error
                else:  # it kept killing workers: zeros and the reason, nothing runs
                    again = submit(job, KILLED_REASON.format(count=error.allowed_failures + 1))
                    futures[again] = job
                    skipped.add(again)
                    pending.add(again)
                    continue
            except Exception as error:
                outcome = error
            yield job, outcome
    finally:
        for future in list(futures):
            future.cancel()
        client.close()
