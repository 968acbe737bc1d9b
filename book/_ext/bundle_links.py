"""The ``{bundle}`` role: a link to a file of the learners' assignment bundles, checked at build.

    {bundle}`01_unroll.zip`                              a link named "01_unroll.zip"
    {bundle}`the notebook <01_unroll/01_unroll.ipynb>`   a link with its own text

The files are the ones ``python -m autograder release`` writes (autograder/bundle.py) into the
folder ``assignments/`` of an ``html_static_path`` entry, so the site serves them as
``_static/assignments/...``.  A file that is not there is a build warning, which ``-W`` turns into
a failed build: the book is built after the release, never with a link to nothing.
"""

import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import split_explicit_title

FOLDER = "assignments"  # autograder/bundle.py SITE_FOLDER's last part
logger = logging.getLogger(__name__)


class BundleRole(SphinxRole):
    def run(self):
        _, title, target = split_explicit_title(self.text)
        target = target.strip()
        roots = [Path(self.env.app.confdir) / entry for entry in self.config.html_static_path]
        if not any((root / FOLDER / target).is_file() for root in roots):
            logger.warning(
                f"bundle file {FOLDER}/{target} is in no html_static_path folder: run "
                "`python -m autograder release` before building the book",
                location=self.get_location(),
            )
        here = posixpath.dirname(self.env.docname) or "."
        uri = posixpath.relpath(f"_static/{FOLDER}/{target}", here)
        return [nodes.reference(self.rawtext, title, refuri=uri, classes=["bundle-link"])], []


def setup(app):
    app.add_role("bundle", BundleRole())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
