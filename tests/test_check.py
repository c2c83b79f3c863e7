"""The figure lock: CI fails when a quoted figure drifts; accepting change is explicit."""

import json
from pathlib import Path

import pytest

from hæfte import lock
from helpers import run_cli, run_main

ROOT = Path(__file__).resolve().parents[1]


# lock.compare and the other comparisons in process: tests/test_lock.py


def test_the_committed_booklet_matches_its_lock(built):
    # the session's build of this repository's data, templates and lock (check reuses its outputs)
    result = run_cli("check", cwd=built.root)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1].startswith("OK: ")
    # totals and parts shown together that differ by rounding are listed, not errors
    assert "afrunding: kommuner.vurdering.samlet.positiv 56 pct. ≠ 13 pct. + 42 pct. = 55 pct. (note under figur 2)" in lines


def test_lock_records_quoted_figures_with_base_data_hash_and_sentence(project, results):
    from hæfte import lock
    from hæfte.builder import render_markdown

    snap = lock.snapshot(project, results, render_markdown(project, results))  # what the code records now
    committed = json.loads((project.root / "figurer.lock.json").read_text(encoding="utf-8"))
    assert snap["figures"]["kommuner.ka.perioden"] == committed["figures"]["kommuner.ka.perioden"]
    ka = snap["figures"]["kommuner.ka.perioden"]
    assert (ka["display"], ka["numerator"], ka["base"]) == ("78\u00a0pct.", 36, 46)
    assert ka["data"].startswith("sha256:")
    assert ka["templates"] == ["02_resultater.md.j2:16"]
    assert ka["sentences"][0].startswith("Blandt de adspurgte kommuner med boligområder")
    assert all(c["holds"] for c in snap["claims"]) and len(snap["claims"]) >= 4


# Drift of figures and of rule-chosen words, and the lock that accepts it: tests/test_new_data.py


def test_hidden_text_a_typed_number_and_a_false_claim_fail_the_check(short_copy):
    """One project with the faults a check exists for, checked on one layout (of the short
    booklet: what is looked for is the same in every section): text the styles hide (the build
    refuses it and keeps the last good outputs), a number typed into a template, and a declared
    claim the data no longer bear out. (The check's parts alone: the tests below.)"""
    full_copy = short_copy
    with open(full_copy / "styles/print.css", "a", encoding="utf-8") as css:
        css.write("\nspan.tal { color: #ffffff; }\n")
    with open(full_copy / "styles/web.css", "a", encoding="utf-8") as css:
        css.write("\nspan.tal-tekst { display: none; }\n")  # the numbers as read (the linked twins are off)
    path = full_copy / "templates/01_om_haeftet.md.j2"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Faktaboksen fortæller mere om", "Faktaboksen fortæller 987 ting om"), encoding="utf-8")
    path = full_copy / "templates/09_socialt_mix.md.j2"
    path.write_text(path.read_text(encoding="utf-8").replace(">= 0.3,", ">= 0.9,"), encoding="utf-8")
    first = ("teksten »Landsbyggefonden fordelte i årene 2006–2010 penge til boligsociale indsatser og…« med "
             "»2006–2010«, »2,2 mia. kr.« (afsnittet »Om dette hæfte«) ses ikke")
    white = "skriftfarven er næsten som baggrunden (kontrast 1.00:1)"
    published = (full_copy / "_output/haefte.pdf").read_bytes(), (full_copy / "_output/web/index.html").read_bytes()
    built = run_main("build", cwd=full_copy)
    assert (built.returncode, built.stderr) == (
        2, f"fejl: haefte.pdf: {first}: {white} (og 14 steder mere; kør 'hæfte check' for at se dem)\n")
    # nothing of the unreadable booklet is published: the last good one stays
    assert ((full_copy / "_output/haefte.pdf").read_bytes(),
            (full_copy / "_output/web/index.html").read_bytes()) == published
    result = run_main("check", cwd=full_copy)  # the refused build's layout, not laid out again
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    hidden = [line for line in lines if line.startswith("ikke synligt for læseren: ")]
    # the print's seven texts with a number (the back cover's white type is on its dark ground),
    # then the web page's eight: the fifteen places the refused build counted
    assert len(hidden) == 15
    assert hidden[0] == f"ikke synligt for læseren: haefte.pdf: {first}: {white}"
    assert [h.split(": ")[1] for h in hidden] == ["haefte.pdf"] * 7 + ["web/index.html"] * 8
    # the numbers are named as read, not with their linked twin's text
    assert hidden[7] == f"ikke synligt for læseren: web/index.html: {first}: display: none"
    assert "tal skrevet direkte i teksten: templates/01_om_haeftet.md.j2:16: udlejningsredskaber. Faktaboksen " \
           "fortæller 987 ting om undersøgelsens data." in lines
    assert "tal uden kilde i output: web/index.html: 987" in result.stdout
    assert "påstand holder ikke længere: stor forskel på afdelingernes brug" in result.stdout
    assert "(09_socialt_mix.md.j2:" in result.stdout
    assert lines[-1].startswith("FEJL: ")


