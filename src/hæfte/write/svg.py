"""A chart inline in the web page: matplotlib's SVG made small, CSP-safe and accessible.

In:  an SVG drawn with live text (``drawing.svg(..., outlines=False)``), a prefix for its ids,
     a title (the figure's caption) and a description (its text alternative).
Out: one ``<svg>`` element as a string for the HTML page:

- presentation attributes instead of ``style`` attributes and a ``<style>`` element, which a
  strict Content-Security-Policy (``style-src 'self'``) would block;
- no metadata, no white background, coordinates rounded to 0.1 pt: a quarter of the bytes;
- ids prefixed, since a chart's wide and narrow drawings share the page with other charts;
- the text set in the page's own fonts by ``web.css`` (the SVG names no font family);
- ``role="img"`` named by its ``<title>`` and described by its ``<desc>``.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections import Counter

SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_DECIMAL = re.compile(r"-?\d+\.\d+")
_REFERENCE = re.compile(r"url\(#([^)]+)\)")
# style properties the page sets itself, or that repeat the SVG default
_DROPPED = {"font-family", "stroke-dashoffset"}
_GEOMETRY = ("d", "x", "y", "width", "height", "points", "transform", "x1", "x2", "y1", "y2")


def _round(value: str) -> str:
    """0.1 pt is a fifth of a CSS pixel even at twice the drawn size."""
    def one(m: re.Match) -> str:
        text = f"{float(m.group(0)):.1f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return " ".join(_DECIMAL.sub(one, value).split())


def _attributes(el: ET.Element, prefix: str, keep: set[str]) -> dict[str, str] | None:
    """The element's attributes for the page, or None when the element is a white background."""
    out: dict[str, str] = {}
    for key, value in el.attrib.items():
        if key == "id":
            if value in keep:
                out["id"] = f"{prefix}-{value}"
        elif key == XLINK_HREF or key == "href":
            out["href"] = "#" + prefix + "-" + value.lstrip("#")
        elif key == "style":
            for decl in value.split(";"):
                name, _, val = (part.strip() for part in decl.partition(":"))
                if name and name not in _DROPPED:
                    out[name] = val
        elif key == "transform" and value.startswith("rotate(-0 "):
            continue  # matplotlib's no-op rotation of every label
        else:
            out[key] = value
    if el.tag == SVG_NS + "use":  # a tick mark: the path it repeats carries its own stroke
        out = {k: v for k, v in out.items() if k in ("id", "href", "x", "y")}
    for key, value in list(out.items()):
        if key == "d":
            out[key] = re.sub(r" ?([MLCQZmlcqz]) ?", r"\1", _round(value))
        elif key in _GEOMETRY:
            out[key] = _round(value)
        elif key in ("clip-path", "mask"):
            out[key] = _REFERENCE.sub(lambda m: f"url(#{prefix}-{m.group(1)})", value)
    if el.tag == SVG_NS + "path" and out.get("fill") == "#ffffff" and "stroke" not in out:
        return None
    return out


def _render(el: ET.Element, prefix: str, keep: set[str], inherited: dict[str, str]) -> str:
    tag = el.tag.removeprefix(SVG_NS)
    if tag in ("metadata", "style"):
        return ""
    attrs = _attributes(el, prefix, keep)
    if attrs is None:
        return ""
    for key, value in inherited.items():  # said once on the <svg> element
        if attrs.get(key) == value:
            del attrs[key]
    inner = html.escape(el.text or "", quote=False) if tag == "text" else ""
    inner += "".join(_render(child, prefix, keep, inherited) for child in el)
    if tag == "g" and not attrs:
        return inner  # matplotlib wraps every artist in a group that only carries an id
    if tag == "defs" and not inner:
        return ""
    shown = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
    return f"<{tag}{shown}>{inner}</{tag}>" if inner else f"<{tag}{shown}/>"


def _most_common(raw: str, key: str) -> str:
    """The value most elements give ``key``, to say once on the root ("none" never: text that
    names no fill would inherit it and vanish)."""
    found = Counter(v for v in re.findall(key + r": ([^;\"]+)", raw) if v != "none").most_common(1)
    return found[0][0] if found else {"fill": "#000000", "font-size": "10px"}[key]


def inline_svg(source: bytes | str, prefix: str, title: str, description: str, css_class: str) -> str:
    root = ET.fromstring(source.encode("utf-8") if isinstance(source, str) else source)
    raw = source.decode("utf-8") if isinstance(source, bytes) else source
    keep = set(_REFERENCE.findall(raw)) | {h.lstrip("#") for h in re.findall(r'href="(#[^"]+)"', raw)}
    width, height = (_round(v) for v in root.attrib["viewBox"].split()[2:])
    inherited = {key: _most_common(raw, key) for key in ("fill", "font-size")}
    body = "".join(_render(child, prefix, keep, inherited) for child in root)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-labelledby="{prefix}-titel" '
            f'aria-describedby="{prefix}-beskrivelse" stroke-linejoin="round" stroke-linecap="butt" '
            f'fill="{inherited["fill"]}" font-size="{inherited["font-size"]}">'
            f'<title id="{prefix}-titel">{html.escape(title, quote=False)}</title>'
            f'<desc id="{prefix}-beskrivelse">{html.escape(description, quote=False)}</desc>{body}</svg>')
