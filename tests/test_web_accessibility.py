"""The web version in a real browser (Debian's Chromium via Playwright, axe-core from npm), served
under a strict Content-Security-Policy: at 320, 375, 768, 1280 and 1920 CSS px no page scrolls
sideways (also with WCAG 1.4.12 text spacing), axe finds nothing with the WCAG 2.2 AA and
best-practice tags, no chart text is under 11 CSS px; quoted numbers cost no tab stop until
"Vis kilder" is on; the table of contents, focus indicator, page weight and print stylesheet
hold. Screenshots at 375 and 1280 px go to _output/screenshots/."""

import copy
import hashlib
import json
import re
import shutil
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE_SOURCE = (ROOT / "node_modules/axe-core/axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
WIDTHS = [320, 375, 768, 1280, 1920]
PAGES = ["index.html", "katalog.html", "aendringer.html"]
# WCAG 1.4.12: the spacing a reader may set without losing content
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
                " p { margin-bottom: 2em !important; }")
# The axe rules that read the layout (boxes, scroll sizes, positions): found by running each rule of
# TAGS alone in a page whose geometry APIs (getBoundingClientRect, getClientRects, scroll/client
# sizes, elementsFromPoint, computed width/height/padding) record their callers. Every other rule
# reads only the DOM and the computed styles, so it gives the same result at every width with the
# same style_state; these run at every width.
LAYOUT_RULES = ["color-contrast", "link-in-text-block", "scrollable-region-focusable", "skip-link", "target-size"]
# the pages whose colour contrast is measured on a sample (contrast_sample): on all of the
# catalogue's texts axe takes 8-12 s per width, on one text per style group well under 1 s
CONTRAST_SAMPLED = {"katalog.html"}
BUDGET = 200_000  # bytes: the page with every file it loads, PDFs aside


@pytest.fixture(scope="module")
def change_report(built, served_web):
    """The change report 'hæfte lock' writes beside the web version, for a drift of one figure
    (with the longest id) and one rewritten sentence."""
    from hæfte import lock
    from hæfte.write import web

    now = json.loads((ROOT / "figurer.lock.json").read_text(encoding="utf-8"))
    locked = copy.deepcopy(now)
    longest = max(now["figures"], key=len)
    locked["figures"][longest]["display"] = "99\u00a0pct."
    name = next(iter(locked["sentences"]))
    locked["sentences"][name][0] = "En tidligere sætning, som redaktøren har skrevet om."
    target = served_web / "aendringer.html"
    web.write_page(lock.change_report(locked, now), built.styles_dir, target, "Ændringer i hæftet")
    return target


@pytest.fixture(scope="module")
def tab(browser):
    """One browser tab, in a context of its own, for the tests that change nothing but their
    document: each loads its page afresh, and a tab kept open spares a new context per load and
    keeps axe's compiled code (together half the time of a load)."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def open_page(page, site, name: str, width: int):
    """Loads a page afresh at the width, into page (the tab, or a new page of its own)."""
    if not hasattr(page, "csp_messages"):
        page.csp_messages = []
        page.on("console", lambda m: page.csp_messages.append(m.text) if "Content Security Policy" in m.text else None)
    page.csp_messages.clear()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{site}/{name}")  # returns once the page has loaded
    return page


def load_axe(page) -> list[str]:
    """Loads axe-core into the page; returns the ids of its rules with our tags."""
    # evaluated through the DevTools protocol: the page's own CSP forbids inline scripts
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    tagged = page.evaluate("(tags) => axe.getRules(tags).map(r => r.ruleId)", TAGS)
    assert set(LAYOUT_RULES) <= set(tagged), "a layout rule is renamed or left the tags: see LAYOUT_RULES"
    return tagged


def axe_violations(page, only=None) -> list[str]:
    """axe-core's findings with the WCAG 2.2 AA and best-practice tags: every rule, or only those named."""
    tagged = load_axe(page)
    if only is None:
        options = {"runOnly": {"type": "tag", "values": TAGS}}
    else:
        options = {"runOnly": {"type": "rule", "values": [rule for rule in only if rule in tagged]}}
    options["resultTypes"] = ["violations"]
    result = page.evaluate("(options) => axe.run(document, options)", options)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}: {v['nodes'][0]['target']})" for v in result["violations"]]


