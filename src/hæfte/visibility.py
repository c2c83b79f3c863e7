"""What a reader can see: every section and every sentence of the booklet, checked in the laid-out
PDF and in the web page with its styles, so neither markup nor CSS can hide a figure.

In:  the print HTML and WeasyPrint's layout of it (the very boxes the PDF is drawn from); the web
     page with the style sheets it loads; for ``hæfte check`` also the text PDFium extracts from
     the finished PDF.
Out: problems, one Danish line each, naming the output, the section and the text that a reader
     would not see, and how it is hidden.

What is expected comes from the HTML itself (the element tree WeasyPrint lays out): the text of
every block (paragraph, list item, heading, caption) of the booklet, less what belongs to the other
medium (``.kun-web`` in print, ``.kun-print`` on the web) and the figures' data tables. What is
seen, and the rules for when text counts as seen, are in ``legibility``:

- PDF: WeasyPrint's laid-out boxes, the very ones the PDF is drawn from. Text cut off, hidden by
  ``display: none`` or a ``hidden`` attribute has no box and is missing; a PDF that shrank to one
  page lacks the rest, or has it piled on one page. Each block must be seen whole, in its own
  element, so a short heading cannot be matched by a word elsewhere. ``hæfte check`` also finds
  every block, in reading order, in the text PDFium extracts from the PDF file.
- Web: WeasyPrint's cascade of the page's own styles for the screen (laying the long page out
  would take half a minute). What a browser would hide but WeasyPrint does not model (``clip``,
  ``clip-path``, ``filter``, ``content-visibility``, a closed ``<details>`` or ``<dialog>``,
  ``<noscript>``, …) is refused where it is written, so the check cannot be fooled by it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from hæfte.legibility import BLOCKS, Seen, seen_in_layout, seen_in_styles

OTHER_MEDIUM = {"print": "kun-web", "web": "kun-print"}
# Text that is not part of what a reader sees, by design: the web version writes each quoted figure
# twice, as reading text (.tal-tekst) and as a link to the catalogue (.tal-kilde) that the "Vis
# kilder" switch shows instead; and .skjult is text for screen readers only (the figure's
# definition in its link). Neither may hold a heading or a figure of its own (refused below).
ALTERNATES = {"tal-kilde", "skjult"}
# The only places the web style sheet may hide something in a way this check cannot model: the
# screen-reader-only class and the column headers of the catalogue's cards (a table: not checked).
VISUALLY_HIDDEN = {".skjult": ("clip", "clip-path"), "table.kort thead": ("clip", "clip-path")}
SCOPE = {"print": "body", "web": "main"}
OUTPUT = {"print": "haefte.pdf", "web": "web/index.html"}
# CSS a browser applies to hide text but WeasyPrint does not evaluate: not allowed on the web page
BROWSER_ONLY = ("clip", "clip-path", "mask", "mask-image", "mask-size", "-webkit-mask", "-webkit-mask-image",
                "filter", "backdrop-filter", "content-visibility", "-webkit-text-fill-color", "-webkit-text-stroke",
                "zoom", "mix-blend-mode", "scale", "translate", "rotate", "inset", "line-clamp", "-webkit-line-clamp",
                "contain", "text-security", "-webkit-text-security")

_SKIP = {"script", "style", "head", "title", "table", "svg", "math", "nav", "details", "template", "noscript",
         "dialog", "iframe", "object", "textarea", "select"}
_BROWSER_HIDES = {"details": "en lukket <details>", "dialog": "en lukket <dialog>", "noscript": "<noscript>",
                  "template": "<template>"}


def places(count: int) -> str:
    """'1 sted', '2 steder': how many places a reader cannot see, in Danish (build and check)."""
    return f"{count} sted" if count == 1 else f"{count} steder"


def skeleton(text: str) -> str:
    """Letters and digits only, case-folded: what two renderings of the same text share, whatever
    their spaces, line breaks, hyphenation, ligatures and quotation marks."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _short(text: str, n: int = 80) -> str:
    text = " ".join(text.replace("\u00ad", "").split())  # soft hyphens are break points, not text
    return text if len(text) <= n else text[:n - 1] + "…"


