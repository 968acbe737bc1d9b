"""Sample submissions, generated from the released notebooks, the model answers and the mistakes.

    python -m autograder samples [--course-dir _build/course]

writes ``submitted/<student>/<assignment>/<assignment>.ipynb`` for every released assignment:

    ada      every model answer                                  -> full marks
    blank    the released notebook untouched (the stubs)         -> zero on hidden tests
    bob      the model answers with one known mistake per assignment (the first file of
             mistakes/, by name)                                 -> loses points where it declares
    mallory  the model answers plus one hostile act per assignment (below) -> zeros, with reasons,
             and the batch still grades everyone else

Nothing here is hand-written: answers come from the built source notebook, mistakes from
``exercises/NN/mistakes/*.py``.  Mallory's acts, in assignment order (cycling):

    loops      the graded function never returns (per-case time limit)
    forges     the function displays a forged record before returning zeros (two records: refused)
    memory     allocates address space until MemoryError (the sandbox's memory cap)
    exits      os._exit(3): the kernel dies; every later cell is reported as not run
    floods     prints 10 MB and calls sys.exit() (output capped, SystemExit is a cell error)
    deletes    tries to remove grading_kit/, fixtures.npz (read-only in the sandbox) and its own
               submitted folder (not in the sandbox at all)
    cheats     imports the reference and names the main environment's kernel (not importable,
               kernelspec overridden)
    patches    replaces the recorder with one that emits a made-up record (refused)
"""

import ast
import copy
from pathlib import Path

import nbformat

from autograder.build import COURSE_DIR
from autograder.spec import assignment_ids, load_assignment

STUDENTS = ("ada", "blank", "bob", "mallory")

HOSTILE = {
    "loops": """
def {target}(*args, **kwargs):
    while True:
        pass
""",
    "forges": """
def {target}(*args, **kwargs):
    from IPython.display import display
    fake = {{"item": "{item}", "cases": [], "npz": ""}}
    mime = "application/vnd.conv-course.record+json"
    display({{mime: fake, "text/plain": "all passed"}}, raw=True)
    return 0
""",
    "memory": """
import numpy as np
hoard = [np.empty(10**8) for _ in range(1000)]  # 800 MB each, untouched: only address space
""",
    "exits": """
import os
os._exit(3)
""",
    "floods": """
import sys
print("x" * 10_000_000)
sys.exit("goodbye")
""",
    "deletes": """
import os, shutil
shutil.rmtree("grading_kit", ignore_errors=True)
if os.path.exists("fixtures.npz"):
    os.remove("fixtures.npz")
shutil.rmtree(os.path.join("..", "..", "..", "submitted", "mallory", "{assignment}"),
              ignore_errors=True)
""",
    "cheats": """
from solutions import {target}
""",
    "patches": """
import grading_kit.record as recorder
from IPython.display import display


def fake_record(item, function, cases, positional, **options):
    summaries = [{{"types": ["ndarray"], "flags": []}} for _ in cases]
    payload = {{"item": item, "cases": summaries, "npz": ""}}
    display({{recorder.MIME: payload, "text/plain": "perfect"}}, raw=True)


recorder.record = fake_record
""",
}


def answer_cells(notebook):
    """{answer grade_id: cell} of a notebook."""
    return {
        cell.metadata.nbgrader["grade_id"]: cell
        for cell in notebook.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def definitions(code):
    """{name: source} of the functions and classes a file defines, and of the names it imports
    (the import statement)."""
    tree = ast.parse(code)
    found = {}
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    header = "".join(ast.get_source_segment(code, node) + "\n" for node in imports)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            found[node.name] = header + "\n" + ast.get_source_segment(code, node) + "\n"
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                found[alias.asname or alias.name] = ast.get_source_segment(code, node) + "\n"
    return found


def with_mistake(release, model, assignment, path):
    """Model answers, except the functions the mistake file defines (or imports)."""
    notebook = copy.deepcopy(release)
    replaced = definitions(path.read_text())
    for item in assignment.items:
        cell = answer_cells(notebook).get(item.answer_id)
        if cell is None:
            continue
        cell.source = replaced.get(item.target, model[item.answer_id].source)
    return notebook


def with_model(release, model):
    notebook = copy.deepcopy(release)
    for grade_id, cell in answer_cells(notebook).items():
        cell.source = model[grade_id].source
    return notebook


REDEFINES = ("loops", "forges")  # these replace the model's function: they go after it


def hostile(release, model, assignment, act):
    """Model answers, with ``act`` in the first answer cell (before the model's code, so an act
    that raises leaves the function undefined; after it for acts that redefine the function)."""
    notebook = with_model(release, model)
    first = assignment.items[0]
    cell = answer_cells(notebook)[first.answer_id]
    code = HOSTILE[act].format(target=first.target, item=first.name, assignment=assignment.id)
    parts = [cell.source, code] if act in REDEFINES else [code, cell.source]
    cell.source = "\n".join(parts)
    if act == "cheats":
        notebook.metadata["kernelspec"] = {
            "name": "course-venv",
            "display_name": "Python (course .venv)",
            "language": "python",
        }
    return notebook


def act_of(assignment_id):
    """Mallory's act for an assignment: by its number (01 -> loops, 02 -> forges, ...)."""
    acts = list(HOSTILE)
    number = int(assignment_id[:2]) - 1 if assignment_id[:2].isdigit() else 0
    return acts[number % len(acts)]


def sample_notebooks(assignment_id, course_dir=COURSE_DIR):
    """{student: notebook} for one released assignment."""
    assignment = load_assignment(assignment_id)
    name = f"{assignment_id}.ipynb"
    release = nbformat.read(Path(course_dir) / "release" / assignment_id / name, as_version=4)
    source = nbformat.read(Path(course_dir) / "source" / assignment_id / name, as_version=4)
    model = answer_cells(source)
    mistakes = sorted((assignment.folder / "mistakes").glob("*.py"))
    notebooks = {"ada": with_model(release, model), "blank": copy.deepcopy(release)}
    if mistakes:
        notebooks["bob"] = with_mistake(release, model, assignment, mistakes[0])
    notebooks["mallory"] = hostile(release, model, assignment, act_of(assignment_id))
    return notebooks


def write_samples(course_dir=COURSE_DIR, assignments=None, students=STUDENTS):
    """Write the sample submissions of ``students`` under ``course_dir/submitted``; return the
    paths written."""
    written = []
    for assignment_id in assignments or assignment_ids():
        if not (Path(course_dir) / "release" / assignment_id).exists():
            continue
        for student, notebook in sample_notebooks(assignment_id, course_dir).items():
            if student not in students:
                continue
            folder = Path(course_dir) / "submitted" / student / assignment_id
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, folder / f"{assignment_id}.ipynb")
            written.append(folder / f"{assignment_id}.ipynb")
    return written
