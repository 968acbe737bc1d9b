"""Open every page of the built book in headless Chromium, as a reader would, fully offline.

Checks per page: math typeset by the vendored MathJax (no raw TeX left), every image loaded,
every animation has working controls, no console error, and no request to any host other than
the local server. A full-page screenshot of each page is saved in _build/screenshots/.
Checks per chapter page: a Summary box, at least three "Check yourself" questions whose answers
open when clicked and show a number, and at least one link to another chapter.

Chromium is Debian's (`apt-get install -y chromium`), driven by the playwright package; the
browser that `playwright install` would download is never used.
"""

from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.book.browser import LOCAL_HOSTS, chromium, serve
from tests.book.conftest import BUILD_DIR, toc_pages

pytestmark = [pytest.mark.book, pytest.mark.slow]

SCREENSHOT_DIR = BUILD_DIR / "screenshots"
PAGE_TIMEOUT_MS = 60_000

# Text of the page outside code, scripts and typeset math: raw TeX must not survive there.
_PROSE_TEXT_JS = """() => {
    const copy = document.querySelector('main, article, body').cloneNode(true);
    copy.querySelectorAll('pre, code, script, style, mjx-container, .cell_output, .output')
        .forEach(node => node.remove());
    return copy.textContent;
}"""

_BROKEN_IMAGES_JS = """() => Array.from(document.images)
    .filter(img => !(img.complete && img.naturalWidth > 0))
    .map(img => (img.getAttribute('src') || img.id || '<no src>').slice(0, 80))"""


@pytest.fixture(scope="module")
def site_url(built_html):
    """The built site served on a free port of 127.0.0.1."""
    with serve(built_html) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def visit(browser, site_url):
    """Open a page with every request recorded and any non-local request blocked."""
    contexts = []

    def open_page(page_name):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        record = {"remote": [], "console_errors": [], "page_errors": [], "failed": []}

        def route(route_request):
            url = route_request.request.url
            parsed = urlparse(url)
            if (
                parsed.scheme in ("http", "https", "ws", "wss")
                and parsed.hostname not in LOCAL_HOSTS
            ):
                record["remote"].append(url)
                route_request.abort()
            else:
                route_request.continue_()

        context.route("**/*", route)
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and record["console_errors"].append(f"{msg.text} ({msg.location.get('url', '')})")
            ),
        )
        page.on("pageerror", lambda error: record["page_errors"].append(str(error)))
        page.on("requestfailed", lambda request: record["failed"].append(request.url))
        page.goto(f"{site_url}/{page_name}.html", wait_until="load")
        return page, record

    yield open_page
    for context in contexts:
        context.close()


def _wait_for_mathjax(page):
    """Resolve once MathJax (if the page loads it) has finished typesetting."""
    page.wait_for_function(
        "() => !document.querySelector('script[src*=\"mathjax\"]') || "
        "(window.MathJax && window.MathJax.startup && "
        "window.MathJax.startup.promise)"
    )
    page.evaluate("() => window.MathJax && window.MathJax.startup.promise")


