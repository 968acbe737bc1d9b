"""The book build is a test: it must succeed with no warning, and a failing cell must fail it."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.book.conftest import REPO_ROOT, build_book, toc_pages

pytestmark = [pytest.mark.book, pytest.mark.slow]

# Sphinx warnings look like "path:line: WARNING: message" (also "WARNING: message" alone); -W
# already turns them into a failed build, and this names them in the failure message.
SPHINX_WARNING = re.compile(r"^.*\bWARNING: .*$", re.MULTILINE)


class _AssetCollector(HTMLParser):
    """Collects the src/href of every <script>, <link>, <img> and <iframe> of a page."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href"):
            if tag in ("script", "link", "img", "iframe") and attributes.get(name):
                self.urls.append((tag, attributes[name]))


def test_book_builds_without_warnings(book_build):
    warnings = SPHINX_WARNING.findall(book_build.log)
    assert book_build.returncode == 0 and not warnings, (
        f"build exit code {book_build.returncode}, {len(warnings)} warning(s):\n"
        + "\n".join(warnings[:30])
        + "\n--- end of the log ---\n"
        + book_build.log[-3000:]
    )
    print(f"book built in {book_build.seconds:.1f} s")


@pytest.mark.parametrize("page", toc_pages())
def test_every_toc_page_is_built(built_html, page):
    html_file = built_html / f"{page}.html"
    assert html_file.is_file(), f"{html_file} missing: is {page} listed in _toc.yml and built?"
    text = html_file.read_text()
    assert "<h1>" in text, f"{html_file} has no <h1> title"


def test_only_toc_pages_are_built(built_html):
    """exclude_patterns and only_build_toc_files keep code folders out of the site."""
    expected = {f"{page}.html" for page in toc_pages()}
    built = {
        path.relative_to(built_html).as_posix()
        for path in built_html.rglob("*.html")
        if not path.relative_to(built_html).parts[0].startswith("_")
    }
    extra = built - expected - {"index.html", "genindex.html", "search.html"}
    assert not extra, f"pages built that are not in _toc.yml: {sorted(extra)}"


def test_mathjax_and_every_asset_are_local(built_html):
    mathjax = built_html / "_static/mathjax/tex-chtml.js"
    assert mathjax.is_file(), "MathJax was not copied into the site (html_static_path)"
    fonts = list((built_html / "_static/mathjax/output/chtml/fonts/woff-v2").glob("*.woff"))
    assert fonts, "MathJax's CHTML fonts are missing from the site"
    for page in toc_pages():
        collector = _AssetCollector()
        collector.feed((built_html / f"{page}.html").read_text())
        remote = [(tag, url) for tag, url in collector.urls if re.match(r"^(https?:)?//", url)]
        assert not remote, f"{page}.html loads remote assets: {remote}"
        scripts = [url for tag, url in collector.urls if tag == "script"]
        if any("mathjax" in url for url in scripts):
            assert any(
                url.split("?")[0].endswith("_static/mathjax/tex-chtml.js") for url in scripts
            )


def _small_book(tmp_path, cell_source):
    """A one-page book that uses the repository's _config.yml, with one code cell."""
    shutil.copy(REPO_ROOT / "_config.yml", tmp_path / "_config.yml")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/page\n")
    (tmp_path / "book").mkdir()
    (tmp_path / "book/_vendor").symlink_to(REPO_ROOT / "book/_vendor")
    (tmp_path / "book/pictures").symlink_to(REPO_ROOT / "book/pictures")
    (tmp_path / "book/_ext").symlink_to(REPO_ROOT / "book/_ext")
    (tmp_path / "_build/course/site").mkdir(parents=True)  # an html_static_path entry
    header = (REPO_ROOT / "book/01_unroll.md").read_text().split("---\n")[1]
    (tmp_path / "book/page.md").write_text(
        f"---\n{header}---\n\n# A page\n\nSome math: $x^2$.\n\n"
        f"```{{code-cell}} ipython3\n{cell_source}\n```\n"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("cell_source", "should_build"),
    [("print(1 + 1)", True), ("raise RuntimeError('this cell is broken')", False)],
    ids=["working-cell", "failing-cell"],
)
def test_a_failing_cell_fails_the_build(tmp_path, cell_source, should_build):
    """The configuration (raise_on_error, -W) turns an exception in any cell into a failed build;
    the working control proves the failure comes from the cell, not from the small book."""
    result = build_book(_small_book(tmp_path, cell_source), timeout=300)
    if should_build:
        assert result.returncode == 0, result.log[-3000:]
    else:
        assert result.returncode != 0, "a cell raised but the build succeeded"
        assert "this cell is broken" in result.log, result.log[-3000:]


@pytest.mark.parametrize(
    ("stated", "should_build"), [("2 + 2", True), ("2 + 3", False)], ids=["agree", "disagree"]
)
def test_a_wrong_check_yourself_answer_fails_the_build(tmp_path, stated, should_build):
    """A "Check yourself" answer is glued only when the number its text states equals the one the
    reference computes; when they disagree the answer cell raises and the build fails."""
    cell = (
        ":tags: [remove-cell]\n\n"
        "from pictures.check_yourself import answer\n\n"
        f"answer('sum_of_two_twos', {stated}, sum([2, 2]))"
    )
    book = _small_book(tmp_path, cell)
    page = book / "book/page.md"
    page.write_text(
        page.read_text()
        + "\n:::{dropdown} Answer\nTwo and two make {glue:text}`sum_of_two_twos`.\n:::\n"
    )
    result = build_book(book, timeout=300)
    if should_build:
        assert result.returncode == 0, result.log[-3000:]
        html_page = (book / "_build/html/book/page.html").read_text()
        assert "Two and two make" in html_page and ">4<" in html_page
    else:
        assert result.returncode != 0, "a Check yourself answer disagreed but the book built"
        assert "AnswerMismatchError" in result.log, result.log[-3000:]


@pytest.mark.parametrize("page", [page for page in toc_pages() if Path(page).name[:2].isdigit()])
def test_every_chapter_links_its_assignment_bundle(built_html, page):
    """The Assignment box links to the chapter's own bundle, which the site serves."""
    name = Path(page).name
    html_page = (built_html / f"{page}.html").read_text()
    hrefs = re.findall(r'class="bundle-link[^"]*" href="([^"]+)"', html_page)
    assert f"../_static/assignments/{name}.zip" in hrefs, hrefs
    for href in hrefs:
        assert (built_html / page).parent.joinpath(href).resolve().is_file(), href
