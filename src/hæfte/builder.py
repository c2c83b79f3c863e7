"""Build the whole booklet: data → results → charts → Markdown → web HTML and print PDF.

In:  a ``Project`` (``data/``, ``templates/``, ``styles/``).
Out: ``_output/haefte.pdf``, ``_output/web/index.html`` (with assets, charts and a copy of the
     PDF), ``_output/haefte.md`` and ``_output/print.html``.

Like mkdocs, every statistic and every piece of text is gathered before anything is written;
the outputs are written to a new version folder under ``_output/`` and published in one atomic
step (``publish``) only when all steps succeeded, so a failed or killed build leaves the previous
good outputs as they were. One build of a project runs at a time (a file lock the operating
system releases when the process dies, so a killed build never leaves a stale lock).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hæfte import faults, publish, visibility
from hæfte.cache import MANIFEST, Cache, Keys, Options, damaged_files, hash_text, manifest_for, write_atomic
from hæfte.errors import BusyError, ProjectError, VisibilityError
from hæfte.project import Project

# Every output, by the step that makes it: the one list to edit when the set of outputs changes.
OUTPUT_GROUPS = {
    "web": ("web",),
    "pdf": ("haefte.pdf", "print.html", "figurer"),  # figurer/: print.html's charts
    "katalog": ("figurkatalog.pdf", "katalog-print.html"),
    "tekst": ("haefte.md",),
}
OUTPUTS = tuple(name for names in OUTPUT_GROUPS.values() for name in names)
LOCK_FILE = ".bygger.lock"
# outputs earlier versions made: removed at publishing, so no stale copy is mistaken for the booklet
OBSOLETE = ("haefte-tilgaengelig.pdf",)


@dataclass
class Report:
    steps: list[tuple[str, float]] = field(default_factory=list)
    outputs: dict[str, Path] = field(default_factory=dict)
    nothing_to_do: bool = False
    hidden: list[str] = field(default_factory=list)  # text a reader would not see (visibility)
    pdf_margins: list[list[str]] | None = None  # running heads and page numbers, page by page

    def step(self, name: str, started: float, echo: Callable[[str], None] | None) -> float:
        now = time.perf_counter()
        self.steps.append((name, now - started))
        if echo:
            echo(f"  {name:<42} {now - started:6.2f} s")
        return now


def render_markdown(project: Project, results):
    from functools import partial

    from hæfte import charts
    from hæfte.render import Renderer

    # a partial, not a lambda: the templates are rendered in the sandbox process
    renderer = Renderer(project.templates_dir, tuple(charts.CHARTS), partial(charts.figure_block, results=results),
                        project_root=project.root)
    return renderer.render(results)


def prepare(project: Project, echo=None, report: Report | None = None, cache: Cache | None = None,
            keys: Keys | None = None, pool=None):
    """Everything up to Markdown and charts, in memory (the Quarto pre-render step uses this too).
    With a cache, a stage whose inputs are unchanged is loaded instead of computed; with a worker
    ``pool``, the charts are drawn there while the templates are rendered here."""
    from hæfte import charts

    report = report or Report()
    keys = keys or Keys.of(project)
    step_started = time.perf_counter()
    results = cache.load("results", keys.results) if cache else None
    if results is None:
        from hæfte import pipeline

        results = pipeline.results(project)
        if cache:
            cache.store("results", keys.results, results)
        step_started = report.step(f"data og statistik ({len(results.figures)} tal)", step_started, echo)
    else:
        step_started = report.step("data og statistik (uændret)", step_started, echo)
    # Charts are drawn in the worker process while the templates are rendered here.
    chart_keys = {cid: hash_text(cid, charts.data_key(cid, results), keys.code, keys.tools, keys.styles_of("figur"))
                  for cid in charts.CHARTS if charts.CHARTS[cid].table in results.tables}
    cached = {cid: cache.load(f"figur-{cid}", key) for cid, key in chart_keys.items()} if cache else {}
    jobs = {}
    if pool is not None:
        jobs = {cid: pool.submit(charts.draw, cid, results, project.styles_dir / "fonts")
                for cid in chart_keys if cached.get(cid) is None}
    rendered = cache.load("rendered", keys.rendered) if cache else None
    if rendered is None:
        rendered = render_markdown(project, results)
        if cache:
            cache.store("rendered", keys.rendered, rendered)
        step_started = report.step(f"tekstskabeloner ({len(rendered.sections)} afsnit)", step_started, echo)
    else:
        step_started = report.step("tekstskabeloner (uændret)", step_started, echo)
    svgs, drawn = {}, 0
    for chart_id in rendered.figures:
        key = chart_keys[chart_id]
        data = cached.get(chart_id)
        if data is None:
            job = jobs.get(chart_id)
            data = job.result() if job else charts.draw(chart_id, results, project.styles_dir / "fonts")
            drawn += 1
            if cache:
                cache.store(f"figur-{chart_id}", key, data)
        svgs[chart_id] = data
    report.step(f"figurer ({drawn} af {len(svgs)} tegnet)", step_started, echo)
    return results, rendered, svgs, report


def _warm_up(fonts_dir: Path) -> None:
    from hæfte import drawing

    drawing._load_fonts(fonts_dir)
    import weasyprint  # noqa: F401


def _reuse(previous: dict, name: str, key: str, output: Path, stage: Path, damaged: set[str]) -> bool:
    """Copy last build's outputs into the stage when their key is the same and every one of their
    files is as published (a file changed or deleted since is made again)."""
    paths = OUTPUT_GROUPS[name]
    if previous.get(name) != key or not all((output / p).exists() for p in paths):
        return False
    if any(d == p or d.startswith(p + "/") for d in damaged for p in paths):
        return False
    for p in paths:
        src, dst = output / p, stage / p
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(src, dst) if src.is_dir() else shutil.copy2(src, dst)
    return True


def _made_before(previous: dict, name: str, key: str, output: Path, stage: Path, damaged: set[str],
                 cache: Cache | None) -> tuple[str, dict] | None:
    """An output group made before with the same inputs, copied into the stage: from the last
    published build ("uændret"), else from the cache's copy of its last layout ("lavet før", with
    what that layout found: hidden text, the PDF's margins). None when it must be made."""
    if _reuse(previous, name, key, output, stage, damaged):
        return "uændret", {}
    found = cache.load_outputs(name, key, stage) if cache else None
    return ("lavet før", found) if found is not None else None


