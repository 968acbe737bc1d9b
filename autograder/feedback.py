"""What the feedback HTML shows a learner: the judge's reports, readable, and nothing of the tests.

``nbgrader generate_feedback`` renders the autograded notebook, hidden test cells included: their
source holds the hidden case list (shapes, dtypes, seeds).  :class:`HideHiddenTests` (placed in
``GenerateFeedback.preprocessors`` by autograder/course_config.py, so plain ``nbgrader
generate_feedback`` uses it too) rewrites the notebook before it is rendered:

- hidden test cells: the source becomes one line saying what the cell did; the outputs become
  the judge's report of the item (score, failing cases, likely mistake), from the verdict the
  judge wrote into the notebook's metadata (autograder/outcomes.py), as a block whose lines wrap
  on the page; the score output nbgrader reads when grading (a bare ``Out[N]: 1.4``) is dropped
  (the page's header shows each cell's score, from the gradebook);
- every output: absolute paths (of the grading machine, the sandbox, the kit) are cut to their
  last part, and a traceback that runs through files (the kit's, the grading machine's) is cut to
  its last line, ``Name: message``; a learner's own cells keep theirs;
- markdown cells: TeX between ``$$ ... $$`` and ``$ ... $`` becomes MathML (docutils' converter),
  which browsers typeset themselves: the page needs no MathJax, from a CDN or elsewhere.  A
  formula the converter does not know is shown as its TeX source in code style.
"""

import html
import re
import textwrap

from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import outcomes

HIDDEN_MARKER = "### BEGIN HIDDEN TESTS"
HIDDEN_NOTE = "# Hidden tests: run by the grader outside your notebook. The judge's report:"
WIDTH = 100  # the plain-text report is wrapped to this many characters

# An absolute or home-relative path of two parts or more (not a fraction such as 1/2).
PATH = re.compile(r"(?<![\w.~/])(?:~|/(?:[\w.+-]+))(?:/[\w.+-]+)+/?")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
FILE_FRAME = re.compile(r"^File \S*[/\\]", re.M)  # IPython's frame header of a file, not a cell
# Markdown code (left alone), display math, inline math.
MATH = re.compile(r"(```.*?```|`[^`\n]*`)|\$\$(.+?)\$\$|\$([^$\n]+?)\$", re.S)
# Commands docutils' converter spells differently, and escapes it keeps literally in \text{}.
TEX_SPELLINGS = {r"\dots": r"\ldots"}
TEXT = re.compile(r"\\text\{[^{}]*\}")  # in \text{log\_softmax} the converter shows the backslash


def is_hidden_test(cell):
    """True for a hidden test cell (grade_id ``hidden_...``) or any cell holding hidden tests."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or ""
    source = cell.get("source", "")
    source = source if isinstance(source, str) else "".join(source)
    return grade_id.startswith("hidden_") or HIDDEN_MARKER in source


def without_paths(text):
    """``text`` with every absolute path cut to its last part (``/scratch/kit/x.py`` -> x.py)."""
    return PATH.sub(lambda match: match.group(0).rstrip("/").rsplit("/", 1)[-1], text)


def wrap(text, width=WIDTH):
    """``text`` with every line wrapped to ``width``, continuation lines indented 4 more."""
    lines = []
    for line in text.splitlines():
        indent = " " * (len(line) - len(line.lstrip()))
        wrapped = textwrap.wrap(line, width, subsequent_indent=indent + "    ")
        lines += wrapped or [""]
    return "\n".join(lines) + "\n"


def report_output(report):
    """One display output holding a judge's report, wrapped to :data:`WIDTH` characters: as
    HTML (the first line, the score, in bold; a narrower page wraps it again) and as text."""
    text = wrap(without_paths(report))
    first, _, rest = text.strip("\n").partition("\n")
    page = (
        '<pre style="white-space: pre-wrap; margin: 0">'
        f"<b>{html.escape(first)}</b>\n{html.escape(rest)}</pre>"
    )
    return new_output("display_data", data={"text/html": page, "text/plain": text})


def report_of(cell, verdicts):
    """The judge's report of a hidden test cell: from the verdicts in the notebook's metadata,
    else from the cell's printed output; '' when there is none."""
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or ""
    verdict = verdicts.get(grade_id.removeprefix("hidden_"), {})
    if isinstance(verdict, dict) and isinstance(verdict.get("report"), str):
        return verdict["report"]
    texts = [
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    ]
    return "".join(text if isinstance(text, str) else "".join(text) for text in texts)


def readable_output(output):
    """An output with its paths cut and a traceback through files cut to ``Name: message``."""
    kind = output.get("output_type")
    if kind == "stream":
        text = output.get("text", "")
        output["text"] = without_paths(text if isinstance(text, str) else "".join(text))
    elif kind == "error":
        output["evalue"] = without_paths(str(output.get("evalue", "")))
        trace = ANSI.sub("", "\n".join(output.get("traceback", [])))
        if FILE_FRAME.search(trace) or PATH.search(trace):
            output["traceback"] = [f"{output.get('ename', 'Error')}: {output['evalue']}"]
    elif "text/plain" in output.get("data", {}):
        text = output["data"]["text/plain"]
        output["data"]["text/plain"] = without_paths(
            text if isinstance(text, str) else "".join(text)
        )
    return output


def mathml(tex, display):
    """TeX as one line of MathML, or None when docutils' converter does not know it."""
    from docutils.utils.math import latex2mathml

    for spelling, known in TEX_SPELLINGS.items():
        tex = tex.replace(spelling, known)
    tex = TEXT.sub(lambda match: match.group(0).replace("\\_", "_"), tex)
    try:
        markup = latex2mathml.tex2mathml(tex.strip(), as_block=display)
    except Exception:  # docutils raises its own SyntaxError and others on unknown TeX
        return None
    return re.sub(r">\s+<", "><", markup).strip()


def with_mathml(source):
    """Markdown with its math as MathML (display math as a block of its own)."""

    def replace(match):
        code, display, inline = match.groups()
        if code is not None:
            return code
        tex = display if display is not None else inline
        markup = mathml(tex, display is not None)
        if markup is None:
            return f"<code>{html.escape(tex.strip())}</code>"
        if display is not None:
            return f"\n\n<div>{markup}</div>\n\n"
        return markup

    return MATH.sub(replace, source)


class HideHiddenTests(NbGraderPreprocessor):
    """Hide the hidden tests, show each item's report, make the page readable (module doc)."""

    def preprocess(self, nb, resources):
        self.verdicts = outcomes.verdicts(nb)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = with_mathml(cell.source)
        elif is_hidden_test(cell):
            cell.source = HIDDEN_NOTE
            report = report_of(cell, getattr(self, "verdicts", {}))
            cell.outputs = [report_output(report)] if report else []
        elif cell.cell_type == "code":
            cell.outputs = [readable_output(output) for output in cell.get("outputs", [])]
        return cell, resources