# axe's colour contrast gives two texts the same verdict when the computed styles it reads are the
# same for each of them, their ::before/::after and every ancestor, and nothing else is painted
# under either: it finds the background by stacking the painted boxes under the text. So where no
# text of a group lies over a painted box that is not its ancestor, nor sticks out of one that is,
# one text stands for the group: the first that is drawn and has a letter or a digit, so axe
# measures it.
CONTRAST_SAMPLE = r"""() => {
  const PROPS = ['color', 'background-color', 'background-image', 'background-clip', 'opacity', 'font-size',
    'font-weight', 'font-style', 'font-family', 'text-shadow', '-webkit-text-stroke-width', '-webkit-text-stroke-color',
    '-webkit-text-fill-color', 'filter', 'backdrop-filter', 'mix-blend-mode', 'visibility', 'display',
    'content-visibility', 'overflow-x', 'overflow-y', 'clip-path', 'clip', 'position', 'transform', 'float', 'z-index',
    'content'];
  const own = e => JSON.stringify([e.tagName, ...[null, '::before', '::after'].map(p => {
    const s = getComputedStyle(e, p); return PROPS.map(k => s.getPropertyValue(k)); })]);
  const memo = new Map();
  const chain = e => { if (!e) return ''; if (!memo.has(e)) memo.set(e, own(e) + '|' + chain(e.parentElement)); return memo.get(e); };
  // painted: a background, or content drawn by a replaced element or an SVG shape
  const painted = [...document.querySelectorAll('*')].filter(e => { const s = getComputedStyle(e);
    return s.backgroundColor !== 'rgba(0, 0, 0, 0)' || s.backgroundImage !== 'none'
      || e.matches('img, svg, svg *, canvas, video, picture, iframe, object, embed, input, select, textarea, button'); });
  const boxes = new Map(painted.map(p => [p, p.getBoundingClientRect()]));
  const groups = new Map(), overlaps = new Map();
  for (const e of document.body.querySelectorAll('*')) {
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.data.trim())) continue;
    const r = e.getBoundingClientRect(), found = [];
    for (const [p, q] of boxes) {
      const meets = q.width && q.height && r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom;
      const inside = r.left >= q.left && r.right <= q.right && r.top >= q.top && r.bottom <= q.bottom;
      // under a text only its ancestors' paint, and each of them under all of it
      if (p.contains(e) ? r.width && r.height && !inside : meets)
        found.push(`${e.textContent.trim().slice(0, 30)} ${p.contains(e) ? 'sticks out of' : 'over'} <${p.tagName.toLowerCase()} class="${p.getAttribute('class')}">`);
    }
    overlaps.set(e, found);
    const key = chain(e);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(e);
  }
  const pick = g => g.find(e => e.checkVisibility() && /[\p{L}\p{N}]/u.test(e.textContent)) || g[0];
  // a data attribute (no rule reads it) is how axe's rule selector can name the chosen texts
  [...groups.values()].map(pick).forEach(e => e.setAttribute('data-kontrastproeve', ''));
  // a text alone in its group is measured itself, wherever it lies
  return [...groups.values()].filter(g => g.length > 1).flatMap(g => g.flatMap(e => overlaps.get(e)));
}"""


def contrast_sample(page) -> None:
    """Narrows axe's colour contrast to the texts that stand for the page (CONTRAST_SAMPLE)."""
    assert page.evaluate(CONTRAST_SAMPLE) == [], "a text over another box's painting: check the whole page"
    load_axe(page)
    page.evaluate("axe.configure({rules: [{id: 'color-contrast', selector: '[data-kontrastproeve]'}]})")


