"""The web version: the booklet's Markdown as a responsive HTML page with its assets.

In:  the booklet's Markdown, the chart SVGs, ``styles/`` (``web.html``, ``web.css``, fonts).
Out: ``web/index.html`` with ``web/assets/`` and ``web/figurer/`` inside the staging folder, and
     further pages (the figure catalogue, the change report) with the same template.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hæfte.write.pandoc import pandoc_html
from hæfte.write.resources import check_web_resources


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


def write_page(markdown: str, styles: Path, target: Path, title: str) -> Path:
    """Another page of the web version (the figure catalogue), with the same template and styles."""
    target.write_text(pandoc_html(markdown, styles / "web.html", title, toc=False), encoding="utf-8")
    check_web_resources(target, styles.parent / "templates")
    return target
