"""Find the model answers, or anything of the instructor's copies, in a built site and its zips.

What is searched for (:func:`fingerprints`):
- nbgrader's markers, which only the instructor's notebooks hold (``### BEGIN SOLUTION``,
  ``### BEGIN HIDDEN TESTS``);
- every model answer, whole: the region between the markers of each answer cell of the built
  source notebooks (``<course>/source/NN_name/NN_name.ipynb``), and each of its lines;
- each line of the hidden test cells (their case lists and seeds);
- each line of the other correct answers and of the catalogued mistakes (``exercises/NN_name/
  alternatives/*.py`` and ``mistakes/*.py``), which give the answer away as surely.

A text counts when it is at least ``MIN_LINE`` characters long and is not public already: not in
the book's own sources (the book teaches with code), in a released notebook (a notebook may
give an earlier assignment's function as a helper: chapter 7's gives a loop ``conv2d_backward``)
nor in the learner kit every bundle ships (its visible tests and assignment 8's speed baseline,
a loop ``conv2d_loops``, which a catalogued mistake of assignment 8 resembles line for line).

Where (:func:`site_texts`): every text file of the site (an HTML page as the text a reader
sees, so highlighted code counts whole), and every text member of every zip in it.
All texts are compared with runs of whitespace collapsed to one space.
"""

import html.parser
import io
import json
import re
import zipfile
from pathlib import Path

from autograder.spec import REPOSITORY, assignment_ids

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS")
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.DOTALL)
MIN_LINE = 30
TEXT_SUFFIXES = {".html", ".js", ".json", ".txt", ".md", ".py", ".ipynb", ".css", ".inv"}


def normalised(text):
    return " ".join(text.split())


def notebook_text(path):
    """The joined source of every cell of a notebook."""
    notebook = json.loads(Path(path).read_text())
    return "\n".join(
        "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for cell in notebook["cells"]
    )


def public_text(course_dir):
    """What the course publishes on purpose, normalised: the book's sources, every released
    notebook (a notebook may give an earlier assignment's function as a helper) and the kit."""
    texts = [page.read_text() for page in sorted((REPOSITORY / "book").glob("*.md"))]
    texts += [notebook_text(path) for path in sorted(Path(course_dir).glob("release/*/*.ipynb"))]
    texts += [path.read_text() for path in sorted((REPOSITORY / "autograder" / "kit").glob("*.py"))]
    return "\n".join(normalised(text) for text in texts)


def fingerprints(course_dir, assignments=None):
    """[(label, normalised text)] of everything that must not be reachable from the site."""
    public = public_text(course_dir)
    found = [(f"marker {marker!r}", marker) for marker in MARKERS]
    for assignment_id in assignments or assignment_ids():
        source = Path(course_dir) / "source" / assignment_id / f"{assignment_id}.ipynb"
        regions = [(kind.lower(), body) for kind, body in REGION.findall(notebook_text(source))]
        exercise = REPOSITORY / "exercises" / assignment_id
        for path in sorted(exercise.glob("alternatives/*.py")) + sorted(
            exercise.glob("mistakes/*.py")
        ):
            regions.append((f"{path.parent.name}/{path.name}", path.read_text()))
        for kind, body in regions:
            label = f"{assignment_id} {kind}"
            texts = [(f"{label} (whole)", normalised(body))] if kind == "solution" else []
            texts += [(f"{label}: {normalised(line)[:60]}", normalised(line))
                      for line in body.splitlines()]  # fmt: skip
            found += [
                (what, text)
                for what, text in texts
                if len(text) >= MIN_LINE and text not in public
            ]
    return found


class _Text(html.parser.HTMLParser):
    """The text of an HTML page, scripts and styles left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_text(markup):
    parser = _Text()
    parser.feed(markup)
    return "".join(parser.parts)


def text_of(name, data):
    """The searchable text of one file's bytes, or None for a file that is not text."""
    suffix = Path(name).suffix
    if suffix not in TEXT_SUFFIXES:
        return None
    text = data.decode("utf-8", errors="replace")
    return html_text(text) + "\n" + text if suffix == ".html" else text


def zip_texts(label, data):
    """(label, text) of every text member of a zip (zips inside it too)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.namelist():
            content = archive.read(member)
            if member.endswith(".zip"):
                yield from zip_texts(f"{label}!{member}", content)
            elif (text := text_of(member, content)) is not None:
                yield f"{label}!{member}", text


def site_texts(folder):
    """(label, normalised text) of every text file of a folder and every text member of its
    zips."""
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file():
            continue
        label = str(path.relative_to(folder))
        if path.suffix == ".zip":
            for member, text in zip_texts(label, path.read_bytes()):
                yield member, normalised(text)
        elif (text := text_of(path.name, path.read_bytes())) is not None:
            yield label, normalised(text)


def leaks(folder, prints):
    """[(what, where)] of every fingerprint found in the folder."""
    found = []
    for where, text in site_texts(folder):
        found += [(label, where) for label, needle in prints if needle in text]
    return found