# What decides the styles at a width: every @media condition (true or false) and, for every
# @container rule, its condition at each query container. Evaluated from the page's own
# stylesheets, so a new breakpoint in web.css gets its own key without a change here.
STYLE_STATE = """() => {
  const media = [], containers = [];
  const walk = rules => { for (const r of rules) {
    if (r instanceof CSSMediaRule) media.push([r.conditionText, matchMedia(r.conditionText).matches]);
    if (r instanceof CSSContainerRule) {
      const m = /^\\((min|max)-width:\\s*([\\d.]+)(px|rem)\\)$/.exec(r.containerQuery);
      if (!m || r.containerName) throw new Error('a container query this test cannot evaluate: ' + r.cssText.slice(0, 80));
      const limit = parseFloat(m[2]) * (m[3] === 'rem' ? parseFloat(getComputedStyle(document.documentElement).fontSize) : 1);
      [...document.querySelectorAll('*')].filter(c => getComputedStyle(c).containerType !== 'normal').forEach((c, i) => {
        const s = getComputedStyle(c), box = c.getBoundingClientRect().width - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)
          - parseFloat(s.borderLeftWidth) - parseFloat(s.borderRightWidth);
        containers.push([r.containerQuery, i, m[1] === 'min' ? box >= limit : box <= limit]); });
    }
    if (r instanceof CSSImportRule) walk(r.styleSheet.cssRules); else if (r.cssRules) walk(r.cssRules);
  } };
  for (const sheet of document.styleSheets) walk(sheet.cssRules);
  return {media, containers};
}"""


def style_state(page) -> str:
    """The page's media and container query state at its width, and its DOM as the script left
    it (web.js opens the table of contents by its own matchMedia): two widths with the same state
    give every rule that does not measure the layout the same input."""
    state = page.evaluate(STYLE_STATE)
    assert state["media"], "the page's stylesheets are readable"
    dom = hashlib.sha256(page.evaluate("document.documentElement.outerHTML").encode()).hexdigest()
    return json.dumps([state, dom])


