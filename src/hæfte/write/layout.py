"""The booklet's pages as WeasyPrint lays them out, measured, and the make-up rules applied.

In:  a parsed WeasyPrint ``HTML`` whose element tree ``write/pdf.py`` has prepared, the style
     sheets and fonts.
Out: the rendered ``Document`` after the make-up passes, and ``Page`` facts for each page
     (fill, lines, figures) that the passes and the tests read.

WeasyPrint cannot float a figure to the next page and let the text run on, nor limit hyphenated
lines in a row, nor pad a saddle-stitched booklet to a multiple of 4 pages. So the page is laid
out, measured, and the element tree changed where a rule is broken; then laid out again
(one render takes under a second):

1. a figure that did not fit, leaving more than a fifth of the page before it empty, is moved
   after as much of the following text as fills that gap: the text fills the page and the
   figure goes to the top of the next one;
2. a third hyphenated line in a row loses its break (the word goes whole to the next line);
3. a chapter whose last page would be less than a quarter full runs its pages one line long
   (as a typesetter would, spread by spread) when that takes the last page's few lines back;
   else it starts a section on a new page, when that leaves the page before at least two
   thirds full (a page broken off emptier than that mid-chapter reads as the chapter's end);
4. once the other rules hold, the page count becomes a multiple of 4: the colophon leaves page 2
   for a page of its own before the back cover (the inside back cover), and blank pages go
   before it if more are needed;
5. an appendix table that did not fit, leaving more than a fifth of the page before it empty,
   lets a later table that fits in that gap go first (a typesetter floats tables so; the tables
   are read by their captions, not their order).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hæfte.write.orddeling import SHY, unhyphenate

MAX_EMPTY_BEFORE_FIGURE = 0.2  # of the page's text area
MAX_HYPHENATED_IN_A_ROW = 2
MIN_FILL = 0.25  # a page less full than this is only allowed as a chapter's last page
MIN_FILL_BEFORE_BREAK = 2 / 3  # a page broken off mid-chapter less full than this reads as a chapter end
MAX_PASSES = 8
LONG_PAGE = "lang"  # the CSS named page one body line longer (styles/print.css, @page lang)
BODY_LINE = 9.6 * 1.45 * 96 / 72  # CSS px of one body line (print.css: html font 9.6pt/1.45)
TABLE_SPACE = 10 * 96 / 25.4  # CSS px a table needs besides its lines: its margin and rules
BLOCK_TAGS = ("p", "li", "figcaption", "h1", "h2", "h3", "dd", "dt", "summary", "td", "th", "caption")


@dataclass
class Line:
    block: object  # the element of the paragraph, list item … the line belongs to
    text: str  # as laid out, soft hyphens removed
    hyphenated: bool  # ends in a hyphen WeasyPrint added at a soft hyphen
    top: float
    bottom: float
    last: str = ""  # the line's last text run as laid out (for the tags: a hyphen not to be read)
    room: float = 0.0  # CSS px left free at the line's end
    lead: float = 0.0  # CSS px of the line's first word


@dataclass
class Page:
    number: int
    name: str  # the CSS named page: forside, indhold, bagside, tom or ''
    top: float  # the text area, CSS px
    height: float
    bottom_used: float  # lowest ink in the text area
    lines: list[Line] = field(default_factory=list)
    figures: list[tuple[object, float, float]] = field(default_factory=list)  # element, top, bottom
    figure_boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, y0, x1, y1
    first_block: object = None  # the first element laid out on the page
    opens_chapter: bool = False
    empty: bool = False
    long: bool = False  # set one body line long (rule 3); its name stays ''

    @property
    def fill(self) -> float:
        return max(0.0, min(1.0, (self.bottom_used - self.top) / self.height))


def _block_element(box, parents):
    for parent in reversed(parents):
        if parent.element_tag in BLOCK_TAGS:
            return parent.element
    return box.element


def measure(document) -> list[Page]:
    """Per page: the text area, the lowest ink, each text line and each figure."""
    from weasyprint.formatting_structure import boxes

    pages = []
    for number, page in enumerate(document.pages, 1):
        page_box = page._page_box
        top, height = page_box.content_box_y(), page_box.height
        name = page_box.page_type.name
        info = Page(number, "" if name == LONG_PAGE else name, top, height, top, long=name == LONG_PAGE)
        body = [b for b in page_box.children if not isinstance(b, boxes.MarginBox)]

        def walk(box, parents):
            if isinstance(box, boxes.LineBox):
                runs = [t for t in box.descendants() if isinstance(t, boxes.TextBox)]
                texts = [t.text for t in runs]
                raw = "".join(texts)
                if raw.strip():
                    line = Line(_block_element(box, parents), raw.replace(SHY, ""), raw.rstrip().endswith(SHY + "-"),
                                box.position_y, box.position_y + box.height, texts[-1].replace(SHY, ""),
                                *_room_and_lead(runs, parents[-1] if parents else None))
                    info.lines.append(line)
                    info.bottom_used = max(info.bottom_used, line.bottom)
                    if info.first_block is None:
                        info.first_block = line.block
                for child in box.descendants():
                    if isinstance(child, boxes.InlineReplacedBox):
                        info.bottom_used = max(info.bottom_used, child.position_y + child.margin_height())
                return
            if isinstance(box, boxes.ReplacedBox):
                info.bottom_used = max(info.bottom_used, box.position_y + box.margin_height())
            if isinstance(box, boxes.BlockBox) and box.element_tag == "figure" and box.element is not None:
                info.figures.append((box.element, box.position_y, box.position_y + box.margin_height()))
                info.figure_boxes.append((box.border_box_x(), box.border_box_y(),
                                          box.border_box_x() + box.border_width(),
                                          box.border_box_y() + box.border_height()))
                if info.first_block is None:
                    info.first_block = box.element
            if box.element_tag == "h1" and isinstance(box, boxes.BlockBox) and info.first_block is None:
                info.first_block = box.element
                info.opens_chapter = True
            background = box.style["background_color"] if hasattr(box, "style") else None
            if isinstance(box, boxes.BlockBox) and background is not None and getattr(background, "alpha", 0) \
                    and box.element_tag not in ("html", "body"):
                info.bottom_used = max(info.bottom_used, box.position_y + box.margin_height())
            for child in getattr(box, "children", ()):
                walk(child, parents + [box])

        for box in body:
            walk(box, [])
        if info.first_block is not None and getattr(info.first_block, "tag", None) == "h1":
            info.opens_chapter = True
        info.empty = not info.lines and not info.figures
        pages.append(info)
    return pages


def _room_and_lead(runs, block) -> tuple[float, float]:
    """The free width at a line's end (inside its block) and the width of its first word."""
    if block is None or not runs:
        return 0.0, 0.0
    room = block.content_box_x() + block.width - max(t.position_x + t.width for t in runs)
    # the first word may run over several runs: "(" + "52 pct." + ")", one word (no-break space)
    lead, started = 0.0, False
    for run in runs:
        text = run.text.replace(SHY, "")
        body = text if started else text.lstrip(" \t\n")
        started = started or bool(body)
        end = re.search(r"[ \t\n]", body)
        share = (end.start() if end else len(body)) / max(1, len(text))
        lead += run.width * share
        if end:
            break
    return room, lead