@pytest.mark.parametrize("page_name", toc_pages())
def test_page_renders_offline(visit, page_name):
    page, record = visit(page_name)
    _wait_for_mathjax(page)
    page.wait_for_load_state("networkidle")

    math_nodes = page.locator(".math").count()
    typeset = page.locator("mjx-container").count()
    if math_nodes:
        assert typeset >= math_nodes, (
            f"{page_name}: {math_nodes} math elements but {typeset} typeset by MathJax"
        )
    prose = page.evaluate(_PROSE_TEXT_JS)
    for raw in ("$$", "\\(", "\\[", "\\begin{"):
        assert raw not in prose, f"{page_name}: raw TeX {raw!r} left in the page text"

    broken = page.evaluate(_BROKEN_IMAGES_JS)
    assert not broken, f"{page_name}: images that did not load: {broken}"

    # The screenshot is taken before the animations are stepped, as a reader first sees the page.
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{Path(page_name).name}.png"), full_page=True)

    animations = page.locator("div.animation")
    for index in range(animations.count()):
        animation = animations.nth(index)
        slider = animation.locator("input[type=range]")
        assert slider.count() == 1, f"{page_name}: animation {index} has no frame slider"
        assert animation.locator("button[title=Play]").count() == 1, (
            f"{page_name}: animation {index} has no play button"
        )
        image = animation.locator("img")
        first_frame = image.get_attribute("src")
        animation.locator("button[title='Next frame']").click()
        assert image.get_attribute("src") != first_frame, (
            f"{page_name}: animation {index} did not change frame when stepped"
        )

    assert not record["remote"], f"{page_name}: requests left the machine: {record['remote']}"
    assert not record["failed"], f"{page_name}: requests failed: {record['failed']}"
    assert not record["page_errors"], f"{page_name}: JavaScript errors: {record['page_errors']}"
    assert not record["console_errors"], f"{page_name}: console errors: {record['console_errors']}"
    print(f"{page_name}: {typeset} formulas, {animations.count()} animation(s)")


def test_chapter_one_shows_its_animation(visit):
    """The unroll animation of chapter 1 is on the page (guards against a silently empty cell)."""
    page, _ = visit("book/01_unroll")
    assert page.locator("div.animation").count() >= 1


CHAPTER_PAGES = [page for page in toc_pages() if Path(page).name[:2].isdigit()]
MIN_QUESTIONS = 3


def test_every_chapter_is_listed():
    """Guards the parametrisation below: eight chapters, named NN_name."""
    assert len(CHAPTER_PAGES) == 8, CHAPTER_PAGES


@pytest.mark.parametrize("page_name", CHAPTER_PAGES)
def test_chapter_has_summary_questions_and_links(visit, page_name):
    page, _ = visit(page_name)

    summary = page.locator("div.admonition.summary")
    assert summary.count() == 1, f"{page_name}: expected one Summary box, found {summary.count()}"
    assert summary.locator(".admonition-title").inner_text().strip() == "Summary"
    assert summary.locator("li").count() >= 3, f"{page_name}: the Summary has fewer than 3 points"
    assert summary.locator("mjx-container, .math").count() >= 1, (
        f"{page_name}: the Summary has no key formula"
    )

    questions = page.locator("section#check-yourself details.sd-dropdown")
    assert questions.count() >= MIN_QUESTIONS, (
        f"{page_name}: {questions.count()} Check yourself answers, expected >= {MIN_QUESTIONS}"
    )
    for index in range(questions.count()):
        question = questions.nth(index)
        body = question.locator(".sd-summary-content")
        assert not question.evaluate("node => node.open"), (
            f"{page_name}: answer {index} is open before it is clicked"
        )
        assert not body.is_visible(), f"{page_name}: answer {index} is visible before it is clicked"
        question.locator("summary").click()
        assert question.evaluate("node => node.open"), f"{page_name}: answer {index} did not open"
        assert body.is_visible(), f"{page_name}: answer {index} opened but shows nothing"
        answer_text = body.inner_text()
        assert any(character.isdigit() for character in answer_text), (
            f"{page_name}: answer {index} shows no number: {answer_text[:200]!r}"
        )
        assert body.locator(".pasted-text, .pasted-inline").count() >= 1, (
            f"{page_name}: answer {index} has no number computed at build time (glue)"
        )

    this_page = Path(page_name).name
    other_chapters = {Path(other).name for other in CHAPTER_PAGES} - {this_page}
    hrefs = page.locator("article a.reference.internal").evaluate_all(
        "links => links.map(link => link.getAttribute('href') || '')"
    )
    linked = {
        Path(href.split("#")[0]).stem
        for href in hrefs
        if Path(href.split("#")[0]).stem in other_chapters
    }
    assert linked, f"{page_name}: no link to another chapter in the text"
