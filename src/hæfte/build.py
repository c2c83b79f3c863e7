"""Build the whole booklet: data → results → charts → Markdown → web HTML and print PDF.

In:  a ``Project`` (``data/``, ``templates/``, ``styles/``).
Out: ``_output/haefte.pdf``, ``_output/web/index.html`` (with assets, charts and a copy of the
     PDF), ``_output/haefte.md`` and ``_output/print.html``.

Like mkdocs, every statistic and every piece of text is gathered before anything is written;
the outputs are written to a staging folder and moved into ``_output/`` only when all steps
succeeded, so a failed build leaves the previous good outputs as they were.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hæfte.cache import Cache, Keys, hash_text
from hæfte.errors import BusyError
from hæfte.project import Project

OUTPUTS = ("haefte.pdf", "haefte-tilgaengelig.pdf", "figurkatalog.pdf", "haefte.md", "print.html", "katalog-print.html", "web")


@dataclass
class Report:
    steps: list[tuple[str, float]] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    nothing_to_do: bool = False

    def step(self, name: str, started: float, echo: Callable[[str], None] | None) -> float:
        now = time.perf_counter()
        self.steps.append((name, now - started))
        if echo:
            echo(f"  {name:<42} {now - started:6.2f} s")
        return now


def render_markdown(project: Project, results):
    from hæfte import charts
    from hæfte.render import Renderer

    renderer = Renderer(
        project.templates_dir, tuple(charts.CHARTS),
        lambda chart_id, number, caption, quoted: charts.figure_block(chart_id, number, caption, results, quoted))
    return renderer.render(results)


def prepare(project: Project, echo=None, report: Report | None = None, cache: Cache | None = None,
            keys: Keys | None = None, parallel: bool = False):
    """Everything up to Markdown and charts, in memory (the Quarto pre-render step uses this too).
    With a cache, a stage whose inputs are unchanged is loaded instead of computed."""
    from hæfte import charts

    report = report or Report()
    keys = keys or Keys.of(project)
    t = time.perf_counter()
    results = cache.load("results", keys.results) if cache else None
    if results is None:
        from hæfte import pipeline

        results = pipeline.results(project)
        if cache:
            cache.store("results", keys.results, results)
        t = report.step(f"data og statistik ({len(results.figures)} tal)", t, echo)
    else:
        t = report.step("data og statistik (uændret)", t, echo)
    # Charts are drawn in the worker process while the templates are rendered here.
    chart_keys = {cid: hash_text(cid, charts.data_key(cid, results), keys.code, keys.styles) for cid in charts.CHARTS
                  if charts.CHARTS[cid].table in results.tables}
    cached = {cid: cache.load(f"figur-{cid}", key) for cid, key in chart_keys.items()} if cache else {}
    jobs = {}
    if parallel:
        jobs = {cid: _pool().submit(charts.svg, cid, results, project.styles_dir / "fonts")
                for cid in chart_keys if cached.get(cid) is None}
    rendered = cache.load("rendered", keys.rendered) if cache else None
    if rendered is None:
        rendered = render_markdown(project, results)
        if cache:
            cache.store("rendered", keys.rendered, rendered)
        t = report.step(f"tekstskabeloner ({len(rendered.sections)} afsnit)", t, echo)
    else:
        t = report.step("tekstskabeloner (uændret)", t, echo)
    svgs, drawn = {}, 0
    for chart_id in rendered.figures:
        key = chart_keys[chart_id]
        data = cached.get(chart_id)
        if data is None:
            job = jobs.get(chart_id)
            data = job.result() if job else charts.svg(chart_id, results, project.styles_dir / "fonts")
            drawn += 1
            if cache:
                cache.store(f"figur-{chart_id}", key, data)
        svgs[chart_id] = data
    report.step(f"figurer ({drawn} af {len(svgs)} tegnet)", t, echo)
    return results, rendered, svgs, report


_POOL = None


def _pool():
    """One worker process beside the main one (the machine has two cores): it imports matplotlib
    and WeasyPrint while the main process computes the statistics, then draws the charts and lays
    out the figure catalogue's PDF while the main process renders text and the booklet."""
    global _POOL
    if _POOL is None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method))
    return _POOL


def _warm_up(fonts_dir: Path) -> None:
    from hæfte import drawing

    drawing._load_fonts(fonts_dir)
    import weasyprint  # noqa: F401


def _reuse(previous: dict, name: str, key: str, output: Path, stage: Path, paths: tuple[str, ...]) -> bool:
    """Copy last build's outputs into the stage when their key is the same."""
    if previous.get(name) != key or not all((output / p).exists() for p in paths):
        return False
    for p in paths:
        src, dst = output / p, stage / p
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(src, dst) if src.is_dir() else shutil.copy2(src, dst)
    return True


