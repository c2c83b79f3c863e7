"""The print HTML and the booklet PDF, laid out by WeasyPrint with CSS paged media.

In:  the booklet's Markdown, the charts (beside the print HTML under ``figurer/``),
     ``styles/`` (``print.html``, ``print.css``, ``beskaering.css``, fonts, ``orddeling.txt``)
     and the publication facts (``data/fakta/publikation.yaml``).
Out: ``print.html`` and ``haefte.pdf`` (one tagged PDF/UA-1 for print and screen readers, with the
     figures' data tables in an appendix; with ``bleed`` 3 mm bleed, crop marks and a slug for
     the printer), and ``figurkatalog.pdf``, inside the staging folder.

The print HTML is pandoc's; before layout its element tree gets the apparatus a booklet needs:
a draft mark while facts are unknown, the table of contents, the appendix of data tables, the
fact box's title as a heading, and Danish hyphenation (``write/orddeling.py``). ``write/layout.py``
then lays it out and applies the make-up rules, ``write/tagging.py`` finishes the tags
WeasyPrint leaves unfinished, and ``write/printmarks.py`` adds the printer's marks.
"""

from __future__ import annotations

import hashlib
import html as htmllib
import os
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

from hæfte import figurelink, scratch
from hæfte.errors import ProjectError
from hæfte.project import fact_source
from hæfte.write import orddeling
from hæfte.write.pandoc import pandoc_html
from hæfte.write.resources import resource_fetcher

VARIANT = "pdf/ua-1"


# ---------------------------------------------------------------- publication facts
def missing_facts(publication: dict | None) -> list[str]:
    """The publication keys still unknown (null), dotted: 'isbn', 'rapport.titel'."""
    if publication is None:
        return []
    from hæfte.contract import Publication

    return Publication.model_validate(publication).missing()


def require_release(publication: dict) -> None:
    """A release build (``hæfte build --udgivelse``) needs every publication fact."""
    missing = missing_facts(publication)
    if missing:
        raise ProjectError(
            f"{fact_source('publikation')}: en udgivelse kræver alle oplysninger, men disse er ukendte (null): "
            + ", ".join(missing))


def draft_mark(missing: list[str]) -> str:
    """The cover's draft mark; its ``string-set`` also puts "UDKAST" at the top of every page."""
    if not missing:
        return ""
    return ('<div class="udkast"><p>UDKAST – ikke til tryk'
            f'<span class="mangler">Ukendt i {fact_source("publikation")}: {htmllib.escape(", ".join(missing))}</span>'
            "</p></div>\n")


# ---------------------------------------------------------------- print HTML
def write_print_html(markdown: str, styles: Path, stage: Path, title: str, publisher: str,
                     publication: dict | None = None) -> Path:
    html = pandoc_html(markdown, styles / "print.html", title, toc=False, text={"udgiver": publisher})
    # the catalogue links serve the web version; on paper a figure is plain text
    html = figurelink.HTML.sub(r'<span class="tal">\2</span>', html)
    html = html.replace("<body>\n", "<body>\n" + draft_mark(missing_facts(publication)), 1)
    path = stage / "print.html"
    path.write_text(html, encoding="utf-8")
    return path


def _classes(element) -> list[str]:
    return (element.get("class") or "").split()


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _find_id(root, ident: str):
    return next((el for el in root.iter() if el.get("id") == ident), None)


def heading_id(heading, parents) -> str | None:
    """A heading's id; pandoc gives a div that opens with a heading the heading's id, as a section."""
    if heading.get("id"):
        return heading.get("id")
    parent = parents.get(heading)
    if parent is not None and parent.tag == "section" and len(parent) and parent[0] is heading:
        return parent.get("id")
    return None


def contents_entries(root) -> list[tuple[int, str, str]]:
    """(level, id, title) for the table of contents: each chapter and the appendix, and each case
    under its chapter; not the cover, the contents page itself or the back cover."""
    entries = []
    parents = {child: parent for parent in root.iter() for child in parent}
    for el in root.iter():
        if el.tag not in ("h1", "h2"):
            continue
        ident = heading_id(el, parents)
        parent = parents.get(el, el)
        if not ident or "forside" in _classes(el) or ident in ("fortegnelse", "bagside") or "bagside" in _classes(parent):
            continue
        if el.tag == "h1":
            entries.append((2 if "case" in _classes(el) else 1, ident, _text(el)))
        elif "case" in _classes(parent):
            entries.append((2, ident, _text(el)))
    return entries