@dataclass
class Block:
    """A paragraph, list item, heading or caption of the booklet: the text a reader should see."""

    element: object
    section: str
    tag: str
    parts: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    def describe(self) -> str:
        what = "overskriften" if re.fullmatch(r"h\d", self.tag) else "teksten"
        shown = f"{what} »{_short(self.text)}«"
        if self.figures:
            shown += " med " + ", ".join(f"»{_short(f, 20)}«" for f in self.figures[:3])
        return shown + (f" (afsnittet »{_short(self.section, 40)}«)" if self.section and what == "teksten" else "")


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def expected(root, medium: str) -> tuple[list[Block], list[str]]:
    """The blocks a reader of ``medium`` ('print' or 'web') should see, in reading order, from the
    element tree of the page (the one WeasyPrint lays out), and text refused outright: text in a
    container a browser does not show."""
    blocks: dict[object, Block] = {}
    refused: list[str] = []
    section = [""]
    scope = next((e for e in root.iter() if e.tag == SCOPE[medium]), None)

    def add(data, block, skipped, container, in_data_table):
        if not data or not skeleton(data):
            return
        if container and not in_data_table:
            refused.append(f"{OUTPUT[medium]}: teksten »{_short(data)}« står i {container}, som en browser ikke "
                           "viser (kun figurernes datatabeller må stå dér)")
        if skipped or block is None:
            return
        if block not in blocks:
            blocks[block] = Block(block, section[0], block.tag)
        blocks[block].parts.append(data)

    def _read(element) -> str:
        """The element's text as read: its alternates (the number's linked twin) left out."""
        parts = [element.text or ""]
        for child in element:
            if isinstance(child.tag, str) and not ALTERNATES.intersection(_classes(child)):
                parts.append(_read(child))
            parts.append(child.tail or "")
        return "".join(parts)

    def visit(element, block, skipped, container, in_data_table):
        if not isinstance(element.tag, str):
            return
        tag = element.tag.rsplit("}", 1)[-1]  # inline SVG's elements come namespaced
        alternate = ALTERNATES.intersection(_classes(element))
        if alternate and any(e.tag in ("h1", "h2", "h3", "h4", "figure") for e in element.iter()):
            refused.append(f"{OUTPUT[medium]}: en overskrift eller figur står i .{min(alternate)}, som læseren ikke "
                           "ser som tekst")
        skipped = skipped or tag in _SKIP or OTHER_MEDIUM[medium] in _classes(element) or bool(alternate)
        if medium == "web" and tag in _BROWSER_HIDES and element.get("open") is None:
            container = container or _BROWSER_HIDES[tag]
        in_data_table = in_data_table or tag in ("summary", "table")
        own = element if tag in BLOCKS else block
        add(element.text, own, skipped, container, in_data_table)
        if "tal" in _classes(element) and not skipped and own is not None:
            blocks.setdefault(own, Block(own, section[0], own.tag)).figures.append(" ".join(_read(element).split()))
        for child in element:
            visit(child, own, skipped, container, in_data_table)
            add(child.tail, own, skipped, container, in_data_table)
        if tag == "h1" and not skipped:
            section[0] = " ".join("".join(element.itertext()).split())

    if scope is not None:
        visit(scope, None, False, None, False)
    return [b for b in blocks.values() if skeleton(b.text)], refused


def parse(html: str):
    """The element tree of an HTML page, parsed as WeasyPrint parses it."""
    import tinyhtml5

    return tinyhtml5.parse(html, namespace_html_elements=False)


LONG_ENOUGH = 40  # letters and digits: a block this long found out of reading order is still itself
MISSING = "teksten mangler (display: none, en skjult side eller skåret af)"


def compare(blocks: list[Block], seen: Seen, output: str) -> list[str]:
    """A problem for every block whose text is not all visible, in the block that holds it."""
    problems = []
    for block in blocks:
        if skeleton("".join(seen.visible.get(block.element, []))) == skeleton(block.text):
            continue
        hidden = seen.hidden.get(block.element, [])
        why = next((why for text, why in hidden if skeleton(text)), None)
        problems.append(f"{output}: {block.describe()} ses ikke: {why or MISSING}")
    return problems


