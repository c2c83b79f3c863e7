"""Whether a piece of text can be read where it stands, in WeasyPrint's layout of the PDF and in
the web page's computed styles.

In:  a laid-out WeasyPrint document, or a web page (its styles computed by WeasyPrint's cascade
     for the screen, without laying the long page out).
Out: ``Seen``: the text of every block element, visible or hidden, and why it is hidden; the
     running heads and page numbers of each page.

Text counts as seen only when it is visible (``visibility``), not transparent (``opacity``, colour
alpha), at least 5 pt, in a colour that differs from its background (WCAG contrast ratio at least
1.5), inside the page and every box that clips it (``overflow``), not scaled away (``transform``)
and not set on top of other text. On the web, where there is no layout, offsets that move text off
screen count as hidden too. ``visibility`` decides what text is expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MIN_POINTS = 5.0
MIN_PX = MIN_POINTS * 96 / 72
MIN_OPACITY = 0.25
MIN_CONTRAST = 1.5  # WCAG contrast ratio; below this, text is as good as the background's colour
OFF_SCREEN_PX = 500.0
WHITE = (1.0, 1.0, 1.0)
# the elements whose text is one block for a reader: text belongs to the nearest of them
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "blockquote", "dt", "dd", "div", "section",
          "article", "aside", "header", "footer", "main", "body", "ul", "ol", "dl", "figure", "pre", "summary",
          "address", "caption", "td", "th"}


@dataclass
class Seen:
    """Text as laid out or styled, by the block element it belongs to: visible, or hidden and why;
    the margins (running heads, page numbers) page by page."""

    visible: dict = field(default_factory=dict)
    hidden: dict = field(default_factory=dict)
    margins: list[list[str]] = field(default_factory=list)
    pages: int = 0

    def show(self, block, text: str) -> None:
        self.visible.setdefault(block, []).append(text)

    def hide(self, block, text: str, why: str) -> None:
        self.hidden.setdefault(block, []).append((text, why))


# --- colours -----------------------------------------------------------------------------------

def _rgba(color) -> tuple[float, float, float, float]:
    if color is None:
        return (0.0, 0.0, 0.0, 0.0)
    if getattr(color, "space", None) == "device-cmyk":
        # tinycss2 has no CMYK → sRGB conversion; the naive one is close enough to judge contrast
        c, m, y, k = color.coordinates
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k), float(color.alpha))
    if hasattr(color, "to"):
        r, g, b = color.to("srgb").coordinates
        return (r, g, b, float(color.alpha))
    return (color.red, color.green, color.blue, color.alpha)  # tinycss2's older RGBA


def _over(color, background: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b, a = _rgba(color)
    return tuple(a * c + (1 - a) * bg for c, bg in zip((r, g, b), background))


def _luminance(rgb) -> float:
    def channel(c):
        c = min(max(c, 0.0), 1.0)
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _scale(transform) -> tuple[float, float, float]:
    """How much a CSS transform shrinks (area factor) and moves (x, y in px) its box."""
    area, dx, dy = 1.0, 0.0, 0.0
    for name, args in transform or ():
        values = [getattr(a, "value", a) for a in args]
        units = [getattr(a, "unit", None) for a in args]
        if name == "scale":
            area *= abs(values[0] * (values[1] if len(values) > 1 else values[0]))
        elif name in ("scalex", "scaley"):
            area *= abs(values[0])
        elif name == "matrix":
            a, b, c, d, e, f = values
            area *= abs(a * d - b * c)
            dx, dy = dx + e, dy + f
        elif name in ("translate", "translatex", "translatey"):
            shifts = [v if u in (None, "px") else 0.0 for v, u in zip(values, units)]
            if name == "translatey":
                dy += shifts[0]
            else:
                dx += shifts[0]
                dy += shifts[1] if len(shifts) > 1 else 0.0
    return area, dx, dy


def _style_problem(style, opacity: float, background) -> str | None:
    """Why text in this computed style cannot be read, or None."""
    if style["visibility"] != "visible":
        return f"visibility: {style['visibility']}"
    if opacity < MIN_OPACITY:
        return f"gennemsigtig (opacity {opacity:.2f})"
    if style["font_size"] < MIN_PX:
        return f"skriften er under {MIN_POINTS:.0f} pt ({style['font_size'] * 72 / 96:.1f} pt)"
    r, g, b, a = _rgba(style["color"])
    if a * opacity < MIN_OPACITY:
        return "gennemsigtig skriftfarve"
    ratio = contrast(_over(style["color"], background), background)
    if ratio < MIN_CONTRAST:
        return f"skriftfarven er næsten som baggrunden (kontrast {ratio:.2f}:1)"
    return None

# --- the PDF: WeasyPrint's laid-out boxes ------------------------------------------------------------

def seen_in_layout(document) -> Seen:
    """The text of a laid-out WeasyPrint document, by block element, sorted into visible and hidden."""
    from weasyprint.formatting_structure import boxes

    seen = Seen(pages=len(document.pages))
    for page in document.pages:
        width, height = page.width, page.height
        margins: list[str] = []
        seen.margins.append(margins)
        placed: list[tuple[object, str, tuple[float, float, float, float]]] = []

        def walk(box, block, opacity, background, clip, moved, margin, generated, why):
            style = box.style
            opacity *= float(style["opacity"])
            tag = getattr(box, "element_tag", "") or ""
            generated = generated or "::" in tag
            margin = margin or isinstance(box, boxes.MarginBox)
            element = getattr(box, "element", None)
            if not generated and element is not None and getattr(element, "tag", None) in BLOCKS:
                block = element
            if _rgba(style["background_color"])[3] > 0:
                background = _over(style["background_color"], background)
            area, dx, dy = _scale(style["transform"])
            moved = (moved[0] * area, moved[1] + dx, moved[2] + dy)
            if why is None and moved[0] < 0.25:
                why = "skaleret væk (transform)"
            if isinstance(box, boxes.TextBox):
                if margin:
                    margins.append(box.text)
                    return
                if generated:
                    return
                x, y = box.position_x + moved[1], box.position_y + moved[2]
                right, bottom = x + (box.width or 0), y + (box.height or 0)
                problem = why or _style_problem(style, opacity, background)
                if problem is None and (x < -1 or y < -1 or right > width + 1 or bottom > height + 1):
                    problem = "uden for siden"
                if problem is None and clip is not None and (x < clip[0] - 1 or y < clip[1] - 1
                                                             or right > clip[2] + 1 or bottom > clip[3] + 1):
                    problem = "skjult af en boks, der skærer indholdet af (overflow)"
                if problem is None:
                    placed.append((block, box.text, (x, y, right, bottom)))
                else:
                    seen.hide(block, box.text, problem)
                return
            if style["overflow"] != "visible" and not isinstance(box, (boxes.PageBox, boxes.MarginBox)):
                x0, y0 = box.padding_box_x() + moved[1], box.padding_box_y() + moved[2]
                own = (x0, y0, x0 + box.padding_width(), y0 + box.padding_height())
                clip = own if clip is None else (max(clip[0], own[0]), max(clip[1], own[1]),
                                                 min(clip[2], own[2]), min(clip[3], own[3]))
            for child in getattr(box, "children", ()):
                walk(child, block, opacity, background, clip, moved, margin, generated, why)

        walk(page._page_box, None, 1.0, WHITE, None, (1.0, 0.0, 0.0), False, False, None)
        covered = _overlapping([rect for _, _, rect in placed])
        for i, (block, text, _) in enumerate(placed):
            if i in covered:
                seen.hide(block, text, "står oven i anden tekst")
            else:
                seen.show(block, text)
    return seen


def _overlapping(rects: list[tuple[float, float, float, float]], share: float = 0.3) -> set[int]:
    """The text boxes that cover another by more than ``share`` of the smaller one: text set on
    top of text (everything positioned at the top of one page, a line height of zero)."""
    order = sorted(range(len(rects)), key=lambda i: rects[i][1])
    covered: set[int] = set()
    for n, i in enumerate(order):
        x0, y0, x1, y1 = rects[i]
        for j in order[n + 1:]:
            a0, b0, a1, b1 = rects[j]
            if b0 >= y1:
                break
            w, h = min(x1, a1) - max(x0, a0), min(y1, b1) - max(y0, b0)
            if w > 0 and h > 0:
                smaller = min((x1 - x0) * (y1 - y0), (a1 - a0) * (b1 - b0))
                if smaller > 0 and w * h > share * smaller:
                    covered |= {i, j}
    return covered

# --- the web page: the cascade of its own styles ------------------------------------------------

def _px(value) -> float:
    unit = getattr(value, "unit", None)
    number = getattr(value, "value", None)
    if number is None or unit not in ("px", None):
        return 0.0
    return float(number)


def _off_screen(style) -> str | None:
    if style["position"] in ("absolute", "fixed", "relative", "sticky"):
        for side in ("left", "top", "right", "bottom"):
            if abs(_px(style[side])) >= OFF_SCREEN_PX:
                return f"flyttet ud af skærmen ({side}: {_px(style[side]):.0f}px)"
    if abs(_px(style["text_indent"])) >= OFF_SCREEN_PX:
        return "flyttet ud af skærmen (text-indent)"
    for side in ("margin_left", "margin_top"):
        if _px(style[side]) <= -OFF_SCREEN_PX:
            return f"flyttet ud af skærmen ({side.replace('_', '-')})"
    if style["overflow"] != "visible":
        for size in ("height", "max_height", "width", "max_width"):
            if style[size] != "auto" and getattr(style[size], "unit", None) == "px" and _px(style[size]) < 2:
                return f"skjult af overflow med {size.replace('_', '-')}: {_px(style[size]):.0f}px"
    return None


def seen_in_styles(page: Path):
    """The text of the web page's ``<main>`` by block element, with WeasyPrint's computed styles for
    the screen; and the page's element tree."""
    from weasyprint import HTML
    from weasyprint.css import get_all_computed_styles
    from weasyprint.css.counters import CounterStyle
    from weasyprint.css.targets import TargetCollector

    from hæfte import scratch
    from hæfte.write.resources import resource_fetcher

    document = HTML(filename=str(page), base_url=str(page.parent), media_type="screen",
                    url_fetcher=resource_fetcher(page.parent))
    style_for = get_all_computed_styles(document, counter_style=CounterStyle(), page_rules=[],
                                        target_collector=TargetCollector(), font_config=scratch.font_configuration())
    seen = Seen()

    def text(data, block, style, opacity, background, why):
        if not data or not any(ch.isalnum() for ch in data):
            return
        problem = why or _style_problem(style, opacity, background)
        seen.hide(block, data, problem) if problem else seen.show(block, data)

    def walk(element, block, opacity, background, why, scale):
        style = style_for(element)
        if style is None:
            return
        if element.tag in BLOCKS:
            block = element
        if style["display"] in (("none",), "none"):
            why = why or "display: none"
        opacity *= float(style["opacity"])
        if _rgba(style["background_color"])[3] > 0:
            background = _over(style["background_color"], background)
        scale *= _scale(style["transform"])[0]
        why = why or _off_screen(style) or ("skaleret væk (transform)" if scale < 0.25 else None)
        text(element.text, block, style, opacity, background, why)
        for child in element:
            if isinstance(child.tag, str):
                walk(child, block, opacity, background, why, scale)
            text(child.tail, block, style, opacity, background, why)

    root = document.etree_element
    main = next((e for e in root.iter() if e.tag == "main"), None)
    if main is not None:
        opacity, background, why = 1.0, WHITE, None
        for element in _ancestors(root, main):
            style = style_for(element)
            opacity *= float(style["opacity"])
            if _rgba(style["background_color"])[3] > 0:
                background = _over(style["background_color"], background)
            if style["display"] in (("none",), "none"):
                why = "display: none"
        walk(main, None, opacity, background, why, 1.0)
    return seen, root


def _ancestors(root, target) -> list:
    parents = {child: parent for parent in root.iter() for child in parent}
    chain, element = [], parents.get(target)
    while element is not None:
        chain.append(element)
        element = parents.get(element)
    return list(reversed(chain))