def assemble(project: Project, stage: Path, echo=None, cache: Cache | None = None, previous: dict | None = None,
             keys: Keys | None = None, options: Options = Options(), pool=None, damaged: set[str] = frozenset()):
    """Make every output inside ``stage``; nothing in ``_output/`` is touched. With ``previous``
    (the last build's output keys), outputs whose inputs are unchanged and whose published files
    are intact (not in ``damaged``) are copied, not remade."""
    if pool is None:
        from hæfte import workers

        with workers.pool() as own:
            return assemble(project, stage, echo, cache, previous, keys, options, own, damaged)
    from hæfte import catalogue, lock
    from hæfte.write import pdf, resources, web

    resources.require_styles(project.styles_dir, project.root)
    keys = keys or Keys.of(project)
    previous = previous or {}
    results, rendered, svgs, report = prepare(project, echo, cache=cache, keys=keys, pool=pool)
    publication = results.facts["publikation"]
    if options.release:
        pdf.require_release(publication)
    title, publisher = publication["titel"], publication["udgiver"]
    snap = lock.snapshot(project, results, rendered)
    catalogue_md = catalogue.catalogue_markdown(results, snap)
    figures = [hash_text(chart_id, *data.parts()) for chart_id, data in sorted(svgs.items())]
    common = (keys.code, keys.tools)
    made = {
        "web": hash_text("web", rendered.markdown, catalogue_md, *figures, *common, keys.styles_of("web"),
                         options.key("web")),
        # the cover, colophon and back cover are made from the publication facts, not the Markdown
        "pdf": hash_text("pdf", rendered.markdown, *figures, *common, keys.styles_of("pdf"), options.key("pdf"),
                         repr(sorted(publication.items()))),
        "katalog": hash_text("katalog", catalogue_md, *common, keys.styles_of("katalog"), options.key("katalog")),
    }
    out = project.output_dir
    step_started = time.perf_counter()
    (stage / "haefte.md").write_text(rendered.markdown, encoding="utf-8")
    web_before = _made_before(previous, "web", made["web"], out, stage, damaged, cache)
    if web_before:
        (stage / "web" / "haefte.pdf").unlink(missing_ok=True)  # the PDF made now goes in below
        step_started = report.step(f"webversion ({web_before[0]})", step_started, echo)
    else:
        write_web_version(project, stage, results, rendered, svgs, catalogue_md)
        step_started = report.step("webversion (pandoc)", step_started, echo)
    # The figure catalogue's PDF is laid out in a second process while this one lays out the
    # booklet: the two are independent, and the machine has two cores.
    catalogue_job = None
    catalogue_before = _made_before(previous, "katalog", made["katalog"], out, stage, damaged, cache)
    if not catalogue_before:
        blocks = catalogue.catalogue_markdown(results, snap, layout="blocks")
        catalogue_job = pool.submit(pdf.write_catalogue_pdf, blocks, project.styles_dir, stage,
                                       f"Figurkatalog – {title}")
    web_check = None
    pdf_before = _made_before(previous, "pdf", made["pdf"], out, stage, damaged, cache)
    if pdf_before:
        state, found = pdf_before
        # the running heads and folios its layout found, so the text extracted from the reused
        # file is read as the first time (hæfte check); a published PDF had no hidden text
        report.pdf_margins = found["margener"] if found else cache.load("pdf-margener", made["pdf"]) if cache else None
        report.hidden.extend(found.get("skjult", []))
        step_started = report.step(f"PDF ({state})", step_started, echo)
    else:
        print_html = pdf.write_print_html(rendered.markdown, project.styles_dir, stage, title, publisher,
                                          publication)
        shutil.copytree(stage / "web" / "figurer", stage / "figurer")
        if not web_before:
            web_check = pool.submit(visibility.check_web, stage / "web" / "index.html", project.styles_dir)

        hidden: list[str] = []

        def audit(document) -> None:  # every text of the booklet visible in the layout the PDF is drawn from
            problems, seen = visibility.check_print(document)
            hidden.extend(problems)
            report.pdf_margins = seen.margins

        pdf.write_booklet_pdf(print_html, project.styles_dir, stage / "haefte.pdf", bleed=options.bleed,
                              templates=project.templates_dir, on_layout=audit)
        report.hidden.extend(hidden)
        if cache and report.pdf_margins is not None:
            cache.store("pdf-margener", made["pdf"], report.pdf_margins)
            cache.store_outputs("pdf", made["pdf"], stage, OUTPUT_GROUPS["pdf"],
                                {"margener": report.pdf_margins, "skjult": hidden})
        step_started = report.step("PDF (WeasyPrint)", step_started, echo)
    if web_check is None and not web_before:
        web_check = pool.submit(visibility.check_web, stage / "web" / "index.html", project.styles_dir)
    shutil.copy2(stage / "haefte.pdf", stage / "web" / "haefte.pdf")
    web.link_downloads(stage / "web")  # the PDF's size beside its link
    if catalogue_job is None:
        step_started = report.step(f"figurkatalog-PDF ({catalogue_before[0]})", step_started, echo)
    else:
        catalogue_job.result()
        if cache:
            cache.store_outputs("katalog", made["katalog"], stage, OUTPUT_GROUPS["katalog"], {})
        step_started = report.step("figurkatalog-PDF (WeasyPrint, parallelt)", step_started, echo)
    if web_check is not None:
        web_hidden = web_check.result()
        report.hidden.extend(web_hidden)
        if cache:
            cache.store_outputs("web", made["web"], stage, OUTPUT_GROUPS["web"], {"skjult": web_hidden})
        report.step("webversionens tekst er synlig (parallelt)", step_started, echo)
    else:
        report.hidden.extend(web_before[1].get("skjult", []))
    return report, results, rendered, snap, made