def add_contents(root) -> None:
    holder = _find_id(root, "fortegnelse-liste")
    if holder is None or holder.find("ol") is not None:  # print.html as laid out already has it
        return
    holder.tag = "nav"
    holder.set("class", "indholdsfortegnelse")
    holder.set("aria-label", "Indhold")
    ol = ET.SubElement(holder, "ol")
    for level, ident, title in contents_entries(root):
        li = ET.SubElement(ol, "li", {"class": f"niveau-{level}"})
        a = ET.SubElement(li, "a", {"href": f"#{ident}"})
        a.text = title


def add_appendix(root) -> None:
    """Each figure's data table moves from under the figure to the appendix, its caption led by
    the figure's number ("Figur 1. …"; an unnumbered figure's table keeps its title); the
    figure's source line says on which page its numbers are."""
    holder = _find_id(root, "bilag-tabeller")
    parents = {child: parent for parent in root.iter() for child in parent}
    for details in [el for el in root.iter("details") if "figurdata" in _classes(el)]:
        figure = parents[details]
        table = details.find("table")
        figure.remove(details)
        if holder is None or table is None:
            continue
        ident = f"tal-{figure.get('id', '')}"
        section = ET.SubElement(holder, "section", {"class": "figurdata", "id": ident})
        section.append(table)
        label = next((el for el in figure.iter("span") if "figurnr" in _classes(el)), None)
        number = _text(label).rstrip(".") if label is not None else ""
        caption = table.find("caption")
        if caption is not None:
            title = caption.text or ""
            caption.text = (f"{number}. " if number else "") + title[:1].upper() + title[1:]
        source = next((el for el in figure if el.tag == "p" and "kilde" in _classes(el)), None)
        if source is not None:
            source.text = (source.text or "").rstrip() + " "
            link = ET.SubElement(source, "a", {"class": "krydsref", "href": f"#{ident}"})
            link.text = "Tallene står på side "
            link.tail = "."


def box_titles_as_headings(root) -> None:
    """A fact box's first line in bold is its title: a heading, for the tags and screen readers."""
    for box in [el for el in root.iter("div") if "faktaboks" in _classes(el)]:
        first = next(iter(box), None)
        if first is None or first.tag != "p" or (first.text or "").strip() or len(first) != 1:
            continue
        strong = first[0]
        if strong.tag != "strong" or (strong.tail or "").strip():
            continue
        first.tag, first.attrib = "h2", {"class": "boks-titel"}
        first.text, first[:] = _text(strong), []


def captions_into_alt(root) -> None:
    """A chart's caption opens its alternative text. In the PDF a screen reader reads a Figure's
    /Alt instead of what the Figure holds, the caption included (write/tagging.py puts it there);
    on the web the figcaption is read beside the image, so only print gets this."""
    for figure in [el for el in root.iter("figure") if "figur" in _classes(el)]:
        image, caption = figure.find("img"), figure.find("figcaption")
        if image is None or caption is None or not _text(caption):
            continue
        label = _text(caption)
        image.set("alt", f"{label}{'' if label.endswith(('.', '?', '!')) else '.'} {image.get('alt', '')}".strip())


def prepare(root, styles: Path) -> None:
    """Everything the print tree gets before layout."""
    rules = orddeling.read_rules(styles)
    add_contents(root)
    add_appendix(root)
    box_titles_as_headings(root)
    captions_into_alt(root)
    orddeling.mark_english(root, rules.english)
    orddeling.bind_suspended_compounds(root)
    orddeling.hyphenate(root, rules)


