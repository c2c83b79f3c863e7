"""Turn the rendered Markdown into the web version and the print PDF.

In:  the booklet's Markdown, the chart SVGs, ``styles/`` (pandoc HTML templates, CSS, fonts).
Out: ``web/index.html`` with ``web/assets/`` and ``web/figurer/``, ``print.html`` and
     ``haefte.pdf``, all inside a staging folder the build then moves into ``_output/``.

Markdown is converted by pandoc (``pypandoc-binary``: the engine Quarto uses), the PDF by
WeasyPrint from print HTML and CSS paged media. Both read files only from the project's
``styles/`` folder and the staging folder.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pypandoc

from hæfte.errors import ProjectError

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
    for name in ("web.html", "print.html", "web.css", "print.css", "fonts.css", "katalog-print.css"):
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
    return web / "index.html"


_CATALOGUE_LINK = re.compile(r'<a href="katalog\.html#[^"]*" class="tal">(.*?)</a>', re.S)


def write_page(markdown: str, styles: Path, target: Path, title: str) -> Path:
    """Another page of the web version (the figure catalogue), with the same template and styles."""
    target.write_text(pandoc_html(markdown, styles / "web.html", title, toc=False), encoding="utf-8")
    return target


def write_print_html(markdown: str, styles: Path, stage: Path, title: str, publisher: str) -> Path:
    html = pandoc_html(markdown, styles / "print.html", title, toc=False, extra={"udgiver": publisher})
    # the catalogue links serve the web version; on paper a figure is plain text
    html = _CATALOGUE_LINK.sub(r'<span class="tal">\1</span>', html)
    path = stage / "print.html"
    path.write_text(html, encoding="utf-8")
    return path


def write_catalogue_pdf(markdown: str, styles: Path, stage: Path, title: str) -> Path:
    html = pandoc_html(markdown, styles / "print.html", title, toc=False, extra={"udgiver": ""})
    source = stage / "katalog-print.html"
    source.write_text(html, encoding="utf-8")
    return write_pdf(source, styles, stage / "figurkatalog.pdf", None, stylesheet="katalog-print.css")


def write_pdf(print_html: Path, styles: Path, target: Path, figures_dir: Path | None,
              stylesheet: str = "print.css") -> Path:
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    base = print_html.parent
    # the print HTML finds its charts next to it, under figurer/
    if figures_dir is not None and not (base / "figurer").exists():
        shutil.copytree(figures_dir, base / "figurer")
    document = HTML(filename=str(print_html), base_url=str(base))
    # @font-face rules only take effect through a FontConfiguration shared by CSS and PDF
    fonts = FontConfiguration()
    css = CSS(filename=str(styles / stylesheet), font_config=fonts)
    document.write_pdf(str(target), stylesheets=[css], font_config=fonts)
    return target