def wait_until(page, expression: str, seconds: float = 10.0) -> None:
    """Polls ``expression`` from here through the DevTools protocol, as every evaluation in these
    tests is: Playwright's wait_for_function polls with eval inside the page, which the page's own
    Content-Security-Policy (no 'unsafe-eval') refuses whenever the first try is not yet true."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"not true within {seconds} s: {expression}"
        page.wait_for_timeout(50)


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def smallest_chart_text(page) -> float:
    """The smallest rendered size, in CSS px, of any visible text in the charts (the scale is
    the length of the transformed unit vector, so rotated axis labels count too)."""
    return page.evaluate("""() => Math.min(...[...document.querySelectorAll('.diagram svg text')]
        .filter(t => t.checkVisibility())
        .map(t => { const m = t.getScreenCTM(); return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); }))""")


# (page, style state) -> axe's findings with every rule, from the first width in that state
_axe_by_state: dict[tuple[str, str], list[str]] = {}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_reflow_axe_and_chart_text(tab, site, served_web, change_report, name, width):
    page = open_page(tab, site, name, width)
    assert scroll_width(page) <= width, "no horizontal scrolling"
    # every rule once per style state, the layout rules at every width; on the catalogue (some
    # 1,900 texts in 9 to 14 style groups) colour contrast is measured on one text per group
    state = (name, style_state(page))
    if name in CONTRAST_SAMPLED:
        contrast_sample(page)
    if state not in _axe_by_state:
        _axe_by_state[state] = axe_violations(page)
    else:
        assert axe_violations(page, only=LAYOUT_RULES) == []
    assert _axe_by_state[state] == []
    if name == "index.html":
        assert smallest_chart_text(page) >= 11
    # WCAG 1.4.12, with every disclosure (data tables, table of contents) open
    page.evaluate("""(css) => { const s = new CSSStyleSheet(); s.replaceSync(css);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, s]; }""", TEXT_SPACING)
    assert page.evaluate("getComputedStyle(document.querySelector('main p')).lineHeight.endsWith('px')")
    assert page.evaluate("getComputedStyle(document.querySelector('main p')).letterSpacing") != "normal"
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert scroll_width(page) <= width, "no horizontal scrolling with text spacing"
    assert page.csp_messages == []
    if name == "index.html" and width in (375, 1280):
        # after the policy's messages are read: older Playwright hides the caret for a screenshot
        # with an inline style, which the page's own policy then (rightly) refuses
        page.evaluate("document.adoptedStyleSheets = []")
        shots = served_web.parent / "screenshots"
        shots.mkdir(exist_ok=True)
        page.screenshot(path=str(shots / f"web-{width}.png"))
        (ROOT / "_output/screenshots").mkdir(parents=True, exist_ok=True)
        shutil.copy2(shots / f"web-{width}.png", ROOT / "_output/screenshots" / f"web-{width}.png")


def test_catalogue_is_cards_on_phones_and_a_table_on_desktop(tab, site):
    widths = {}
    for width in (375, 1280):
        page = open_page(tab, site, "katalog.html", width)
        widths[width] = page.evaluate("""() => { const r = document.querySelector('table.katalog tbody tr');
            return [getComputedStyle(r).display, r.getBoundingClientRect().width <= innerWidth,
                    getComputedStyle(r.querySelector('td'), '::before').content]; }""")
    assert widths[375] == ["block", True, '"Vises som: " / ""']
    assert widths[1280][:2] == ["table-row", True]


def test_sources_switch_turns_numbers_into_links(browser, site, built):
    quoted = (built.output_dir / "haefte.md").read_text(encoding="utf-8").count("){.tal}")
    page = open_page(browser.new_page(), site, "index.html", 1280)
    visible_links = "() => [...document.querySelectorAll('main a')].filter(a => a.checkVisibility()).length"
    cross_references = page.evaluate("document.querySelectorAll('main a.krydsref').length")
    downloads = page.evaluate("document.querySelectorAll('main .hent-data a').length")
    # reading mode: the only links in the text are cross-references and the charts' CSV files
    assert page.evaluate(visible_links) == cross_references + downloads
    assert page.evaluate("document.querySelectorAll('a.tal-kilde').length") == quoted
    # keyboard: Tab from the skip link, through the header, to the switch; Space turns it on
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.id") != "vis-kilder":
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.evaluate("document.getElementById('vis-kilder').checked")
    assert page.evaluate(visible_links) == cross_references + downloads + quoted
    first = page.locator("a.tal-kilde").first
    assert first.get_attribute("href") == "katalog.html#program.periode"
    assert first.evaluate("a => a.textContent") == "2006–2010, kilde: programmets periode"
    page.reload()
    assert page.evaluate("document.getElementById('vis-kilder').checked"), "the choice is remembered"
    page.locator("#vis-kilder").uncheck()
    assert page.evaluate(visible_links) == cross_references + downloads
    page.close()


def test_table_of_contents_has_two_levels_folds_on_phones_and_marks_the_section(tab, site):
    page = open_page(tab, site, "index.html", 375)
    chapters = page.evaluate("document.querySelectorAll('main h1[id]:not(.unlisted)').length")
    sections = page.evaluate("document.querySelectorAll('main h2[id]').length")
    assert page.evaluate("document.querySelectorAll('nav.toc details > ol > li').length") == chapters
    assert page.evaluate("document.querySelectorAll('nav.toc li li').length") == sections
    assert page.evaluate("document.querySelector('nav.toc details').open") is False
    page.locator("nav.toc summary").click()
    assert page.locator("nav.toc a[href='#socialt-mix']").is_visible()
    page = open_page(tab, site, "index.html", 1280)
    assert page.evaluate("document.querySelector('nav.toc details').open") is True
    page.evaluate("document.getElementById('socialt-mix').scrollIntoView()")
    wait_until(page, "document.querySelector(\"nav.toc a[href='#socialt-mix']\").getAttribute('aria-current')")
    assert page.evaluate("[...document.querySelectorAll('nav.toc [aria-current]')].map(a => a.textContent)") == [
        "Udlejningsredskaber og socialt mix"]


CONTRAST = """(el) => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  let bg = el;
  while (bg && (getComputedStyle(bg).backgroundColor === 'rgba(0, 0, 0, 0)')) bg = bg.parentElement;
  const a = lum(rgb(getComputedStyle(el).outlineColor)), b = lum(rgb(bg ? getComputedStyle(bg).backgroundColor : 'rgb(255,255,255)'));
  return {contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05), width: getComputedStyle(el).outlineWidth,
          style: getComputedStyle(el).outlineStyle, name: el.textContent.trim().slice(0, 30)};
}"""


def test_focus_indicator_is_visible_with_3_to_1_contrast(tab, site):
    page = open_page(tab, site, "index.html", 1280)
    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.getBoundingClientRect().toJSON()")
    assert page.evaluate("document.activeElement.textContent") == "Spring til indholdet"
    assert first["x"] >= 0 and first["y"] >= 0, "the skip link comes into view when focused"
    seen = []
    for _ in range(12):  # skip link, header, switch, PDF, table of contents
        seen.append(page.evaluate_handle("document.activeElement").evaluate(CONTRAST))
        page.keyboard.press("Tab")
    for focus in seen:
        assert focus["style"] == "solid" and focus["width"] == "3px", focus
        assert focus["contrast"] >= 3, focus
    page.reload()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#indhold"


def test_targets_are_at_least_24_px(tab, site):
    page = open_page(tab, site, "index.html", 375)
    small = page.evaluate("""() => [...document.querySelectorAll('header a, header input, nav a, summary, .hent-data a, footer a')]
        .filter(e => e.checkVisibility()).map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect()])
        .filter(([, r]) => r.height < 24 || r.width < 24).map(([t, r]) => `${t}: ${r.width}x${r.height}`)""")
    assert small == []


def test_headings_are_in_order(tab, site):
    page = open_page(tab, site, "index.html", 1280)
    levels = page.evaluate("[...document.querySelectorAll('main h1, main h2, main h3, main h4')].map(h => +h.tagName[1])")
    assert levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:]))


@pytest.mark.parametrize("width", [375, 1280])
def test_page_weight_budget_and_lean_loading(browser, site, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    loaded = {}
    page.on("response", lambda r: loaded.__setitem__(r.url.rsplit("/", 1)[-1], len(r.body())) if r.ok else None)
    page.goto(site + "/index.html")
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    assert not any(name.endswith(".pdf") for name in loaded)
    assert sum(loaded.values()) <= BUDGET, loaded
    # bold running text (the fact box's lead-ins) is set in the sans face, so no fourth font is fetched
    assert set(loaded) == {"index.html", "web.css", "web.js", "source-serif-4-latin-400-normal.woff2",
                           "source-sans-3-latin-400-normal.woff2", "source-sans-3-latin-600-normal.woff2"}
    # every preloaded font is one the page uses, so preloading costs nothing extra
    preloaded = page.evaluate("[...document.querySelectorAll('link[rel=preload]')].map(l => l.href.split('/').pop())")
    assert set(preloaded) <= set(loaded)
    page.close()


def test_print_stylesheet_hides_navigation_and_opens_tables(browser, site):
    page = open_page(browser.new_page(), site, "index.html", 1280)
    page.emulate_media(media="print")
    shown = page.evaluate("""() => Object.fromEntries([
        ['nav.toc', 'nav.toc'], ['switch', '.top-handlinger'], ['csv', '.hent-data'], ['source link', 'a.tal-kilde'],
        ['number', '.tal-tekst'], ['data table', 'table.figurtabel'], ['wide chart', '.diagram-bred'],
        ['narrow chart', '.diagram-smal'], ['caption', 'figcaption'], ['citation', '.citat']]
        .map(([k, s]) => [k, document.querySelector(s).checkVisibility()]))""")
    assert shown == {"nav.toc": False, "switch": False, "csv": False, "source link": False, "number": True,
                     "data table": True, "wide chart": True, "narrow chart": False, "caption": True, "citation": True}
    page.close()


def test_charts_are_named_and_described_images(tab, site):
    page = open_page(tab, site, "index.html", 375)
    charts = page.evaluate("""() => [...document.querySelectorAll('.diagram svg')].filter(s => s.checkVisibility())
        .map(s => [s.getAttribute('role'), document.getElementById(s.getAttribute('aria-labelledby')).textContent,
                   document.getElementById(s.getAttribute('aria-describedby')).textContent.slice(0, 40),
                   s.closest('figure').querySelector('figcaption').textContent])""")
    assert len(charts) == 3
    for role, title, description, caption in charts:
        assert role == "img" and title == re.sub(r"\s+", " ", caption).strip()
        assert description
    assert charts[0][2] == "Vandret søjlediagram over andelen af kom"
