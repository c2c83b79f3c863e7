"""``hæfte check`` and ``hæfte lock``: CI's guard against figures that drift.

In:  the project and its committed ``figurer.lock.json``.
Out: a ``CheckResult`` listing drifted figures (figure · locked · now · sentence), claims of the
     fixed prose that no longer hold, numbers in the rendered PDF or HTML that no figure
     explains, text a reader would not see (``visibility``: in the PDF's layout, the text
     extracted from the PDF file and the web page's styles) and template lint; ``lock`` writes a
     new lock and a Danish change report.

The check builds the whole booklet in a temporary folder, so it sees exactly what a reader
would, and leaves the published outputs alone (it shares the build cache in ``_output/.cache``).
"""

from __future__ import annotations

import html as htmllib
import re
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hæfte import lock, visibility
from hæfte.cache import Cache, damaged_files, hash_text
from hæfte.errors import ProjectError
from hæfte.project import Project
from hæfte.render import JINJA_TAGS

SHOWN_HIDDEN = 10  # problems shown per output
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_PANDOC_ATTR = re.compile(r"\{#[\w-]+[^}]*\}")


def numbers_in(text: str) -> set[str]:
    return set(_NUMBER.findall(text.replace("\u00a0", " ")))


def html_text(page: str) -> str:
    from hæfte.write.web import reading_text

    return reading_text(page)


def pdf_pages(path: Path, cache: Cache | None = None) -> list[str]:
    """The text of each page of the PDF as PDFium (the PDF engine of Chromium) extracts it. With a
    cache it is kept under the file's SHA-256 (and pypdfium2's version): 'check', 'lock', 'check'
    reads the same file twice."""
    import hashlib
    from importlib.metadata import version

    data = path.read_bytes()  # read once: for the key and, when not kept, for PDFium
    key = hash_text("pdf-tekst", hashlib.sha256(data).hexdigest(), version("pypdfium2"), EXTRACTION)
    pages = cache.load("pdf-tekst", key) if cache else None
    if pages is None:
        pages = extract_text(data)
        if cache:
            cache.store("pdf-tekst", key, pages)
    return pages


EXTRACTION = "pdfium-1"  # part of the kept text's key: change it when extract_text changes what it returns
_pdfium = threading.Lock()  # PDFium is not thread-safe, and the preview builds in threads


def extract_text(data: bytes) -> list[str]:
    """Each page's text in reading order. PDFium joins a word hyphenated at a line's end and
    marks the join with U+0002; it is written back as the hyphen and line break the page shows,
    as the text of every line is. (pypdf read the same text ~30 times slower: 2-3 s a booklet.)"""
    import pypdfium2

    pages = []
    with _pdfium:
        document = pypdfium2.PdfDocument(data)
        try:
            for page in document:
                text = page.get_textpage()
                pages.append(text.get_text_bounded().replace("\r\n", "\n").replace("\x02", "-\n"))
                text.close()
                page.close()
        finally:
            document.close()
    return pages


