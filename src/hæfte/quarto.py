"""The Quarto project's pre- and post-render steps, so ``quarto render`` and ``quarto preview``
reuse hæfte's chain.

In:  the project (``--project``, else QUARTO_PROJECT_DIR, else the current folder) and the
     variables Quarto gives its scripts (QUARTO_PROJECT_OUTPUT_DIR above all).
Out: pre-render writes ``report/_generated/haefte.md`` (the embedded build's Markdown, byte for
     byte), ``figurer/*.svg`` beside ``index.qmd`` (the Markdown's ``<img src="figurer/…">`` is
     relative to the document that includes it) and ``_variables.yml`` (the title and the list of
     files the text is made from, see ``SOURCES``). Post-render brings the embedded build up to
     date and copies the PDFs and the figure catalogue (``katalog.html``, which every quoted
     figure links to) with its assets into Quarto's output folder, then fails on any dead link.

How Quarto runs the two steps, read in quarto-cli at commit ``QUARTO_COMMIT`` (path:line):

- ``src/command/render/project.ts:934-1001`` (``runScripts``): each command is split by
  ``parseShellRunCommand`` (``src/core/run/shell.ts:8-23``: on spaces, double quotes group) and run
  without a shell, in the project folder; a ``.py`` first word goes to the Python run handler.
- ``src/core/run/python.ts:14-35`` runs a ``.py`` script with ``pythonExec()``:
  ``src/core/jupyter/capabilities.ts:47-90`` takes QUARTO_PYTHON, else (Windows with PY_PYTHON)
  ``py``, else a conda ``python``, else ``python3`` from PATH (``py`` on Windows). None of them is
  the project's venv, so ``report/render_step.py`` needs only the standard library and re-runs
  itself with the project's ``.venv`` (see that file).
- The scripts' environment: QUARTO_PROJECT_OUTPUT_DIR and QUARTO_PROJECT_RENDER_ALL
  (``project.ts:302-307``), QUARTO_PROJECT_INPUT_FILES (330), QUARTO_PROJECT_OUTPUT_FILES
  (850-852), QUARTO_PROJECT_SCRIPT_PROGRESS/QUIET (952-953), QUARTO_PROJECT_DIR
  (``src/command/render/render-shared.ts:74-77``, ``src/project/serve/serve.ts:216-217``), and
  whatever the ``_environment`` files set (``src/quarto-core/dotenv.ts:42-75``).
- ``quarto preview`` polls only the project's inputs, config files and "config resources"
  (``src/project/serve/watch.ts:342-351``): every string in the merged configuration that names an
  existing file (``src/project/project-context.ts:1011-1049``), which includes ``_variables.yml``
  (``project-context.ts:241-248``). A change makes the browser reload, and the reload re-renders
  because the page's render hash holds those files' times (``src/project/serve/render.ts:90-111``,
  ``serve.ts:586-640``). Hence ``_variables.yml`` lists every data, template and style file.
"""

from __future__ import annotations

import html.parser
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from hæfte.errors import ProjectError
from hæfte.project import Project

QUARTO_COMMIT = "5d1da592dacaa784e061be1744e51484283220b5"
GENERATED = Path("report/_generated/haefte.md")
FIGURES = Path("figurer")
VARIABLES = Path("_variables.yml")
DEFAULT_OUTPUT = Path("_output/quarto")
# Files of the embedded web version Quarto does not make itself: the figure catalogue, its
# assets and the PDFs. Quarto writes index.html and copies figurer/ as resources of the page.
NOT_COPIED = ("index.html", "figurer")
VARIABLES_HEADER = (
    "# Skrevet af `hæfte quarto pre-render` ud fra data/fakta/publikation.yaml og projektets filer.\n"
    "# index.qmd henter titlen ({{< var titel >}}); `quarto preview` genrenderer, når en fil under\n"
    "# 'kilder' ændres (se src/hæfte/quarto.py). Ret ikke i filen: den skrives igen ved hver render.\n")


def resolve_project(explicit: Path | str | None) -> Project:
    """The project a step acts on: ``--project`` if given, else QUARTO_PROJECT_DIR (which Quarto
    sets), else the current folder. Both given and different is an error, not a silent choice."""
    from_quarto = os.environ.get("QUARTO_PROJECT_DIR")
    if explicit is not None and from_quarto and Path(explicit).resolve() != Path(from_quarto).resolve():
        raise ProjectError(f"--projekt {explicit} og QUARTO_PROJECT_DIR={from_quarto} peger på hver sin mappe; "
                           "fjern den ene")
    return Project.find(explicit if explicit is not None else from_quarto or None)


def sources(project: Project) -> list[str]:
    """Every file the booklet is made from, relative to the project with forward slashes: data,
    templates and styles (fonts aside: they change with a release of hæfte, not while editing)."""
    found = []
    for folder, recursive in ((project.data_dir, True), (project.templates_dir, True), (project.styles_dir, False)):
        if not folder.is_dir():
            continue
        for path in folder.rglob("*") if recursive else folder.iterdir():
            if path.is_file() and path.name != "README.md" and not path.name.startswith("."):
                found.append(path.relative_to(project.root).as_posix())
    return sorted(found)


