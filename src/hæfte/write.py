"""Turn the rendered Markdown into the web version and the print PDF.

In:  the booklet's Markdown, the chart SVGs, ``styles/`` (pandoc HTML templates, CSS, fonts).
Out: ``web/index.html`` with ``web/assets/`` and ``web/figurer/``, ``print.html`` and
     ``haefte.pdf``, all inside a staging folder the build then moves into ``_output/``.

Markdown is converted by pandoc (``pypandoc-binary``: the engine Quarto uses), the PDF by
WeasyPrint from print HTML and CSS paged media. Both read files only from the project's
``styles/`` folder and the staging folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlparse

import pypandoc

from hæfte.errors import ProjectError, ResourceError

PANDOC_FORMAT = "markdown-implicit_figures"


def pandoc_html(markdown: str, template: Path, title: str, toc: bool, extra: dict[str, str] | None = None) -> str:
    args = ["--standalone", f"--template={template}", f"--metadata=pagetitle:{title}", "--section-divs=false",
            "--wrap=none"]
    if toc:
        args += ["--toc", "--toc-depth=1"]
    for key, value in (extra or {}).items():
        args.append(f"--variable={key}:{value}")
    return pypandoc.convert_text(markdown, "html5", format=PANDOC_FORMAT, extra_args=args)


def require_styles(styles: Path) -> None:
    for name in ("web.html", "print.html", "web.css", "print.css", "fonts.css", "katalog-print.css", "tilgaengelig.css",
                 "beskaering.css"):
        if not (styles / name).is_file():
            raise ProjectError(f"styles/{name} mangler")


def write_web(markdown: str, styles: Path, stage: Path, title: str, charts: dict[str, bytes]) -> Path:
    web = stage / "web"
    (web / "figurer").mkdir(parents=True, exist_ok=True)
    for chart_id, data in charts.items():
        (web / "figurer" / f"{chart_id}.svg").write_bytes(data)
    assets = web / "assets"
    assets.mkdir(exist_ok=True)
    for name in ("web.css", "fonts.css"):
        shutil.copy2(styles / name, assets / name)
    shutil.copytree(styles / "fonts", assets / "fonts", dirs_exist_ok=True)
    page = pandoc_html(markdown, styles / "web.html", title, toc=True)
    (web / "index.html").write_text(page, encoding="utf-8")
    check_web_resources(web / "index.html", styles.parent / "templates")
    return web / "index.html"


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


def write_page(markdown: str, styles: Path, target: Path, title: str) -> Path:
    """Another page of the web version (the figure catalogue), with the same template and styles."""
    target.write_text(pandoc_html(markdown, styles / "web.html", title, toc=False), encoding="utf-8")
    return target


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


def resource_fetcher(*allowed: Path):
    """WeasyPrint's only way to files: local files inside the allowed folders, nothing else.

    A template that points at ``file:///etc/passwd``, a web address or a path out of the project
    with ``..`` is refused; the refusals are collected and fail the build afterwards (WeasyPrint
    itself would only log them and go on)."""
    from weasyprint.urls import URLFetcher

    roots = [Path(a).resolve() for a in allowed]

    class ResourceFetcher(URLFetcher):
        refused: list[str] = []

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
            if path is None or ".." in unquote(url) or not any(path.is_relative_to(r) for r in roots):
                self.refused.append(url)
                raise ValueError(f"hæfte henter ikke {url}")
            return super().fetch(url, headers)

        def raise_if_refused(self, templates: Path) -> None:
            if not self.refused:
                return
            url = self.refused[0]
            shown = url.rsplit("/", 1)[-1] if url.startswith("file:") else url
            where = _find_in_templates(templates, url, shown)
            raise ResourceError(f"{where}: henviser til '{url}', som hæfte ikke henter (kun filer i styles/ og "
                                "figurerne; ingen netadresser, ingen stier med '..')")

    fetcher = ResourceFetcher(allowed_protocols={"file"})
    fetcher.refused = []
    return fetcher


def _find_in_templates(templates: Path, *needles: str) -> str:
    """Where a bad reference was written: a template line, or a style sheet line."""
    root = Path(templates).parent
    candidates = sorted(Path(templates).glob("*.md.j2")) + sorted((root / "styles").glob("*.css"))
    for path in candidates:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(needle and needle in line for needle in needles):
                return f"{path.parent.name}/{path.name}, linje {n}"
    return "print-HTML"


def source_date() -> str | None:
    """The build date for the PDF's metadata: SOURCE_DATE_EPOCH if set, otherwise none at all,
    so two builds of the same inputs are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_pdf(print_html: Path, styles: Path, target: Path, figures_dir: Path | None,
              stylesheet: str = "print.css", templates: Path | None = None, variant: str | None = None,
              extra: tuple[str, ...] = ()) -> Path:
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


_SRC = re.compile(r'\b(?:src|data)="([^"]*)"')


def check_web_resources(page: Path, templates: Path) -> None:
    """Every resource the web page loads must be a file beside it: no addresses, no '..'."""
    for url in _SRC.findall(page.read_text(encoding="utf-8")):
        if urlparse(url).scheme or url.startswith("/") or ".." in url:
            where = _find_in_templates(templates, url)
            raise ResourceError(f"{where}: henviser til '{url}', som hæfte ikke henter (kun filer i webversionen; "
                                "ingen netadresser, ingen stier med '..')")
