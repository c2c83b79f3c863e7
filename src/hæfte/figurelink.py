"""The link from a quoted figure to its entry in the figure catalogue, made and found in one place.

In:  a figure's display (already escaped as Markdown) and its id.
Out: the Markdown link ``[78 pct.](katalog.html#id){.tal}`` the templates' figures become, and
     the two patterns that find it again: in the Markdown (``MARKDOWN``: groups text, id) and in
     the HTML pandoc makes of it (``HTML``: groups id, text). The lock reads the Markdown form,
     the web page and the print HTML the HTML form; all three follow this one spelling.
"""

from __future__ import annotations

import re
from urllib.parse import quote

CATALOGUE_PAGE = "katalog.html"

MARKDOWN = re.compile(r"\[([^\]]*)\]\(" + re.escape(CATALOGUE_PAGE) + r"#([^)\s]+)\)\{\.tal\}")
HTML = re.compile(r'<a href="' + re.escape(CATALOGUE_PAGE) + r'#([^"]+)" class="tal">(.*?)</a>', re.S)


def markdown(display: str, figure_id: str) -> str:
    """The Markdown link; ``display`` must already be inert Markdown (``render.md_escape``)."""
    return f"[{display}]({CATALOGUE_PAGE}#{quote(figure_id, safe='.-_~')}){{.tal}}"