def variables_text(project: Project, title: str) -> str:
    body = yaml.safe_dump({"titel": title, "kilder": sources(project)}, allow_unicode=True, sort_keys=False,
                          width=1000)
    return VARIABLES_HEADER + body


def write_if_changed(path: Path, text: str) -> bool:
    """Write only a changed text: Quarto's preview watches some of these files by their time."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)
    return True


def pre_render(project: Project, echo=None) -> Path:
    """The Markdown, the charts and ``_variables.yml``, exactly as ``hæfte build`` makes them."""
    from hæfte import builder
    from hæfte.cache import Cache

    with builder.exclusive(project):
        results, rendered, svgs, _ = builder.prepare(project, echo, cache=Cache(project))
        target = project.root / GENERATED
        write_if_changed(target, rendered.markdown)
        figures = project.root / FIGURES
        if figures.exists():
            shutil.rmtree(figures)
        figures.mkdir(parents=True)
        for chart_id, data in svgs.items():
            (figures / f"{chart_id}.svg").write_bytes(data.print_svg)
        write_if_changed(project.root / VARIABLES, variables_text(project, results.facts["publikation"]["titel"]))
    return target


def output_dir(project: Project) -> Path:
    """Quarto's output folder: QUARTO_PROJECT_OUTPUT_DIR when Quarto runs the step (absolute,
    ``project.ts:302-303``), else ``project.output-dir`` of ``_quarto.yml``."""
    given = os.environ.get("QUARTO_PROJECT_OUTPUT_DIR")
    if not given:
        config_path = project.root / "_quarto.yml"
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) if config_path.is_file() else {}
        given = ((config or {}).get("project") or {}).get("output-dir") or str(DEFAULT_OUTPUT)
    folder = Path(given)
    return folder if folder.is_absolute() else project.root / folder


def post_render(project: Project, echo=None) -> Path:
    """Bring the embedded build up to date (nothing is redone when it is) and put its PDFs, the
    figure catalogue and the catalogue's assets beside Quarto's page, so ``quarto publish`` ships
    them; then check that no link in Quarto's output leads nowhere."""
    from hæfte import builder

    generated = project.root / GENERATED
    if not generated.is_file():
        raise ProjectError(f"{GENERATED.as_posix()} mangler: kør 'hæfte quarto pre-render' først")
    out = output_dir(project)
    if not out.is_dir():
        raise ProjectError(f"Quartos outputmappe {out} findes ikke: kør 'quarto render'")
    builder.build(project, echo=echo)
    with builder.exclusive(project):
        made = project.output_dir / "haefte.md"
        if made.read_text(encoding="utf-8") != generated.read_text(encoding="utf-8"):
            raise ProjectError("data eller skabeloner blev ændret, mens Quarto renderede: kør 'quarto render' igen")
        web = project.output_dir / "web"
        for path in sorted(web.rglob("*")):
            relative = path.relative_to(web)
            if path.is_file() and relative.parts[0] not in NOT_COPIED:
                copy_replacing(path, out / relative)
    pages = [out / "index.html", out / "katalog.html"]
    dead = dead_links([p for p in pages if p.is_file()], out)
    if dead:
        raise ProjectError(f"døde links i Quartos webside: {', '.join(dead[:5])}"
                           + (f" (og {len(dead) - 5} flere)" if len(dead) > 5 else ""))
    return out / "haefte.pdf"


def copy_replacing(source: Path, target: Path) -> None:
    """Copy via a temporary file and a rename, so a reader never sees half a file. On Windows a
    PDF open in a viewer cannot be replaced: say so instead of a traceback."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except PermissionError:
        Path(tmp).unlink(missing_ok=True)
        raise ProjectError(f"{target} kan ikke erstattes; er filen åben i et andet program? Luk den og kør igen") from None


class _Links(html.parser.HTMLParser):
    """The ids of a page and the links and resources it refers to."""

    ATTRIBUTES = {"a": "href", "img": "src", "link": "href", "script": "src", "source": "src", "iframe": "src"}

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        ref = attrs.get(self.ATTRIBUTES.get(tag, ""))
        if ref:
            self.refs.append(ref)


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def dead_links(pages: list[Path], root: Path) -> list[str]:
    """Links of ``pages`` that lead to no file, or to no element with the given id, inside
    ``root``. Addresses with a scheme (https:, mailto:, data:) are not followed."""
    parsed: dict[Path, _Links] = {}

    def links(page: Path) -> _Links:
        if page not in parsed:
            parsed[page] = _parse(page)
        return parsed[page]

    dead = []
    for page in pages:
        for ref in links(page).refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc:
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            shown = f"{page.name} → {ref}"
            if not target.is_relative_to(root.resolve()) or not target.is_file():
                dead.append(shown)
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in links(target).ids:
                dead.append(shown)
    return dead