# ---------------------------------------------------------------- the passes
def _parent_map(root):
    return {child: parent for parent in root.iter() for child in parent}


def _move_figures(pages: list[Page], root) -> bool:
    """Rule 1: a figure at the top of a page whose previous page (same chapter) was left more
    than a fifth empty goes after the text that fills that gap."""
    parents = _parent_map(root)
    moved = False
    for i, page in enumerate(pages[1:], 1):
        if not page.figures or page.opens_chapter:
            continue
        figure = page.figures[0][0]
        before = pages[i - 1]
        if page.first_block is not figure or before.empty or before.name:
            continue
        gap = (before.top + before.height - before.bottom_used)
        if gap / before.height <= MAX_EMPTY_BEFORE_FIGURE:
            continue
        parent = parents.get(figure)
        if parent is None:
            continue
        siblings = list(parent)
        at = siblings.index(figure)
        # the blocks after the figure, with their heights as laid out on this page
        heights = {}
        for line in page.lines:
            top, bottom = heights.get(line.block, (line.top, line.bottom))
            heights[line.block] = (min(top, line.top), max(bottom, line.bottom))
        filled, target = 0.0, None
        for sibling in siblings[at + 1:]:
            if sibling.tag == "h1" or sibling.tag == "figure":
                break
            inside = [h for el, h in heights.items() if el is sibling or _contains(sibling, el)]
            if not inside:
                break
            filled += max(b for _, b in inside) - min(t for t, _ in inside)
            target = sibling
            if filled >= gap:
                break
        if target is None:
            continue
        if target.tag in ("h2", "h3"):  # a heading never right above a figure it was not written for
            continue
        parent.remove(figure)
        parent.insert(list(parent).index(target) + 1, figure)
        moved = True
    return moved