# ---------------------------------------------------------------- layout and PDF
def source_date() -> str | None:
    """The build date for the PDF's metadata: SOURCE_DATE_EPOCH if set, otherwise none at all,
    so two builds of the same inputs are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        if not epoch.strip().isdigit():
            raise ValueError(epoch)
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError, OSError):  # not whole seconds, or a year no calendar holds
        raise ProjectError(f"SOURCE_DATE_EPOCH skal være et helt antal sekunder siden 1. januar 1970 (UTC), "
                           f"ikke {epoch!r}") from None


def _stylesheets(styles: Path, names, fetcher):
    from weasyprint import CSS

    # @font-face rules only take effect through a FontConfiguration shared by CSS and PDF
    fonts = scratch.font_configuration()
    return [CSS(filename=str(styles / name), font_config=fonts, url_fetcher=fetcher) for name in names], fonts


def typeset(print_html: Path, styles: Path, bleed: bool = False, fetcher=None, prepared: bool = False):
    """The booklet laid out: (document, pages, html). Used by the build and by the layout tests.
    ``prepared``: the print HTML a build wrote after its make-up, laid out as it is (prepared
    again, its words would be hyphenated anew, and the make-up would take a pass to undo it)."""
    from weasyprint import HTML

    from hæfte.write import layout

    base = print_html.parent
    fetcher = fetcher or resource_fetcher(styles, base)
    html = HTML(filename=str(print_html), base_url=str(base), url_fetcher=fetcher)
    if not prepared:
        prepare(html.etree_element, styles)
    sheets, fonts = _stylesheets(styles, ("print.css", "beskaering.css") if bleed else ("print.css",), fetcher)
    images: dict = {}  # the charts are parsed once, not once per layout pass
    document, pages = layout.make_up(
        html, lambda h: h.render(stylesheets=sheets, font_config=fonts, pdf_variant=VARIANT, cache=images))
    return document, pages, html


def _copy_figures(base: Path, figures_dir: Path | None) -> None:
    # the print HTML finds its charts next to it, under figurer/
    if figures_dir is not None and not (base / "figurer").exists():
        shutil.copytree(figures_dir, base / "figurer")


def write_booklet_pdf(print_html: Path, styles: Path, target: Path, figures_dir: Path | None = None,
                      bleed: bool = False, templates: Path | None = None, on_layout=None) -> Path:
    """The one published PDF: laid out, tagged PDF/UA-1, and with ``bleed`` the printer's marks.
    ``on_layout`` is given the laid-out document before it is written (the build checks there
    that every text is visible)."""
    from hæfte.write import printmarks, tagging

    _copy_figures(print_html.parent, figures_dir)
    fetcher = resource_fetcher(styles, print_html.parent)
    document, pages, html = typeset(print_html, styles, bleed, fetcher)
    fetcher.raise_if_refused(templates or styles.parent / "templates")
    if on_layout is not None:
        on_layout(document)
    # print.html becomes what was laid out: the passes moved figures and the colophon, and
    # 'hæfte check' reads the blocks in the PDF's order from this file
    print_html.write_text("<!DOCTYPE html>\n" + ET.tostring(html.etree_element, encoding="unicode",
                                                                     method="html"), encoding="utf-8")
    _write(document, print_html, target, VARIANT)
    tagging.finish(target, document, pages, html.etree_element)
    if bleed:
        printmarks.add_marks(target)
    return target


def _write(document, print_html: Path, target: Path, variant: str | None) -> None:
    date = source_date()
    if date:
        document.metadata.created = document.metadata.modified = date
    identifier = hashlib.sha256(print_html.read_bytes()).hexdigest()[:32].encode()
    document.write_pdf(str(target), pdf_identifier=identifier, pdf_variant=variant)


def write_catalogue_pdf(markdown: str, styles: Path, stage: Path, title: str) -> Path:
    html = pandoc_html(markdown, styles / "print.html", title, toc=False, text={"udgiver": ""})
    source = stage / "katalog-print.html"
    source.write_text(html, encoding="utf-8")
    from weasyprint import HTML

    # one pass with one style sheet: the catalogue needs none of the booklet's make-up; WeasyPrint's
    # own PDF/UA-1 tags serve it (a heading per figure and one table each: nothing to mend)
    target = stage / "figurkatalog.pdf"
    fetcher = resource_fetcher(styles, stage)
    sheets, fonts = _stylesheets(styles, ("katalog-print.css",), fetcher)
    document = HTML(filename=str(source), base_url=str(stage), url_fetcher=fetcher)
    rendered = document.render(stylesheets=sheets, font_config=fonts, pdf_variant=VARIANT)
    fetcher.raise_if_refused(styles.parent / "templates")
    _write(rendered, source, target, VARIANT)
    return target