def _root_element(document):
    return next(child.element for child in document.pages[0]._page_box.children if child.element_tag == "html")


def check_print(document) -> tuple[list[str], Seen]:
    """Problems of a laid-out print document, and what was seen (its page margins serve ``check``)."""
    blocks, refused = expected(_root_element(document), "print")
    seen = seen_in_layout(document)
    return refused + compare(blocks, seen, OUTPUT["print"]), seen


def without_margins(text: str, marks: list[str], gap: str = "") -> str:
    """A page's text without its running heads and folio (``marks``, from the layout): each is
    taken out where it stands last, as the margin boxes are drawn after the page's text; ``gap``
    goes in its place (a space keeps two numbers apart)."""
    for mark in marks:
        cut = text.rfind(mark) if mark else -1
        if cut >= 0:
            text = text[:cut] + gap + text[cut + len(mark):]
    return text


def check_pdf_text(pages: list[str], html: str, margins: list[list[str]] | None = None) -> list[str]:
    """Every block of the print HTML, in reading order, in the text extracted from the PDF file
    (PDFium), with the running heads and page numbers of each page taken out, so a sentence may
    cross a page."""
    blocks, _ = expected(parse(html), "print")
    exact = margins is not None and len(margins) == len(pages)
    stream = "".join(without_margins(skeleton(text), [skeleton(m) for m in margins[i]] if exact else [])
                     for i, text in enumerate(pages))
    problems, cursor = [], 0
    for block in blocks:
        key = skeleton(block.text)
        at = stream.find(key, cursor)
        if at < 0 and len(key) >= LONG_ENOUGH and key in stream:
            continue  # a long block out of order (a float) is still its own text
        if at < 0:
            problems.append(f"haefte.pdf: {block.describe()} findes ikke i PDF-filens tekst")
        else:
            cursor = at + len(key)
    return problems


def browser_only_css(page: Path, styles: Path) -> list[str]:
    """Uses of CSS that a browser applies to hide text but this check cannot evaluate."""
    import tinycss2

    problems = []

    def _allowed_hiding(rule, selector: str) -> bool:
        value = tinycss2.serialize(rule.value).strip().lower()
        if rule.lower_name == "content-visibility" and value == "visible":
            return True  # it shows (the print style opens the data tables), it hides nothing
        return rule.lower_name in VISUALLY_HIDDEN.get(selector, ())

    def declarations(rules, where, selector=""):
        for rule in rules:
            if rule.type == "declaration" and rule.lower_name in BROWSER_ONLY \
                    and not _allowed_hiding(rule, selector):
                problems.append(f"{where}, linje {rule.source_line}: '{rule.lower_name}' kan skjule tekst i en "
                                "browser, og hæfte kan ikke kontrollere det; brug det ikke i webversionens stilark")
            elif rule.type == "qualified-rule" or (rule.type == "at-rule" and rule.content is not None):
                inner = tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True, skip_comments=True)
                prelude = tinycss2.serialize(rule.prelude).strip() if rule.type == "qualified-rule" else ""
                declarations(inner, where, " ".join(prelude.split()))

    for sheet in sorted(styles.glob("*.css")):
        if sheet.name.startswith(("print", "katalog-print", "tilgaengelig", "beskaering")):
            continue  # print style sheets are checked in the laid-out PDF
        rules = tinycss2.parse_stylesheet(sheet.read_text(encoding="utf-8"), skip_whitespace=True, skip_comments=True)
        declarations(rules, f"styles/{sheet.name}")
    html = page.read_text(encoding="utf-8")
    for css in re.findall(r"<style[^>]*>(.*?)</style>", html, re.S | re.I):
        declarations(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True), "web/index.html <style>")
    for css in re.findall(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", html, re.I):
        declarations(tinycss2.parse_blocks_contents(css[0] or css[1], skip_whitespace=True, skip_comments=True),
                     "web/index.html style=\"…\"")
    return problems


def check_web(page: Path, styles: Path) -> list[str]:
    """Problems of the web page (runs in the build's worker process, beside the PDF's layout)."""
    seen, root = seen_in_styles(page)
    blocks, refused = expected(root, "web")
    return browser_only_css(page, styles) + refused + compare(blocks, seen, OUTPUT["web"])
