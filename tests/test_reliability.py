"""Atomic and exclusive builds, safe data values, disclosure control, reproducible output."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hæfte import pipeline, publish
from hæfte.builder import build
from hæfte.errors import DisclosureError, TemplateError
from hæfte.project import Project
from helpers import read_rows, write_rows


def digest(folder: Path) -> dict[str, str]:
    """Every published file under ``_output`` as a user reaches it (through the published links)."""
    found = {}
    for name in sorted(os.listdir(folder)):
        path = folder / name
        if name.startswith(".") or not path.exists():
            continue
        files = [Path(r) / f for r, _, names in os.walk(path, followlinks=True) for f in names] if path.is_dir() else [path]
        for file in files:
            found[file.relative_to(folder).as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
    return found


def test_a_failed_build_leaves_the_previous_outputs_byte_identical(full_copy):
    project = Project.find(full_copy)
    build(project)
    before = digest(full_copy / "_output")
    path = full_copy / "templates/10_holdninger.md.j2"
    path.write_text(path.read_text(encoding="utf-8") + "\n{{ kommuner.findes.ikke }}\n", encoding="utf-8")
    with pytest.raises(TemplateError):
        build(project)
    assert digest(full_copy / "_output") == before
    assert [p.name for p in (full_copy / "_output/.udgaver").iterdir()] == [publish.current_version(full_copy / "_output")]


def test_two_builds_at_once_do_not_corrupt_each_other(full_copy):
    env = {**os.environ}
    cmd = [sys.executable, "-m", "hæfte", "build"]
    first = subprocess.Popen(cmd, cwd=full_copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(cmd, cwd=full_copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    outs = [p.communicate(timeout=300) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outs
    from pypdf import PdfReader

    assert len(PdfReader(str(full_copy / "_output/haefte.pdf")).pages) > 10
    assert "intet er ændret siden sidste bygning" in outs[0][0] + outs[1][0]  # the second waited, then had nothing to do


def test_markup_in_data_values_is_printed_as_text(cached_copy, tmp_path):
    """Markup in a data value reaches both outputs as text: the web page, and the print HTML whose
    text WeasyPrint lays out as text (a layout is not needed to see that: the escaping is done).
    The charts, whose data the names are not, come from the session build's cache."""
    from hæfte import builder, catalogue, lock
    from hæfte.cache import Cache
    from hæfte.write import pdf

    copy_project = cached_copy

    path = copy_project / "data/survey/kommuner.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Albertslund", '"<script>alert(1)</script>"', 1)
    text = text.replace("Ballerup", '"<img src=x onerror=alert(2)>"', 1)
    text = text.replace("Hvidovre", '"[klik](https://example.org) {{ kommuner.antal }}"', 1)
    path.write_text(text, encoding="utf-8")
    project = Project.find(copy_project)
    results, rendered, svgs, report = builder.prepare(project, cache=Cache(project))
    assert [name for name, _ in report.steps][2] == "figurer (0 af 3 tegnet)"
    stage = tmp_path / "trin"
    stage.mkdir()
    catalogue_md = catalogue.catalogue_markdown(results, lock.snapshot(project, results, rendered))
    builder.write_web_version(project, stage, results, rendered, svgs, catalogue_md)
    facts = results.facts["publikation"]
    printed = pdf.write_print_html(rendered.markdown, project.styles_dir, stage, facts["titel"], facts["udgiver"],
                                   facts).read_text(encoding="utf-8")
    for page in ((stage / "web/index.html").read_text(encoding="utf-8"), printed):
        assert "<script>alert" not in page and "<img src=x" not in page and 'href="https://example.org"' not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&lt;img src=x onerror=alert(2)&gt;" in page
        assert "[klik](https://example.org) {{ kommuner.antal }}" in page


def shrink_moves(root: Path, between: int, other: int) -> None:
    path = root / "data/register/flytninger.csv"
    rows = read_rows(path)
    out = [rows[0]]
    for r in rows[1:]:
        almen = r[1] == "almen afdeling" and r[2] == "almen afdeling"
        n = (between if almen else other) if r[0] == "2004" else 0
        out.append(r[:3] + [str(n)])
    write_rows(path, out)


def test_disclosure_primary_rule(copy_project):
    shrink_moves(copy_project, between=3, other=40)
    with pytest.raises(DisclosureError) as info:
        pipeline.results(Project.find(copy_project))
    assert str(info.value) == ("register.flytninger.almen_til_almen: tælleren er 3 (under 5); tallet må ikke "
                               "offentliggøres (diskretion_min i data/fakta/program.yaml)")


