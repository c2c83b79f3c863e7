"""What the outputs may load: files inside the project's allowed folders, nothing else.

In:  the folders a build may read (``styles/`` and the staging folder) and the pages it made.
Out: a check of ``styles/`` (every file, pandoc template partial and CSS ``url()`` stays inside
     it), a WeasyPrint URL fetcher that refuses everything else, a check of each web page with
     a real HTML parser (it loads nothing from outside itself, runs no script, links to no
     ``javascript:`` address, and carries the Content-Security-Policy), and errors that name the
     template or style sheet line that asked for them.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from hæfte.errors import ProjectError, ResourceError
from hæfte.memo import Memo

STYLE_FILES = ("web.html", "print.html", "web.css", "print.css", "fonts.css", "katalog-print.css",
               "beskaering.css")
# The policy every web page carries (styles/web.html); the preview server sends it as a header too.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "font-src 'self'; connect-src 'self'; object-src 'none'; frame-src 'none'; "
                           "base-uri 'none'; form-action 'none'")
_STYLE_REFUSED = "som hæfte ikke henter (kun filer i styles/ og figurerne; ingen netadresser, ingen stier med '..')"
_WEB_REFUSED = "som hæfte ikke henter (kun filer i webversionen; ingen netadresser, ingen stier med '..')"


# ---------------------------------------------------------------- styles/
def require_styles(styles: Path, root: Path | None = None) -> None:
    """Every style file exists, and nothing in ``styles/`` leads out of it: no symlink to a file
    elsewhere (it would be read, or copied into the web version), no pandoc template partial
    and no CSS ``url()``/``@import`` that leaves the folder or the machine."""
    from hæfte.project import Project

    styles = Path(styles)
    project = Project(Path(root if root is not None else styles.parent).resolve())
    folder = project.inside(styles, "mappen")
    for name in STYLE_FILES:
        if not (styles / name).is_file():
            raise ProjectError(f"styles/{name} mangler")
    for path in sorted(styles.rglob("*")):
        resolved = project.inside(path, "filen")
        if not resolved.is_relative_to(folder):  # inside the project, but e.g. data/register/
            raise ProjectError(f"{project.shown(path)}: filen fører uden for styles/ (til {resolved}); "
                               "hæfte læser og udgiver kun filer i styles/")
    for path in sorted(styles.glob("*.html")):
        _check_partials(path, folder)
    for path in sorted(styles.glob("*.css")):
        check_css(path)


# pandoc template partials: $name()$, ${name()}, $var:name()$, ${ var:name() }
_PARTIAL = re.compile(r"\$\{?\s*(?:[\w.-]+:)?([^\s${}():]+)\(\)")


def _check_partials(template: Path, folder: Path) -> None:
    for n, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
        for m in _PARTIAL.finditer(line):
            name = m.group(1)
            target = Path(name) if Path(name).suffix else Path(name + template.suffix)
            resolved = (template.parent / target).resolve()
            if "\\" in name or target.is_absolute() or not resolved.is_relative_to(folder):
                raise ResourceError(f"styles/{template.name}, linje {n}: pandoc-skabelonen henter '{name}', "
                                    "som ligger uden for styles/ (en skabelon kan kun hente filer i styles/)")


def _css_urls(css: str):
    """(line, url) of every url(), image-set() and @import in a style sheet, read with a CSS parser."""
    import tinycss2

    def walk(nodes):
        for node in nodes or ():
            if node.type == "url":
                yield node.source_line, node.value
            elif node.type == "function":
                if node.lower_name in ("url", "src", "image-set", "-webkit-image-set"):
                    yield from ((arg.source_line, arg.value) for arg in node.arguments if arg.type == "string")
                yield from walk(node.arguments)
            elif node.type == "at-rule":
                if node.lower_at_keyword == "import":
                    yield from ((t.source_line, t.value) for t in node.prelude if t.type == "string")
                yield from walk(node.prelude)
                yield from walk(node.content)
            elif node.type == "qualified-rule":
                yield from walk(node.prelude)
                yield from walk(node.content)
            elif node.type.endswith("block"):
                yield from walk(node.content)

    yield from walk(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def is_local(url: str) -> bool:
    """A relative path to a file beside the page or below it: no scheme, no host, no '..',
    no absolute or UNC path (``/x``, ``//host``, ``\\\\host\\share``)."""
    cleaned = re.sub(r"[\x00-\x20]+", "", url)  # browsers drop tabs and line breaks in URLs
    decoded = unquote(cleaned)
    if not decoded or "\\" in decoded or decoded.startswith("/"):
        return False
    parsed = urlparse(decoded)
    if parsed.scheme or parsed.netloc:
        return False
    return ".." not in Path(parsed.path).parts


def check_css(path: Path) -> None:
    for line, url in _css_urls(path.read_text(encoding="utf-8")):
        if not is_local(url):
            raise ResourceError(f"styles/{path.name}, linje {line}: henviser til '{url}', {_STYLE_REFUSED}")


# ---------------------------------------------------------------- the PDF's fetcher
# WOFF2 fonts as TrueType, decoded once per process: WeasyPrint decodes every @font-face font
# again for each document (0.5 s of CPU for the eight vendored fonts: a fifth of the figure
# catalogue's PDF), and the preview, a notebook and the tests lay out many documents in one.
_decoded_fonts: Memo[bytes] = Memo(size=32)


def _as_truetype(woff2: bytes) -> bytes:
    from io import BytesIO

    from fontTools.ttLib import woff2 as decoder

    out = BytesIO()
    decoder.decompress(BytesIO(woff2), out)  # as WeasyPrint decodes it: the same bytes are embedded
    return out.getvalue()


def resource_fetcher(*allowed: Path):
    """WeasyPrint's only way to files: local files inside the allowed folders, nothing else.

    A template that points at ``file:///etc/passwd``, a web address or a path out of the project
    with ``..`` is refused; the refusals are collected and fail the build afterwards (WeasyPrint
    itself would only log them and go on)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    roots = [Path(a).resolve() for a in allowed]

    class ResourceFetcher(URLFetcher):
        refused: list[str] = []

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            # url2pathname: file:///C:/… is C:\… on Windows, not \C:\…; a host (UNC) is never read
            path = Path(url2pathname(parsed.path)).resolve() if parsed.scheme == "file" and not parsed.netloc else None
            if path is None or ".." in unquote(url) or not any(path.is_relative_to(r) for r in roots):
                self.refused.append(url)
                raise ValueError(f"hæfte henter ikke {url}")
            response = super().fetch(url, headers)
            if path.suffix.lower() != ".woff2":
                return response
            with contextlib.closing(response):
                font = response.read()
            if font[:4] == b"wOF2":  # else WeasyPrint judges what the file is
                font = _decoded_fonts.get(font, lambda: _as_truetype(font))
            return URLFetcherResponse(response.url, font, {"Content-Type": "font/ttf"})

        def raise_if_refused(self, templates: Path) -> None:
            if not self.refused:
                return
            url = self.refused[0]
            shown = url.rsplit("/", 1)[-1] if url.startswith("file:") else url
            where = find_in_templates(templates, url, shown)
            raise ResourceError(f"{where}: henviser til '{url}', {_STYLE_REFUSED}")

    fetcher = ResourceFetcher(allowed_protocols={"file"})
    fetcher.refused = []
    return fetcher


def find_in_templates(templates: Path, *needles: str) -> str:
    """Where a bad reference was written: a template line, or a style sheet line."""
    root = Path(templates).parent
    candidates = sorted(Path(templates).glob("*.md.j2")) + sorted((root / "styles").glob("*.css")) + \
        sorted((root / "styles").glob("*.html"))
    for path in candidates:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(needle and needle in line for needle in needles):
                return f"{path.parent.name}/{path.name}, linje {n}"
    return "print-HTML"


# ---------------------------------------------------------------- the web pages
# attributes whose URL the browser loads by itself (not links a reader follows)
_LOADING = {"src", "poster", "data", "background", "lowsrc", "dynsrc", "codebase", "action", "formaction",
            "manifest", "ping", "longdesc", "icon", "archive", "profile", "cite"}
_LINK_SCHEMES = ("http", "https", "mailto")
_FORBIDDEN_ELEMENTS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
                       "form", "portal", "noscript", "template",
                       # SVG animation can set an attribute, a link's href included, to anything
                       "set", "animate", "animatemotion", "animatetransform"}
_IMAGE_TAG = re.compile(r"<image[\s/>]", re.I)


def _local_name(name: str) -> str:
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def web_problems(html_text: str) -> list[tuple[str, str]]:
    """(what, url or element) for everything in a page that loads from outside, runs, or is not
    a plain link. The page is read with an HTML5 parser, as a browser reads it: single-quoted
    and unquoted attributes, entities and odd spacing included. The parser is lexbor (through
    selectolax), a C implementation of the WHATWG parsing rules: a pure-Python one took 0.2 s of
    the editor's 1 s from save to page on the booklet's page, and more on the catalogue's."""
    from selectolax.lexbor import LexborHTMLParser

    problems: list[tuple[str, str]] = []
    csp = False
    images = 0
    for element in LexborHTMLParser(html_text).root.traverse(include_text=False):
        if not element.tag or element.tag.startswith("-"):
            continue  # a comment ('-comment'), the doctype, a processing instruction (<?x?>: no tag)
        tag = _local_name(element.tag)
        images += tag == "image"
        # each attribute on its own: two that differ only by a prefix (x:src, src) are both read
        pairs = [(_local_name(k), v or "") for k, v in element.attributes.items()]  # a bare attribute is ''
        attrs = {name: value for name, value in reversed(pairs)}  # for lookups: the first of a name
        if tag in _FORBIDDEN_ELEMENTS and not _allowed_script(tag, attrs, element.text(deep=True)):
            problems.append(("element", f"<{tag}>"))
        if tag == "meta":
            # a browser reads a policy only in the head
            policy = element.parent is not None and element.parent.tag == "head" \
                and attrs.get("content") == CONTENT_SECURITY_POLICY
            for equiv in (value for name, value in pairs if name == "http-equiv"):
                if equiv.lower() == "content-security-policy" and policy:
                    csp = True
                elif equiv:
                    problems.append(("element", f'<meta http-equiv="{equiv}">'))
        for name, value in pairs:
            if name.startswith("on"):
                problems.append(("hændelsesattribut", name))
            elif name == "style":
                problems.append(("style-attribut", value))
            elif name == "srcset" or name == "imagesrcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0] if candidate.strip() else ""
                    if url and not is_local(url):
                        problems.append(("adresse", url))
            elif name in _LOADING and not is_local(value):
                problems.append(("adresse", value))
            elif name == "href":
                if tag in ("link", "image", "use", "feimage"):  # loaded by the browser
                    if not is_local(value):
                        problems.append(("adresse", value))
                elif not _followable(value):
                    problems.append(("link", value))
    # lexbor drops an <image> in a table, where a browser makes it an <img>: an <image> the parse
    # did not keep is refused unread (hæfte's own pages have none)
    if len(_IMAGE_TAG.findall(html_text)) > images:
        problems.append(("element", "<image>"))
    if not csp:
        problems.append(("csp", CONTENT_SECURITY_POLICY))
    return problems


def _allowed_script(tag: str, attrs: dict, text: str) -> bool:
    """The two scripts hæfte's own page has: a file of the web version (``assets/web.js``, which
    the policy's script-src 'self' runs) and a JSON-LD data block, which no browser executes.
    Templates can write neither: raw HTML with <script> is refused where it is written."""
    if tag != "script" or text.strip() and "src" in attrs:
        return False
    if "src" in attrs:
        return is_local(attrs["src"]) and not text.strip()
    return attrs.get("type", "").strip().lower() == "application/ld+json"


def _followable(url: str) -> bool:
    """A link a reader may follow: within the web version, or an http(s)/mailto address."""
    cleaned = re.sub(r"[\x00-\x20]+", "", url)
    if cleaned.startswith("#") or is_local(cleaned):
        return True
    parsed = urlparse(cleaned)
    return parsed.scheme.lower() in _LINK_SCHEMES and "\\" not in cleaned and \
        (parsed.scheme.lower() == "mailto" or bool(parsed.netloc))


def check_web_resources(page: Path, templates: Path) -> None:
    """The web page loads only files beside it, runs no script, links to no javascript: address
    and carries the Content-Security-Policy; else a ResourceError naming where it was written."""
    problems = web_problems(page.read_text(encoding="utf-8"))
    if not problems:
        return
    kind, value = problems[0]
    if kind == "csp":
        raise ResourceError(f"styles/web.html: Content-Security-Policy mangler i {page.name} "
                            f"(<meta http-equiv=\"Content-Security-Policy\" content=\"{value}\">)")
    where = find_in_templates(templates, value) if value else "print-HTML"
    where = page.name if where == "print-HTML" else where
    if kind == "adresse":
        raise ResourceError(f"{where}: henviser til '{value}', {_WEB_REFUSED}")
    if kind == "link":
        raise ResourceError(f"{where}: linket '{value}' er ikke tilladt i webversionen "
                            "(kun afsnit og filer i webversionen og http(s)- og mailto-adresser)")
    raise ResourceError(f"{where}: webversionen må ikke indeholde {kind} {value} "
                        "(Content-Security-Policy: ingen scripts, ingen inline-typografi)")
