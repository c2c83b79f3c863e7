"""Build the whole booklet: data → results → charts → Markdown → web HTML and print PDF.

In:  a ``Project`` (``data/``, ``templates/``, ``styles/``).
Out: ``_output/haefte.pdf``, ``_output/web/index.html`` (with assets, charts and a copy of the
     PDF), ``_output/haefte.md`` and ``_output/print.html``.

Like mkdocs, every statistic and every piece of text is gathered before anything is written;
the outputs are written to a staging folder and moved into ``_output/`` only when all steps
succeeded, so a failed build leaves the previous good outputs as they were.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hæfte import charts, pipeline, write
from hæfte.project import Project
from hæfte.render import Rendered, Renderer
from hæfte.results import Results

OUTPUTS = ("haefte.pdf", "figurkatalog.pdf", "haefte.md", "print.html", "web")


@dataclass
class Report:
    steps: list[tuple[str, float]] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)

    def step(self, name: str, started: float, echo: Callable[[str], None] | None) -> float:
        now = time.perf_counter()
        self.steps.append((name, now - started))
        if echo:
            echo(f"  {name:<34} {now - started:6.2f} s")
        return now


def render_markdown(project: Project, results: Results) -> Rendered:
    renderer = Renderer(
        project.templates_dir, tuple(charts.CHARTS),
        lambda chart_id, number, caption: charts.figure_block(chart_id, number, caption, results))
    return renderer.render(results)


def prepare(project: Project, echo=None, report: Report | None = None):
    """Everything up to Markdown and charts, in memory (the Quarto pre-render step uses this too)."""
    report = report or Report()
    t = time.perf_counter()
    results = pipeline.results(project)
    t = report.step(f"data og statistik ({len(results.figures)} tal)", t, echo)
    rendered = render_markdown(project, results)
    t = report.step(f"tekstskabeloner ({len(rendered.sections)} afsnit)", t, echo)
    svgs = {chart_id: charts.svg(chart_id, results, project.styles_dir / "fonts") for chart_id in rendered.figures}
    report.step(f"figurer ({len(svgs)})", t, echo)
    return results, rendered, svgs, report


def assemble(project: Project, stage: Path, echo=None) -> tuple[Report, Results, Rendered, dict]:
    """Make every output inside ``stage``; nothing in ``_output/`` is touched."""
    from hæfte import catalogue, lock

    write.require_styles(project.styles_dir)
    results, rendered, svgs, report = prepare(project, echo)
    title = results.facts["publikation"]["titel"]
    publisher = results.facts["publikation"]["udgiver"]
    snap = lock.snapshot(project, results, rendered)
    t = time.perf_counter()
    (stage / "haefte.md").write_text(rendered.markdown, encoding="utf-8")
    write.write_web(rendered.markdown, project.styles_dir, stage, title, svgs)
    catalogue_md = catalogue.catalogue_markdown(results, snap)
    write.write_page(catalogue_md, project.styles_dir, stage / "web" / "katalog.html", f"Figurkatalog – {title}")
    t = report.step("webversion (pandoc)", t, echo)
    print_html = write.write_print_html(rendered.markdown, project.styles_dir, stage, title, publisher)
    write.write_pdf(print_html, project.styles_dir, stage / "haefte.pdf", stage / "web" / "figurer")
    shutil.copy2(stage / "haefte.pdf", stage / "web" / "haefte.pdf")
    write.write_catalogue_pdf(catalogue.catalogue_markdown(results, snap, layout="blocks"), project.styles_dir, stage,
                              f"Figurkatalog – {title}")
    report.step("PDF'er (WeasyPrint)", t, echo)
    return report, results, rendered, snap


def build(project: Project, echo: Callable[[str], None] | None = None) -> Report:
    project.output_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".bygger-", dir=project.output_dir))
    try:
        report, *_ = assemble(project, stage, echo)
        publish(stage, project.output_dir)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    report.outputs = {"pdf": project.output_dir / "haefte.pdf", "web": project.output_dir / "web" / "index.html"}
    return report


def publish(stage: Path, output: Path) -> None:
    """Move the finished outputs into place, each with a rename."""
    for name in OUTPUTS:
        src, dst = stage / name, output / name
        if not src.exists():
            continue
        old = output / f".gammel-{name}"
        if old.exists():
            shutil.rmtree(old) if old.is_dir() else old.unlink()
        if dst.exists():
            dst.rename(old)
        src.rename(dst)
        if old.exists():
            shutil.rmtree(old) if old.is_dir() else old.unlink()