def write_web_version(project: Project, stage: Path, results, rendered, svgs: dict[str, bytes], catalogue_md: str,
                      catalogue_page: bytes | None = None) -> Path:
    """The web version in ``stage/web``: the booklet's page and the figure catalogue's page. The
    build and the preview's fast path (``preview.Previewer``) both make it here; the preview
    passes the catalogue page it made last time when ``catalogue_md`` has not changed."""
    from concurrent.futures import ThreadPoolExecutor

    from hæfte.write import web

    title = results.facts["publikation"]["titel"]
    (stage / "web").mkdir(parents=True, exist_ok=True)
    target = stage / "web" / "katalog.html"
    if catalogue_page is not None:
        target.write_bytes(catalogue_page)
        web.write_web(rendered.markdown, project.styles_dir, stage, results, svgs)
        return stage / "web"
    with ThreadPoolExecutor(max_workers=1) as pool:  # two pandoc processes at once: two cores
        made = pool.submit(web.write_page, catalogue_md, project.styles_dir, target, f"Figurkatalog – {title}")
        web.write_web(rendered.markdown, project.styles_dir, stage, results, svgs)
        made.result()
    return stage / "web"


@contextlib.contextmanager
def exclusive(project: Project, wait: float = 600.0):
    """One build of a project at a time: a second one waits for the first to finish. The lock is
    the operating system's (``filelock``: fcntl on POSIX, msvcrt on Windows, a marker file that
    names its process where neither exists), so the lock of a killed build is free at once."""
    import warnings

    with warnings.catch_warnings():  # without fcntl, filelock warns that it uses its marker-file lock: wanted here
        warnings.simplefilter("ignore", UserWarning)
        from filelock import FileLock, Timeout

    output = project.output_dir
    if output.exists() and not output.is_dir():
        raise ProjectError(f"{project.relative(output)} er en fil, men skal være en mappe: flyt eller slet filen")
    output.mkdir(parents=True, exist_ok=True)
    lock = FileLock(output / LOCK_FILE, timeout=wait)
    try:
        lock.acquire()
    except Timeout:
        raise BusyError(f"en anden bygning af {project.root} har kørt i over {wait:.0f} s") from None
    try:
        yield
    finally:
        lock.release()