def _contains(ancestor, element) -> bool:
    return any(e is element for e in ancestor.iter())


def _limit_hyphenation(pages: list[Page]) -> bool:
    """Rule 2: at most two hyphenated lines in a row; the third word goes whole."""
    lines = [line for page in pages for line in page.lines]
    changed, run = False, 0
    for line, following in zip(lines, lines[1:] + [None]):
        run = run + 1 if line.hyphenated else 0
        if run > MAX_HYPHENATED_IN_A_ROW and following is not None:
            before = line.text.rstrip()[:-1].split()[-1]
            after = following.text.split()[0] if following.text.split() else ""
            after = after.rstrip(".,;:!?)»”'\"")
            changed |= unhyphenate(line.block, before, after)
            run = 0
    return changed


def _balance_chapter_ends(pages: list[Page], root) -> bool:
    """Rule 3: no chapter ends on a page of a few lines: its pages run a line long to take them
    back, or else its last section starts a page."""
    changed = False
    for i in range(1, len(pages)):
        page, before = pages[i], pages[i - 1]
        following = pages[i + 1] if i + 1 < len(pages) else None
        chapter_end = following is None or following.opens_chapter or bool(following.name)
        if page.opens_chapter or page.name or page.empty or not chapter_end or page.fill >= MIN_FILL:
            continue
        if before.name or before.empty:
            continue
        if _run_long(pages, i, root):
            changed = True
            continue
        need = (MIN_FILL - page.fill) * page.height
        headings = [line for line in before.lines if line.block.tag in ("h2", "h3")]
        for line in reversed(headings):
            if (line.top - before.top) / before.height < MIN_FILL_BEFORE_BREAK:
                break
            if before.bottom_used - line.top >= need:
                line.block.set("class", " ".join([*(line.block.get("class") or "").split(), "ny-side"]))
                changed = True
                break
    return changed


def _run_long(pages: list[Page], last: int, root) -> bool:
    """The chapter ending on page ``last`` set on long pages (one more body line each), when
    the lines of its last page fit into the lines its other pages gain."""
    start = next((j for j in range(last - 1, 0, -1) if pages[j].opens_chapter), None)
    if start is None or any(page.long for page in pages[start:last + 1]):
        return False
    used = pages[last].bottom_used - pages[last].top
    if used > (last - start) * BODY_LINE + 1:  # 1 px: the line boxes add up in floats
        return False
    heading = pages[start].first_block
    parent = _parent_map(root).get(heading)
    if parent is None:
        return False
    siblings = list(parent)
    for element in siblings[siblings.index(heading):]:
        if element.tag == "h1" and element is not heading:
            break
        element.set("class", " ".join([*(element.get("class") or "").split(), "lang-side"]))
    return True


