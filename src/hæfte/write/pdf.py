"""The print HTML and the PDFs, laid out by WeasyPrint with CSS paged media.

In:  the booklet's Markdown, the charts (beside the print HTML under ``figurer/``) and
     ``styles/`` (``print.html``, ``print.css`` and the other print style sheets, fonts,
     ``orddeling.txt``).
Out: ``print.html``, ``haefte.pdf``, ``haefte-tilgaengelig.pdf`` (PDF/UA-1) and
     ``figurkatalog.pdf`` inside the staging folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path

from hæfte.write.pandoc import pandoc_html
from hæfte.write.resources import resource_fetcher


def hyphenation_exceptions(styles: Path) -> dict[str, str]:
    """Word -> the word with soft hyphens where it may break (from styles/orddeling.txt)."""
    path = styles / "orddeling.txt"
    if not path.is_file():
        return {}
    words = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words[line.replace("-", "")] = line.replace("-", "\u00ad")
    return words


def apply_hyphenation(html: str, words: dict[str, str]) -> str:
    """Put the listed words, in text only (never inside a tag), in a span that breaks them only
    at the given points."""
    if not words:
        return html
    pattern = re.compile(r"(?<![\w\u00ad])(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True))
                         + r")(?![\w\u00ad])", re.IGNORECASE)

    def in_text(part: str) -> str:
        def swap(m):
            word = m.group(0)
            marked = words[word.lower()]
            marked = (word[0] + marked[1:]) if word[0].isupper() else marked
            return f'<span class="orddeling">{marked}</span>'
        return pattern.sub(swap, part)

    pieces = re.split(r"(<[^>]+>)", html)
    body = False
    for i, piece in enumerate(pieces):
        if piece.startswith("<"):
            body = body or piece.startswith("<body")
            continue
        if body:
            pieces[i] = in_text(piece)
    return "".join(pieces)


_CATALOGUE_LINK = re.compile(r'<a href="katalog\.html#[^"]*" class="tal">(.*?)</a>', re.S)


def write_print_html(markdown: str, styles: Path, stage: Path, title: str, publisher: str) -> Path:
    html = pandoc_html(markdown, styles / "print.html", title, toc=False, extra={"udgiver": publisher})
    # the catalogue links serve the web version; on paper a figure is plain text
    html = _CATALOGUE_LINK.sub(r'<span class="tal">\1</span>', html)
    html = apply_hyphenation(html, hyphenation_exceptions(styles))
    path = stage / "print.html"
    path.write_text(html, encoding="utf-8")
    return path


def write_catalogue_pdf(markdown: str, styles: Path, stage: Path, title: str) -> Path:
    html = pandoc_html(markdown, styles / "print.html", title, toc=False, extra={"udgiver": ""})
    source = stage / "katalog-print.html"
    source.write_text(html, encoding="utf-8")
    return write_pdf(source, styles, stage / "figurkatalog.pdf", None, stylesheet="katalog-print.css")


def source_date() -> str | None:
    """The build date for the PDF's metadata: SOURCE_DATE_EPOCH if set, otherwise none at all,
    so two builds of the same inputs are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_pdf(print_html: Path, styles: Path, target: Path, figures_dir: Path | None,
              stylesheet: str = "print.css", templates: Path | None = None, variant: str | None = None,
              extra: tuple[str, ...] = (), on_layout=None) -> Path:
    """Lay out and write one PDF; ``on_layout`` is given the laid-out document before it is
    written (the build checks there that every text is visible)."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    base = print_html.parent
    # the print HTML finds its charts next to it, under figurer/
    if figures_dir is not None and not (base / "figurer").exists():
        shutil.copytree(figures_dir, base / "figurer")
    fetcher = resource_fetcher(styles, base)
    document = HTML(filename=str(print_html), base_url=str(base), url_fetcher=fetcher)
    # @font-face rules only take effect through a FontConfiguration shared by CSS and PDF
    fonts = FontConfiguration()
    sheets = [CSS(filename=str(styles / name), font_config=fonts, url_fetcher=fetcher) for name in (stylesheet, *extra)]
    rendered = document.render(stylesheets=sheets, font_config=fonts)
    fetcher.raise_if_refused(templates or styles.parent / "templates")
    if on_layout is not None:
        on_layout(rendered)
    date = source_date()
    if date:
        rendered.metadata.created = rendered.metadata.modified = date
    identifier = hashlib.sha256(print_html.read_bytes()).hexdigest()[:32].encode()
    rendered.write_pdf(str(target), pdf_identifier=identifier, pdf_variant=variant)
    return target


def write_accessible_pdf(print_html: Path, styles: Path, target: Path) -> Path:
    """The PDF for the web: tagged PDF/UA-1 (language, title, alt texts, headings and tables),
    with each chart's data table shown."""
    return write_pdf(print_html, styles, target, None, extra=("tilgaengelig.css",), variant="pdf/ua-1")
