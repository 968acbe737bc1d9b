"""A learner's Python environment: a fresh venv with requirements-learner.txt and nothing else.

Made once per Python version and requirements file under _build/learner-envs/<version>/ and
reused while neither changes (a stamp holds their digest), as scripts/setup.sh does for .venv.
"""

import glob
import hashlib
import os
import shutil
import subprocess

import pytest

from autograder.bundle import REQUIREMENTS
from autograder.settings import REPOSITORY

ENVS = REPOSITORY / "_build" / "learner-envs"
INSTALL_TIMEOUT_SECONDS = 600


def find_python(version):
    """An interpreter of ``version`` ("3.10"): on PATH, in pyenv's versions, or in /usr; a
    failure (not a skip) when the machine has none."""
    candidates = [shutil.which(f"python{version}")]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python")))
    candidates += [f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    for candidate in filter(None, candidates):
        completed = subprocess.run(
            [candidate, "-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
        )
        if completed.returncode == 0 and completed.stdout.strip() == version:
            return candidate
    pytest.fail(f"no Python {version} on this machine (tried {candidates}): install it")


def learner_python(version):
    """The python of a venv of ``version`` holding exactly requirements-learner.txt."""
    base = find_python(version)
    folder = ENVS / version
    full_version = subprocess.run(
        [base, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    digest = hashlib.sha256(REQUIREMENTS.read_bytes() + full_version.encode()).hexdigest()
    stamp = folder / ".requirements.sha256"
    python = folder / "bin" / "python"
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([base, "-m", "venv", str(folder)], check=True)
    completed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", str(REQUIREMENTS)],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_SECONDS,
    )
    if completed.returncode != 0:
        pytest.fail(
            f"pip install -r {REQUIREMENTS.name} failed on Python {version}:\n"
            + completed.stderr[-3000:]
        )
    stamp.write_text(digest)
    return python