def build(project: Project, echo: Callable[[str], None] | None = None, incremental: bool = True,
          bleed: bool = False, release: bool = False) -> Report:
    """Build into a new version folder and publish it; with nothing changed since the last build
    and every published file intact, do nothing. ``bleed`` gives the print PDF 3 mm bleed and
    crop marks for the printer; ``release`` refuses a booklet whose publication facts are not all
    known (a draft)."""
    if release:
        _refuse_draft(project)
    with exclusive(project):
        return _build(project, echo, incremental, Options(bleed=bleed, release=release))


def _refuse_draft(project: Project) -> None:
    """A release build stops at once, before any work, when a publication fact is unknown."""
    from pydantic import ValidationError

    from hæfte.contract import Publication
    from hæfte.load import read_facts
    from hæfte.write import pdf

    try:
        publication = Publication.model_validate(read_facts(project, "publikation"))
    except ValidationError:
        return  # the build itself names the bad key
    pdf.require_release(publication.model_dump())


def _published_names(manifest: dict) -> set[str]:
    return {rel.split("/", 1)[0] for rel in manifest.get("files", {})} | ({MANIFEST} if manifest else set())


def _build(project: Project, echo, incremental: bool, options: Options) -> Report:
    output = project.output_dir
    publish.recover(output)  # finish a switch a killed build began; remove its leftovers
    publish.links_supported(output)  # a folder that cannot be written fails here, before the work
    cache = Cache(project)
    keys = Keys.of(project)
    keys_now = {**keys.as_dict(), "valg": options.key()}
    manifest = cache.manifest()
    damaged = damaged_files(output, manifest)
    outputs = {"pdf": output / "haefte.pdf", "web": output / "web" / "index.html"}
    if (incremental and manifest.get("keys") == keys_now and not damaged
            and all((output / name).exists() for name in OUTPUTS)):
        report = Report(nothing_to_do=True, outputs=outputs)
        if echo:
            echo("  intet er ændret siden sidste bygning")
        return report
    if damaged and echo:
        shown = ", ".join(damaged[:3]) + (" …" if len(damaged) > 3 else "")
        echo(f"  {len(damaged)} udgivne filer er ændret eller mangler siden sidste bygning ({shown}); de laves igen")
    from hæfte import workers

    version = publish.new_version(output)
    publishing = False
    try:
        with workers.pool() as pool:
            pool.submit(_warm_up, project.styles_dir / "fonts")
            report, *_, made = assemble(project, version, echo, cache=cache if incremental else None,
                                        previous=manifest.get("outputs", {}) if incremental else {}, keys=keys,
                                        options=options, pool=pool, damaged=set(damaged))
        if report.hidden:  # a booklet a reader cannot read in full is not published
            more = f" (og {visibility.places(len(report.hidden) - 1)} mere; kør 'hæfte check' for at se dem)" \
                if len(report.hidden) > 1 else ""
            raise VisibilityError(report.hidden[0] + more)
        write_atomic(version / MANIFEST, json.dumps(manifest_for(version, keys_now, made), indent=1,
                                                    sort_keys=True, ensure_ascii=False).encode("utf-8"))
        faults.point("bygget")
        publishing = True
        publish.publish(version, output, previous=_published_names(manifest))
        for name in OBSOLETE:
            (output / name).unlink(missing_ok=True)
    except BaseException:
        if not publishing:  # once publishing began, the journal may still need the version folder
            shutil.rmtree(version, ignore_errors=True)
        raise
    report.outputs = outputs
    return report