def _float_tables(pages: list[Page], root) -> bool:
    """Rule 5: an appendix table heading a page whose previous page was left more than a fifth
    empty lets the first later table that fits in the gap go before it."""
    sections = [el for el in root.iter("section") if _has_class(el, "figurdata")]
    owner = {el: section for section in sections for el in section.iter()}
    extent: dict = {}  # section -> (top, bottom) of its lines, when all on one page
    split = set()
    for i, page in enumerate(pages):
        for line in page.lines:
            section = owner.get(line.block)
            if section is None:
                continue
            j, top, bottom = extent.get(section, (i, line.top, line.bottom))
            if j != i:
                split.add(section)
            extent[section] = (j, min(top, line.top), max(bottom, line.bottom))
    parents = _parent_map(root)
    for i, page in enumerate(pages[1:], 1):
        head, before = owner.get(page.first_block), pages[i - 1]
        if head is None or page.opens_chapter or before.name or before.empty:
            continue
        gap = before.top + before.height - before.bottom_used
        if gap / before.height <= MAX_EMPTY_BEFORE_FIGURE:
            continue
        parent = parents[head]
        later = [el for el in list(parent)[list(parent).index(head) + 1:] if el in extent and el not in split]
        fits = next((el for el in later if extent[el][2] - extent[el][1] + TABLE_SPACE <= gap), None)
        if fits is not None:
            parent.remove(fits)
            parent.insert(list(parent).index(head), fits)
            return True
    return False


def _has_class(element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _pad_to_four(pages: list[Page], root) -> bool:
    """Rule 4: a multiple of 4 pages, with the colophon and then blank pages before the back cover.
    Set once the other rules hold (padding counted on a page count they still change is undone
    a pass later: one layout more for the reference booklet); it returns True only when the
    padding changed."""
    import xml.etree.ElementTree as ET

    parents = _parent_map(root)
    blanks = [el for el in root.iter() if _has_class(el, "tom-side")]
    moved = next((el for el in root.iter() if _has_class(el, "kolofon-bag")), None)
    content = len(pages) - len(blanks) - (moved is not None)
    missing = (-content) % 4
    if missing == len(blanks) + (moved is not None):
        return False
    back = next((el for el in root.iter() if _has_class(el, "bagside")), None)
    if back is None:
        return False
    for el in blanks:
        parents[el].remove(el)
    colophon = next((el for el in root.iter() if _has_class(el, "kolofon-side")), None)
    if moved is not None:  # the colophon goes back to page 2 until it is needed at the back
        parents[moved].remove(moved)
        home = next((el for el in root.iter() if _has_class(el, "indhold")), None)
        if home is not None and colophon is not None:
            home.append(colophon)
    parent = _parent_map(root)[back]
    at = list(parent).index(back)
    if missing and colophon is not None:
        _parent_map(root)[colophon].remove(colophon)
        page = ET.Element("div", {"class": "kolofon-bag"})
        page.append(colophon)
        parent.insert(at, page)
        missing -= 1
    for _ in range(missing):
        parent.insert(at, ET.Element("div", {"class": "tom-side", "aria-hidden": "true"}))
    return True


def spaces_into_numbers(root) -> None:
    """The space before a quoted number (``span.tal``) goes inside it. WeasyPrint 70 breaks a
    line at its *first* break opportunity ("I" alone on a line) when that space is the last
    thing that fits and the number after it does not; with the space inside the span it breaks
    before the number as it should. The text reads the same."""
    for parent in root.iter():
        for i, child in enumerate(parent):
            if child.tag != "span" or not _has_class(child, "tal"):
                continue
            before = parent.text if i == 0 else parent[i - 1].tail
            if not before or not before[-1].isspace():
                continue
            if i == 0:
                parent.text = before[:-1]
            else:
                parent[i - 1].tail = before[:-1]
            child.text = " " + (child.text or "")


def make_up(html, render):
    """Lay out ``html`` with ``render(html)`` and apply the make-up rules until none is broken.
    Returns the final document and its pages."""
    spaces_into_numbers(html.etree_element)
    document = render(html)
    pages = measure(document)
    for _ in range(MAX_PASSES):
        changed = _move_figures(pages, html.etree_element)
        changed |= _limit_hyphenation(pages)
        if not changed:  # a page break stays once set: set it on pages the figures no longer move
            changed = _balance_chapter_ends(pages, html.etree_element)
            changed |= _float_tables(pages, html.etree_element)
        if not changed:  # padded once the page count is settled: padding set earlier is often undone
            changed = _pad_to_four(pages, html.etree_element)
        if not changed:
            break
        document = render(html)
        pages = measure(document)
    else:  # the passes ran out while a rule still moved something: the page count must still hold
        if _pad_to_four(pages, html.etree_element):
            document = render(html)
            pages = measure(document)
    return document, pages