def test_the_report_shows_the_first_ten_hidden_texts_of_each_output_and_counts_the_rest():
    from hæfte.checker import CheckResult, format_report

    hidden = [f"haefte.pdf: teksten »{i}« ses ikke: hvid" for i in range(12)]
    hidden += [f"web/index.html: teksten »{i}« ses ikke: display: none" for i in range(11)]
    lines = format_report(CheckResult(hidden=hidden)).splitlines()
    shown = [line.removeprefix("ikke synligt for læseren: ") for line in lines if line.startswith("ikke synligt")]
    assert shown == [*hidden[:10], "… og 2 steder mere i haefte.pdf", *hidden[12:22],
                     "… og 1 sted mere i web/index.html"]
    assert lines[-1] == "FEJL: 0 citerede tal kontrolleret; 0 beregnede tal citeres ikke"


def test_a_typed_digit_alone_or_a_hidden_text_alone_fails_the_check(tmp_path):
    from hæfte.checker import CheckResult, typed_digits

    (tmp_path / "01_a.md.j2").write_text("# Titel {#a}\n\nHer er {{ tal }} og {## 12 ##} og 3 kommuner.\n",
                                         encoding="utf-8")
    found = typed_digits(tmp_path)
    assert found == ["templates/01_a.md.j2:3: Her er  og  og 3 kommuner."]
    assert CheckResult().ok
    assert not CheckResult(typed_digits=found).ok
    assert not CheckResult(hidden=["haefte.pdf: overskriften »Brug« ses ikke: visibility: hidden"]).ok


def test_typed_digits_keep_their_line_numbers_across_jinja_that_spans_lines(tmp_path):
    from hæfte.checker import typed_digits

    (tmp_path / "01_a.md.j2").write_text(
        "# Kapitel 3 {#kap-1}\n\nDer er 3 {{ tal(\n'a.b') }} kommuner.\n{## en kommentar\nover 2 linjer ##}\n"
        "Og 4 til.\n", encoding="utf-8")
    (tmp_path / "02_b.md.j2").write_text("Ingen tal {{ x }} her {#afsnit-2}.\n", encoding="utf-8")
    assert typed_digits(tmp_path) == ["templates/01_a.md.j2:1: # Kapitel 3",
                                      "templates/01_a.md.j2:3: Der er 3",
                                      "templates/01_a.md.j2:7: Og 4 til."]


def test_the_pdf_text_is_extracted_once_per_file(tmp_path, monkeypatch):
    """'check', 'lock', 'check': the second check reads the text of the same PDF from the cache."""
    from types import SimpleNamespace

    from weasyprint import HTML

    from hæfte import checker
    from hæfte.cache import Cache
    from hæfte.checker import pdf_pages

    cache = Cache(SimpleNamespace(output_dir=tmp_path / "_output"))
    pdf = tmp_path / "haefte.pdf"
    HTML(string="<p>78 pct.</p>").write_pdf(pdf)
    assert pdf_pages(pdf, cache) == ["78 pct."]

    def no_reader(*args, **kwargs):
        raise AssertionError("extracted again")

    monkeypatch.setattr(checker, "extract_text", no_reader)
    assert pdf_pages(pdf, cache) == ["78 pct."]
    HTML(string="<p>80 pct.</p>").write_pdf(pdf)  # another file: its own text
    with pytest.raises(AssertionError, match="extracted again"):
        pdf_pages(pdf, cache)


def test_lock_reads_the_statistics_text_and_charts_the_last_build_made(cached_copy, monkeypatch):
    from hæfte import builder, charts, pipeline
    from hæfte.checker import make_lock
    from hæfte.project import Project

    def computed(*args, **kwargs):
        raise AssertionError("computed again")

    for module, name in ((pipeline, "results"), (builder, "render_markdown"), (charts, "draw")):
        monkeypatch.setattr(module, name, computed)
    path, _, _ = make_lock(Project.find(cached_copy))
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads((ROOT / "figurer.lock.json").read_text(encoding="utf-8"))


def test_a_page_number_is_excused_only_where_it_is_printed_as_one(tmp_path):
    """'17 kommuner' in a booklet of 24 pages is a number without a source, not a page number:
    page numbers are excused in the running head and folio, in page references and in the
    contents (a stray number of 1 to 24 passed the check anywhere before)."""
    from hæfte.checker import stray_numbers

    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "index.html").write_text("<main><p>78 pct.</p></main>", encoding="utf-8")
    pages = ["Indhold\nOm hæftet . . . . . . 2\nTal . . . . . . 3\n",
             "Om hæftet\nTallene står på side 3. 2 kommuner svarede, 78 pct.\nOm hæftet 2",
             "Tal\n78 pct.\nTal 3"]
    margins = [[], ["Om hæftet", "2"], ["Tal", "3"]]
    assert stray_numbers(tmp_path, ["78\u00a0pct."], pages, margins) == ["haefte.pdf side 2: 2"]
    # without the layout's margins (kept by an older build): every page number excused, as before
    assert stray_numbers(tmp_path, ["78\u00a0pct."], pages) == []
