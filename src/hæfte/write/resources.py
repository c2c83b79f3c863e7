"""What the outputs may load: files inside the project's allowed folders, nothing else.

In:  the folders a build may read (``styles/`` and the staging folder) and the pages it made.
Out: a WeasyPrint URL fetcher that refuses everything else, a check of the web page's
     resources, and errors that name the template or style sheet line that asked for them.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from hæfte.errors import ProjectError, ResourceError

STYLE_FILES = ("web.html", "print.html", "web.css", "print.css", "fonts.css", "katalog-print.css",
               "tilgaengelig.css", "beskaering.css")


def require_styles(styles: Path) -> None:
    for name in STYLE_FILES:
        if not (styles / name).is_file():
            raise ProjectError(f"styles/{name} mangler")


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
            # url2pathname: file:///C:/… is C:\… on Windows, not \C:\…
            path = Path(url2pathname(parsed.path)).resolve() if parsed.scheme == "file" else None
            if path is None or ".." in unquote(url) or not any(path.is_relative_to(r) for r in roots):
                self.refused.append(url)
                raise ValueError(f"hæfte henter ikke {url}")
            return super().fetch(url, headers)

        def raise_if_refused(self, templates: Path) -> None:
            if not self.refused:
                return
            url = self.refused[0]
            shown = url.rsplit("/", 1)[-1] if url.startswith("file:") else url
            where = find_in_templates(templates, url, shown)
            raise ResourceError(f"{where}: henviser til '{url}', som hæfte ikke henter (kun filer i styles/ og "
                                "figurerne; ingen netadresser, ingen stier med '..')")

    fetcher = ResourceFetcher(allowed_protocols={"file"})
    fetcher.refused = []
    return fetcher


def find_in_templates(templates: Path, *needles: str) -> str:
    """Where a bad reference was written: a template line, or a style sheet line."""
    root = Path(templates).parent
    candidates = sorted(Path(templates).glob("*.md.j2")) + sorted((root / "styles").glob("*.css"))
    for path in candidates:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(needle and needle in line for needle in needles):
                return f"{path.parent.name}/{path.name}, linje {n}"
    return "print-HTML"


_SRC = re.compile(r'\b(?:src|data)="([^"]*)"')


def check_web_resources(page: Path, templates: Path) -> None:
    """Every resource the web page loads must be a file beside it: no addresses, no '..'."""
    for url in _SRC.findall(page.read_text(encoding="utf-8")):
        if urlparse(url).scheme or url.startswith("/") or ".." in url:
            where = find_in_templates(templates, url)
            raise ResourceError(f"{where}: henviser til '{url}', som hæfte ikke henter (kun filer i webversionen; "
                                "ingen netadresser, ingen stier med '..')")
