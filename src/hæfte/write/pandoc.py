"""Markdown to HTML with pandoc, the one converter for the web version, the print HTML and the
other pages.

In:  Markdown, a pandoc HTML template from ``styles/``, a title and template variables.
Out: a standalone HTML5 document as a string.

pandoc comes from ``pypandoc-binary`` (the engine Quarto uses), so no system pandoc is needed.
It runs with an explicit UTF-8 locale and time zone, whatever the user's shell has (``LC_ALL=C``,
another ``TZ``), and text goes in and out as UTF-8 bytes, so the output never depends on them.
"""

from __future__ import annotations

import html
import functools
import os
import re
import subprocess
from pathlib import Path

PANDOC_FORMAT = "markdown-implicit_figures"


@functools.lru_cache(maxsize=1)
def pandoc_path() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def pandoc_env() -> dict[str, str]:
    """The environment pandoc runs in: the user's, with the locale and time zone fixed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE", "TZ")}
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", TZ="UTC")
    return env


def run_pandoc(args: list[str], text: str = "") -> str:
    result = subprocess.run([pandoc_path(), *args], input=text.encode("utf-8"), capture_output=True,
                            env=pandoc_env(), check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pandoc {' '.join(args[:2])} fejlede: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout.decode("utf-8")


@functools.lru_cache(maxsize=1)
def pandoc_version() -> str:
    """The pandoc binary's version line (part of the build cache's key)."""
    return run_pandoc(["--version"]).splitlines()[0].strip()


def pandoc_html(markdown: str, template: Path, title: str, toc: bool, text: dict[str, str] | None = None,
                markup: dict[str, str] | None = None) -> str:
    """The page as HTML. Template variables: ``text`` values are plain text from data (escaped
    here, since pandoc puts a --variable into the template as it is: a publisher named
    'x" onload="…' must stay inside its attribute); ``markup`` values are HTML that hæfte itself
    made from escaped parts (the web page's metadata, banner and footer)."""
    args = [f"--from={PANDOC_FORMAT}", "--to=html5", "--standalone", f"--template={template}",
            f"--metadata=pagetitle:{title}", "--section-divs=false", "--wrap=none",
            # a pipe table with a row longer than --columns gets relative widths as style
            # attributes, which the page's Content-Security-Policy refuses: the CSS sizes tables
            "--columns=100000"]
    if toc:
        args += ["--toc", "--toc-depth=1"]
    for key, value in (text or {}).items():
        args.append(f"--variable={key}:{html.escape(value)}")
    for key, value in (markup or {}).items():
        args.append(f"--variable={key}:{value}")
    return row_headers(_ALIGNED.sub(r' class="justering-\1"', run_pandoc(args, markdown)))


# pandoc aligns the cells of a pipe table (|---:|) with a style attribute, which the web page's
# Content-Security-Policy refuses; a class does the same (styles/web.css and print.css)
_ALIGNED = re.compile(r' style="text-align: (left|right|center);"')
# a pipe table as pandoc writes it (hæfte's own tables, the charts' data and the catalogue, have a
# class and their headers already), and the first cell of a row
_PIPE_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_FIRST_CELL = re.compile(r"(<tr>\s*)<td( [^>]*)?>(.*?)</td>", re.S)


def row_headers(page: str) -> str:
    """A pipe table's first column names its rows: each first cell of the body becomes a row
    header and the head's cells column headers (``scope``), so a screen reader says which row and
    column a number belongs to (the method note's table of estimates)."""
    def one(table: re.Match) -> str:
        head, tbody, body = table.group(1).partition("<tbody>")
        head = head.replace("<th>", '<th scope="col">').replace("<th class=", '<th scope="col" class=')
        body = _FIRST_CELL.sub(lambda c: f'{c.group(1)}<th scope="row"{c.group(2) or ""}>{c.group(3)}</th>', body)
        return f"<table>{head}{tbody}{body}</table>"
    return _PIPE_TABLE.sub(one, page)