def assemble(project: Project, stage: Path, echo=None, cache: Cache | None = None, previous: dict | None = None,
             keys: Keys | None = None, bleed: bool = False):
    """Make every output inside ``stage``; nothing in ``_output/`` is touched. With ``previous``
    (the last build's manifest), outputs whose inputs are unchanged are copied, not remade."""
    from hæfte import catalogue, lock
    from hæfte.write import pdf, resources, web

    resources.require_styles(project.styles_dir)
    keys = keys or Keys.of(project)
    previous = previous or {}
    results, rendered, svgs, report = prepare(project, echo, cache=cache, keys=keys, parallel=True)
    title = results.facts["publikation"]["titel"]
    publisher = results.facts["publikation"]["udgiver"]
    snap = lock.snapshot(project, results, rendered)
    catalogue_md = catalogue.catalogue_markdown(results, snap)
    figures = [hash_text(chart_id, data) for chart_id, data in sorted(svgs.items())]
    made = {
        "web": hash_text("web", rendered.markdown, catalogue_md, *figures, keys.styles, keys.code),
        "pdf": hash_text("pdf", rendered.markdown, *figures, keys.styles, keys.code, f"beskaering={bleed}"),
        "katalog": hash_text("katalog", catalogue_md, keys.styles, keys.code),
    }
    out = project.output_dir
    t = time.perf_counter()
    (stage / "haefte.md").write_text(rendered.markdown, encoding="utf-8")
    if _reuse(previous, "web", made["web"], out, stage, ("web",)):
        (stage / "web" / "haefte.pdf").unlink(missing_ok=True)
        t = report.step("webversion (uændret)", t, echo)
    else:
        web.write_web(rendered.markdown, project.styles_dir, stage, title, svgs)
        web.write_page(catalogue_md, project.styles_dir, stage / "web" / "katalog.html", f"Figurkatalog – {title}")
        t = report.step("webversion (pandoc)", t, echo)
    # The figure catalogue's PDF is laid out in a second process while this one lays out the
    # booklet: the two are independent, and the machine has two cores.
    catalogue_job = None
    reuse_catalogue = _reuse(previous, "katalog", made["katalog"], out, stage, ("figurkatalog.pdf", "katalog-print.html"))
    if not reuse_catalogue:
        blocks = catalogue.catalogue_markdown(results, snap, layout="blocks")
        catalogue_job = _pool().submit(pdf.write_catalogue_pdf, blocks, project.styles_dir, stage,
                                       f"Figurkatalog – {title}")
    accessible_job = None
    if _reuse(previous, "pdf", made["pdf"], out, stage, ("haefte.pdf", "haefte-tilgaengelig.pdf", "print.html")):
        t = report.step("PDF (uændret)", t, echo)
    else:
        print_html = pdf.write_print_html(rendered.markdown, project.styles_dir, stage, title, publisher)
        shutil.copytree(stage / "web" / "figurer", stage / "figurer")
        accessible_job = _pool().submit(pdf.write_accessible_pdf, print_html, project.styles_dir,
                                        stage / "haefte-tilgaengelig.pdf")
        pdf.write_pdf(print_html, project.styles_dir, stage / "haefte.pdf", None,
                        extra=("beskaering.css",) if bleed else ())
        t = report.step("PDF (WeasyPrint)", t, echo)
    shutil.copy2(stage / "haefte.pdf", stage / "web" / "haefte.pdf")
    if catalogue_job is None:
        t = report.step("figurkatalog-PDF (uændret)", t, echo)
    else:
        catalogue_job.result()
        t = report.step("figurkatalog-PDF (WeasyPrint, parallelt)", t, echo)
    if accessible_job is not None:
        accessible_job.result()
        report.step("tilgængelig PDF (PDF/UA, parallelt)", t, echo)
    shutil.copy2(stage / "haefte-tilgaengelig.pdf", stage / "web" / "haefte-tilgaengelig.pdf")
    return report, results, rendered, snap, made


@contextlib.contextmanager
def exclusive(project: Project, wait: float = 600.0):
    """One build of a project at a time: a second one waits for the first to finish."""
    import fcntl

    project.output_dir.mkdir(parents=True, exist_ok=True)
    with open(project.output_dir / ".bygger.lock", "w") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BusyError(f"en anden bygning af {project.root} har kørt i over {wait:.0f} s") from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build(project: Project, echo: Callable[[str], None] | None = None, incremental: bool = True,
          bleed: bool = False) -> Report:
    """Build into a staging folder and publish; with nothing changed since the last build, do nothing.
    ``bleed`` gives the print PDF 3 mm bleed and crop marks for the printer."""
    with exclusive(project):
        return _build(project, echo, incremental, bleed)


def _build(project: Project, echo, incremental: bool, bleed: bool) -> Report:
    cache = Cache(project)
    keys = Keys.of(project)
    keys_now = {**keys.as_dict(), "beskaering": bleed}
    manifest = cache.manifest() if incremental else {}
    outputs = {"pdf": project.output_dir / "haefte.pdf", "web": project.output_dir / "web" / "index.html"}
    if manifest.get("keys") == keys_now and all((project.output_dir / n).exists() for n in OUTPUTS):
        report = Report(nothing_to_do=True, outputs=outputs)
        if echo:
            echo("  intet er ændret siden sidste bygning")
        return report
    _pool().submit(_warm_up, project.styles_dir / "fonts")
    project.output_dir.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".bygger-", dir=project.output_dir))
    try:
        report, *_, made = assemble(project, stage, echo, cache=cache if incremental else None,
                                    previous=manifest.get("outputs", {}), keys=keys, bleed=bleed)
        publish(stage, project.output_dir)
        cache.write_manifest({"keys": keys_now, "outputs": made})
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    report.outputs = outputs
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