def test_disclosure_secondary_rule(copy_project):
    shrink_moves(copy_project, between=60, other=1)
    with pytest.raises(DisclosureError) as info:
        pipeline.results(Project.find(copy_project))
    assert str(info.value) == ("register.flytninger.almen_til_almen: de 2 uden for tælleren kan findes ved at trække "
                               "60 fra grundlaget 62 (sekundær diskretion; mindst 5 kræves, diskretion_min i "
                               "data/fakta/program.yaml)")


def test_disclosure_threshold_is_configurable(copy_project):
    shrink_moves(copy_project, between=3, other=40)
    path = copy_project / "data/fakta/program.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("diskretion_min: 5", "diskretion_min: 3"), encoding="utf-8")
    assert pipeline.results(Project.find(copy_project))["register.flytninger.almen_til_almen"].numerator == 3


def test_disclosure_covers_chart_values(copy_project):
    path = copy_project / "data/register/beboere.csv"
    rows = read_rows(path)
    h = rows[0]
    for r in rows[1:]:
        if r[h.index("aar")] == "2009" and r[h.index("gruppe")] == "tilflyttere":
            r[h.index("ikke_vestlig_oprindelse")] = "0"
    first = next(i for i, r in enumerate(rows) if r[h.index("aar")] == "2009" and r[h.index("gruppe")] == "tilflyttere")
    rows[first][h.index("ikke_vestlig_oprindelse")] = "2"
    write_rows(path, rows)
    with pytest.raises(DisclosureError, match=r"^register.serie.tilflyttere.ikke_vestlig.(med|uden).2009: tælleren er 2"):
        pipeline.results(Project.find(copy_project))


def test_a_build_elsewhere_under_another_locale_and_time_zone_is_byte_identical(tmp_path, short_built):
    """The session's short booklet, built here (its statistics and chart read from the session
    build's cache), against a build of it from nothing in a folder named with spaces and æøå,
    under LC_ALL=POSIX (no UTF-8 in the locale at all) and a time zone 12 h 45 min from UTC:
    every output byte is the same (every figure is computed, and every text, table and chart of
    the booklet is made as for the full one: the short one lays out a third of the pages)."""
    import shutil

    other = tmp_path / "mappe med æøå og mellemrum" / "Hæfte 2"
    shutil.copytree(short_built.root, other, ignore=shutil.ignore_patterns("_output"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE", "TZ")}
    env.update(LC_ALL="POSIX", TZ="CHAST-12:45")  # a POSIX TZ: UTC+12:45, no tzdata needed
    result = subprocess.run([sys.executable, "-m", "hæfte", "build"], cwd=other, env=env, capture_output=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    made = result.stdout.decode("utf-8")  # made here, not copied
    assert "data og statistik (275 tal)" in made and "figurer (1 af 1 tegnet)" in made and "PDF (WeasyPrint)" in made
    a, b = digest(short_built.output_dir), digest(other / "_output")
    del a["aendringer.md"]  # the change report of the 'hæfte lock' before the short booklet's build
    assert a == b
    assert {"haefte.md", "haefte.pdf", "figurkatalog.pdf", "web/index.html", "web/figurer/socialmix.svg"} <= set(a)


def test_source_date_epoch_dates_the_pdf_and_nothing_else_does(built, tmp_path, monkeypatch):
    from pypdf import PdfReader
    from weasyprint import HTML

    from hæfte.errors import ProjectError
    from hæfte.write import pdf

    # the session builds under SOURCE_DATE_EPOCH=1700000000 (tests/conftest.py)
    meta = PdfReader(str(built.output_dir / "haefte.pdf")).metadata
    assert meta["/CreationDate"].startswith("D:20231114") and meta["/ModDate"].startswith("D:20231114")
    page = tmp_path / "side.html"
    page.write_text("<p>78 pct.</p>", encoding="utf-8")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    pdf._write(HTML(filename=str(page)).render(), page, tmp_path / "uden.pdf", None)
    meta = PdfReader(str(tmp_path / "uden.pdf")).metadata
    assert "/CreationDate" not in meta and "/ModDate" not in meta  # no clock time: builds stay identical
    for wrong in ("i går", "-1", "99999999999999"):  # no number, before 1970, a year no calendar holds
        monkeypatch.setenv("SOURCE_DATE_EPOCH", wrong)
        with pytest.raises(ProjectError) as info:
            pdf.source_date()
        assert str(info.value) == ("SOURCE_DATE_EPOCH skal være et helt antal sekunder siden 1. januar 1970 (UTC), "
                                   f"ikke '{wrong}'")
