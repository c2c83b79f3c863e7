"""The web version in a real browser (Debian's Chromium, driven by Playwright): axe-core finds no
WCAG 2.1 A/AA violation, the skip link and keyboard focus work, headings are in order, and the
layout holds at 375 and 1280 px. Screenshots go to _output/screenshots/."""

import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules/axe-core/axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(built.output_dir / "web")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is installed by the README's set-up command"
    assert AXE.exists(), "axe-core is installed by 'npm ci' in the README's set-up command"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield browser
        browser.close()


def axe_violations(page) -> list[str]:
    # the page's Content-Security-Policy refuses inline scripts, so axe is injected from a page
    # opened with bypass_csp=True (the test's own tool, not part of the page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})" for v in result["violations"]]


@pytest.mark.parametrize("width", [375, 1280])
def test_no_wcag_violations_and_layout_holds(browser, site, built, width):
    page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)
    page.goto(site + "/index.html")
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no horizontal scrolling"
    shots = built.output_dir / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / f"web-{width}.png"), full_page=False)
    (ROOT / "_output/screenshots").mkdir(parents=True, exist_ok=True)
    shutil.copy2(shots / f"web-{width}.png", ROOT / "_output/screenshots" / f"web-{width}.png")
    page.close()


def test_figure_catalogue_page_has_no_violations(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page.goto(site + "/katalog.html")
    assert axe_violations(page) == []
    page.close()


def test_skip_link_and_visible_keyboard_focus(browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site + "/index.html")
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const e = document.activeElement, r = e.getBoundingClientRect(),
        s = getComputedStyle(e); return {text: e.textContent, x: r.left, y: r.top, outline: s.outlineStyle,
        width: s.outlineWidth}; }""")
    assert focused["text"] == "Spring til indholdet"
    assert focused["x"] >= 0 and focused["y"] >= 0, "the skip link comes into view when focused"
    assert focused["outline"] != "none" and focused["width"] == "3px"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#indhold"
    page.close()


def test_headings_are_in_order(browser, site):
    page = browser.new_page()
    page.goto(site + "/index.html")
    levels = page.evaluate("[...document.querySelectorAll('main h1, main h2, main h3, main h4')].map(h => +h.tagName[1])")
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))
    page.close()