def typed_digits(templates_dir: Path) -> list[str]:
    """Digits outside Jinja in the templates' prose: numbers typed instead of computed. Every
    file a template can include is read (any .j2 under templates/, as the build's cache is)."""
    found = []
    for path in sorted(p for p in templates_dir.rglob("*.j2") if p.is_file()):  # a pipe is refused by the build
        text = JINJA_TAGS.sub(lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8"))
        text = _PANDOC_ATTR.sub("", text)
        for n, line in enumerate(text.splitlines(), 1):
            if re.search(r"\d", line):
                found.append(f"templates/{path.relative_to(templates_dir).as_posix()}:{n}: {line.strip()}")
    return found


@dataclass
class CheckResult:
    drifts: list[lock.Drift] = field(default_factory=list)
    false_claims: list[dict] = field(default_factory=list)
    stray_numbers: list[str] = field(default_factory=list)
    typed_digits: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    unquoted: int = 0
    quoted: int = 0
    data_only_changes: int = 0
    rounding: list[str] = field(default_factory=list)  # shown totals and parts that differ by rounding (noted, not errors)

    @property
    def ok(self) -> bool:
        return not (self.drifts or self.false_claims or self.stray_numbers or self.typed_digits or self.hidden)


# Where a page number is printed as one: a reference ("på side 22", "sider 4"), or a line of the
# contents ending in its leader ". . . 22"
_PAGE_REFERENCE = re.compile(r"(?:\bsider?\s+|(?:\.\s?){3,}\s*)(\d+)\b")


def fact_texts(facts) -> list[str]:
    """Every text in the data's facts (data/fakta/): a name like »Landsbyggefondens 2006-10-midler«
    is a source of the numbers it holds, as a figure is of its display."""
    if isinstance(facts, str):
        return [facts]
    if isinstance(facts, Mapping):
        return [text for value in facts.values() for text in fact_texts(value)]
    if isinstance(facts, (list, tuple)):
        return [text for value in facts for text in fact_texts(value)]
    return []


def stray_numbers(stage: Path, injected: list[str], pages: list[str] | None = None,
                  margins: list[list[str]] | None = None) -> list[str]:
    """Numbers in the outputs that no computed figure explains. In the PDF a page number is
    excused only where it is printed as one: in the page's running head or folio (``margins``,
    from the layout) and in page references and the contents; a number like a page number
    elsewhere ("17 kommuner") is as stray as any. Without the margins every page number is
    excused everywhere, as before they were kept."""
    known = set()
    for value in injected:
        known |= numbers_in(htmllib.unescape(value))
    stray = []
    web = (stage / "web" / "index.html").read_text(encoding="utf-8")
    for token in sorted(numbers_in(html_text(web)) - known):
        stray.append(f"web/index.html: {token}")
    pages = pdf_pages(stage / "haefte.pdf") if pages is None else pages
    page_numbers = {str(n) for n in range(1, len(pages) + 1)}
    exact = margins is not None and len(margins) == len(pages)
    for i, text in enumerate(pages, 1):
        excused = page_numbers
        if exact:
            text = visibility.without_margins(text, margins[i - 1], gap=" ")
            excused = {m.group(1) for m in _PAGE_REFERENCE.finditer(text.replace("\u00a0", " "))} & page_numbers
        for token in sorted(numbers_in(text) - known - excused):
            stray.append(f"haefte.pdf side {i}: {token}")
    return stray


def check(project: Project, echo=None) -> CheckResult:
    from hæfte import builder

    locked = lock.read(project)
    if locked is None:
        raise ProjectError(f"{lock.LOCK_FILE} mangler: kør 'hæfte lock' for at låse tallene første gang")
    stage = Path(tempfile.mkdtemp(prefix="haefte-check-"))
    try:
        # the statistics, the text and the charts come from the build cache when their inputs are
        # unchanged: its entries are verified data, keyed by everything they depend on. So do the
        # published outputs whose key is the same and whose files are intact (the manifest's
        # SHA-256): the build that published them audited their layout and refuses hidden text,
        # and the text extracted from the PDF file is checked below either way.
        cache = Cache(project)
        manifest = cache.manifest()
        damaged = set(damaged_files(project.output_dir, manifest))
        report, results, rendered, snap, _ = builder.assemble(project, stage, echo, cache=cache,
                                                              previous=manifest.get("outputs", {}), damaged=damaged)
        pages = pdf_pages(stage / "haefte.pdf", cache)
        print_html = (stage / "print.html").read_text(encoding="utf-8")
        result = CheckResult(
            drifts=lock.compare(locked, snap) + lock.changed_wording(locked, snap),
            false_claims=[c for c in snap["claims"] if not c["holds"]],
            stray_numbers=stray_numbers(stage, rendered.tracker.injected + fact_texts(results.facts), pages,
                                        report.pdf_margins),
            typed_digits=typed_digits(project.templates_dir),
            hidden=_merged(report.hidden, visibility.check_pdf_text(pages, print_html, report.pdf_margins)),
            quoted=len(snap["figures"]),
            unquoted=len(results.figures) - len(snap["figures"]),
        )
        result.rounding = rounding_pairs(results, rendered)
        result.data_only_changes = sum(
            1 for k, v in snap["figures"].items()
            if k in locked["figures"] and locked["figures"][k]["data"] != v["data"]
            and locked["figures"][k]["display"] == v["display"])
        return result
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _merged(layout: list[str], extracted: list[str]) -> list[str]:
    """The layout's problems, then what the PDF file's text lacks that the layout did not already say."""
    said = {p.split(" ses ikke: ")[0] for p in layout}
    return layout + [p for p in extracted if p.split(" findes ikke i ")[0] not in said]


def rounding_pairs(results, rendered) -> list[str]:
    """Totals and parts shown together (quoted in the text or drawn in a chart) whose rounded
    values disagree; the chart with the parts prints the rounding note."""
    from hæfte import charts, rounding

    shown = set(rendered.tracker.uses)
    where = {}
    for chart_id in rendered.figures:
        ids = rounding.chart_figures(results.tables[charts.CHARTS[chart_id].table])
        shown |= ids
        where.update(dict.fromkeys(ids, chart_id))
    out = []
    for m in rounding.mismatches(results, shown):
        chart = where.get(m.parts[0])
        number = rendered.numbers.get(chart)
        place = f"note under figur {number}" if number else f"note under figuren '{chart}'" if chart else "ingen note"
        out.append(f"{m.describe(results)} ({place})")
    return out


def make_lock(project: Project) -> tuple[Path, Path, str]:
    """Write the lock from the current data and templates, and the change report against the old."""
    from hæfte import builder
    from hæfte.write import web

    # the statistics, text and charts of the last build or check when their inputs are unchanged
    # (the cache is keyed by data, templates, code and versions): locking after a check is quick
    results, rendered, _, _ = builder.prepare(project, cache=Cache(project))
    snap = lock.snapshot(project, results, rendered)
    report = lock.change_report(lock.read(project), snap)
    path = lock.write(project, snap)
    project.output_dir.mkdir(parents=True, exist_ok=True)
    md = project.output_dir / "aendringer.md"
    md.write_text(report, encoding="utf-8")
    folder = project.output_dir / "web"
    if folder.is_dir():  # beside the published web version (a file the manifest does not know)
        web.write_page(report, project.styles_dir, folder / "aendringer.html", "Ændringer i hæftet")
    return path, md, report


def format_report(result: CheckResult) -> str:
    lines = []
    if result.drifts:
        rows = [("tal", "låst", "nu", "sætning (skabelon:linje)")]
        rows += [(d.figure_id, d.locked, d.now, f"{d.sentence[:70]}{'…' if len(d.sentence) > 70 else ''} ({d.where})")
                 for d in result.drifts]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines.append(f"{len(result.drifts)} tal afviger fra {lock.LOCK_FILE}:")
        for r in rows:
            lines.append("  " + "  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3])
    for c in result.false_claims:
        lines.append(f"påstand holder ikke længere: {c['claim']} ({c['template']})")
    for s in result.stray_numbers:
        lines.append(f"tal uden kilde i output: {s}")
    for t in result.typed_digits:
        lines.append(f"tal skrevet direkte i teksten: {t}")
    by_output: dict[str, list[str]] = {}
    for h in result.hidden:
        by_output.setdefault(re.split(r"[:,]", h, maxsplit=1)[0], []).append(h)
    for output, problems in by_output.items():  # the first few of each output, so none is crowded out
        lines += [f"ikke synligt for læseren: {h}" for h in problems[:SHOWN_HIDDEN]]
        if len(problems) > SHOWN_HIDDEN:
            lines.append(f"ikke synligt for læseren: … og {visibility.places(len(problems) - SHOWN_HIDDEN)} mere i {output}")
    for r in result.rounding:
        lines.append(f"afrunding: {r}")
    status = "OK" if result.ok else "FEJL"
    lines.append(f"{status}: {result.quoted} citerede tal kontrolleret; {result.unquoted} beregnede tal citeres ikke"
                 + (f"; {result.data_only_changes} tal bygger på ændrede data, men er uændrede" if result.data_only_changes else ""))
    return "\n".join(lines)
