"""A Dask distributed cluster of grading workers on this machine, on loopback: one ``dask
scheduler`` process and N ``dask worker`` processes, started from the course environment and
stopped (with everything they started) when the ``with`` block ends.

The tests and the bench use it; a course with several machines starts the same two commands on
them instead (docs/ARCHITECTURE.md, "Grading on a cluster") and passes ``--scheduler ADDRESS`` or
``--scheduler-file PATH`` to ``python -m autograder grade``.

Each worker runs one submission at a time (``--nthreads 1``) in a process its nanny restarts if
it dies: a step already runs its own nbgrader process and sandboxed kernel, and two steps in one
worker would share its cores.  The scheduler gives up on a task that killed more than
:data:`ALLOWED_FAILURES` workers (Dask's ``allowed-failures``) instead of handing it to the next
worker for ever.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from autograder.settings import REPOSITORY

DASK = REPOSITORY / ".venv" / "bin" / "dask"
ALLOWED_FAILURES = 2  # workers a task may take down before the scheduler reports it lost
START_SECONDS = 60


@dataclass
class LocalCluster:
    """A running scheduler and its workers (processes of this machine)."""

    scheduler_file: Path
    address: str
    scheduler: subprocess.Popen
    workers: list = field(default_factory=list)  # subprocess.Popen of each worker's nanny
    folder: Path | None = None

    def kill_worker(self, index=0):
        """SIGKILL worker ``index`` (its nanny too: the worker is gone for good, as when its
        machine is lost)."""
        os.killpg(self.workers[index].pid, signal.SIGKILL)
        self.workers[index].wait()

    def worker_pids(self):
        """{pid of a process that runs tasks: index of its worker} (the nannies' children)."""
        pids = {}
        for index, nanny in enumerate(self.workers):
            if nanny.poll() is None:
                for task in Path(f"/proc/{nanny.pid}/task").glob("*"):
                    try:
                        children = (task / "children").read_text().split()
                    except OSError:
                        continue
                    pids.update({int(child): index for child in children})
        return pids


def environment():
    """The processes' environment: the course's venv first on PATH, Dask's failure limit, one
    task per worker at a time, workers that may have children."""
    return dict(
        os.environ,
        PATH=f"{DASK.parent}:{os.environ.get('PATH', '')}",
        DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES=str(ALLOWED_FAILURES),
        # a worker holds only the step it runs: when it dies, no step queued behind that one is
        # counted as having killed it (Dask blames every task "processing" on a dead worker)
        DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION="1.0",
        # a worker may then have children: its steps fork nbgrader warm (autograder/warm.py)
        DASK_DISTRIBUTED__WORKER__DAEMON="False",
    )


def start(command, log):
    return subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, env=environment(), start_new_session=True,
        cwd=REPOSITORY,
    )  # fmt: skip


def wait_for_workers(scheduler_file, count, scheduler):
    """Block until ``count`` workers are connected (a Client asks the scheduler)."""
    from distributed import Client

    with Client(scheduler_file=str(scheduler_file), timeout=START_SECONDS) as client:
        client.wait_for_workers(count, timeout=START_SECONDS)
    if scheduler.poll() is not None:
        raise RuntimeError("dask scheduler exited while its workers started")


@contextmanager
def local_cluster(workers=2):
    """Start ``dask scheduler`` and ``workers`` ``dask worker`` processes on 127.0.0.1; yield
    the :class:`LocalCluster`; stop every process when the block ends."""
    if not DASK.exists():
        raise RuntimeError(f"{DASK} missing: run bash scripts/setup.sh")
    if int(workers) < 1:
        raise ValueError(f"local_cluster: workers must be at least 1, got {workers!r}")
    folder = Path(tempfile.mkdtemp(prefix="conv-dask-"))
    scheduler_file = folder / "scheduler.json"
    log = open(folder / "cluster.log", "ab")  # noqa: SIM115 (open while the cluster runs)
    processes, started = [], False
    try:
        scheduler = start(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", str(scheduler_file)],
            log,
        )  # fmt: skip
        processes.append(scheduler)
        deadline = time.monotonic() + START_SECONDS
        while not scheduler_file.exists():
            if scheduler.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"dask scheduler did not start; see {folder / 'cluster.log'}")
            time.sleep(0.1)
        cluster = LocalCluster(scheduler_file, json.loads(scheduler_file.read_text())["address"],
                               scheduler, folder=folder)  # fmt: skip
        for index in range(int(workers)):
            worker = start(
                [str(DASK), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                 "--nanny", "--no-dashboard", "--host", "127.0.0.1", "--name",
                 f"grader-{index}", "--local-directory", str(folder / f"worker-{index}"),
                 "--memory-limit", "0"],
                log,
            )  # fmt: skip
            processes.append(worker)
            cluster.workers.append(worker)
        wait_for_workers(scheduler_file, int(workers), scheduler)
        started = True
        yield cluster
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        if started:  # a cluster that failed to start keeps its log for the error message
            shutil.rmtree(folder, ignore_errors=True)
