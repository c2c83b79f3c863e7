"""Markdown to HTML with pandoc, the one converter for the web version, the print HTML and the
other pages.

In:  Markdown, a pandoc HTML template from ``styles/``, a title and template variables.
Out: a standalone HTML5 document as a string.

pandoc comes from ``pypandoc-binary`` (the engine Quarto uses), so no system pandoc is needed.
"""

from __future__ import annotations

import html
from pathlib import Path

import pypandoc

PANDOC_FORMAT = "markdown-implicit_figures"


def pandoc_html(markdown: str, template: Path, title: str, toc: bool, extra: dict[str, str] | None = None) -> str:
    args = ["--standalone", f"--template={template}", f"--metadata=pagetitle:{title}", "--section-divs=false",
            "--wrap=none"]
    if toc:
        args += ["--toc", "--toc-depth=1"]
    for key, value in (extra or {}).items():
        # pandoc puts a --variable into the template as is (the title, as metadata, it escapes):
        # a publisher named 'x" onload="…' must stay inside its attribute
        args.append(f"--variable={key}:{html.escape(value)}")
    return pypandoc.convert_text(markdown, "html5", format=PANDOC_FORMAT, extra_args=args)
