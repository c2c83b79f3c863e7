"""The Quarto project's pre- and post-render steps, so `quarto render` reuses hæfte's chain.

In:  the project (Quarto runs the scripts in the project folder and sets QUARTO_PROJECT_DIR).
Out: pre-render writes ``report/_generated/haefte.md`` and ``report/figurer/*.svg`` (the same
     Markdown and charts the embedded build makes); post-render makes ``_output/haefte.pdf``
     from that Markdown with WeasyPrint. Quarto itself renders the web page.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hæfte import build
from hæfte.write import pdf
from hæfte.errors import ProjectError
from hæfte.project import Project

GENERATED = Path("report/_generated/haefte.md")
FIGURES = Path("report/figurer")


def project_from_env(fallback) -> Project:
    """Quarto names the project folder in QUARTO_PROJECT_DIR; otherwise use the command's own."""
    folder = os.environ.get("QUARTO_PROJECT_DIR")
    return Project.find(folder) if folder else fallback()


def pre_render(project: Project, echo=None) -> Path:
    results, rendered, svgs, _ = build.prepare(project, echo)
    target = project.root / GENERATED
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(rendered.markdown, encoding="utf-8")
    figures = project.root / FIGURES
    if figures.exists():
        shutil.rmtree(figures)
    figures.mkdir(parents=True)
    for chart_id, data in svgs.items():
        (figures / f"{chart_id}.svg").write_bytes(data.print_svg)
    return target


def post_render(project: Project) -> Path:
    source = project.root / GENERATED
    if not source.is_file():
        raise ProjectError(f"{GENERATED} mangler: kør 'hæfte quarto pre-render' først")
    markdown = source.read_text(encoding="utf-8")
    from hæfte.contract import Publication
    from hæfte.load import read_facts

    publication = Publication.model_validate(read_facts(project, "publikation"))
    project.output_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".quarto-", dir=project.output_dir))
    try:
        html = pdf.write_print_html(markdown, project.styles_dir, stage, publication.titel, publication.udgiver)
        made = pdf.write_pdf(html, project.styles_dir, stage / "haefte.pdf", project.root / FIGURES)
        final = project.output_dir / "haefte.pdf"
        os.replace(made, final)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return final
