"""The whole chain: web version and print PDF from one command."""

import re

from pypdf import PdfReader

from helpers import run_cli


def pdf_pages(project):
    return [page.extract_text() for page in PdfReader(project.output_dir / "haefte.pdf").pages]


def test_outputs_exist(built):
    out = built.output_dir
    for rel in ("haefte.pdf", "haefte-tilgaengelig.pdf", "figurkatalog.pdf", "haefte.md", "web/index.html",
                "web/haefte.pdf", "web/haefte-tilgaengelig.pdf", "web/katalog.html", "web/assets/web.css",
                "web/assets/fonts/source-serif-4-latin-400-normal.woff2", "web/figurer/figur1.svg",
                "web/figurer/socialmix.svg", "web/figurer/figur2.svg"):
        assert (out / rel).is_file(), rel
    assert not list(out.glob(".bygger-*")), "the staging folder is cleaned up"


def test_web_version(built):
    page = (built.output_dir / "web/index.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in page
    assert '<a class="spring" href="#indhold">Spring til indholdet</a>' in page
    assert '<nav id="toc" aria-label="Indholdsfortegnelse">' in page
    assert re.search(r'<a href="#brug"[^>]*>Brug af udlejningsredskaber</a>', page)
    assert '<a href="haefte-tilgaengelig.pdf" download>Hent hæftet som PDF</a>' in page
    assert '<a class="tryk" href="haefte.pdf" download>trykversion</a>' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert page.count('<figure class="figur') == 3  # Figur 1, Figur 2 and the unnumbered social-mix chart
    assert page.count('<table class="figurtabel">') == 3
    assert 'alt="Vandret søjlediagram over andelen af kommunerne' in page
    assert "78\u00a0pct." in page


def test_pdf_page_references_point_at_the_section_starts(built):
    pages = pdf_pages(built)
    results_page = next(p for p in pages if "Resultater af evalueringen\nHer følger" in p)
    refs = [int(n) for n in re.findall(r"Læs mere om disse resultater på side (\d+)", results_page)]
    assert len(refs) == 3
    headings = ["Brug af udlejningsredskaber", "Udlejningsredskaber og socialt mix", "Holdninger til udlejningsredskaber"]
    assert refs == sorted(refs) and refs[0] > 3
    for number, heading in zip(refs, headings):
        # the heading is the first text of its page; the page before belongs to another section
        assert pages[number - 1].startswith(heading), (number, heading)
        assert not pages[number - 2].startswith(heading), (number, heading)


def test_pdf_fonts_are_the_vendored_ones(built):
    reader = PdfReader(built.output_dir / "haefte.pdf")
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    assert names and all(n.startswith(("Source-Sans-3", "Source-Serif-4")) for n in names), names


def test_pdf_has_cover_page_numbers_and_running_heads(built):
    pages = pdf_pages(built)
    assert " ".join(pages[0].split()).startswith("Evaluering af brugen af anvisnings- og udlejningsredskaber")
    assert not re.search(r"^\d+$", pages[0], re.M), "no page number on the cover"
    assert pages[2].splitlines()[-2:] == ["Resultater af evalueringen", "3"]  # running head, page number
    text = "\n".join(pages)
    assert "78 pct." in text.replace("\u00a0", " ")
    # Danish hyphenation (pyphen's da_DK) breaks long words at the line end
    assert re.search(r"udlejnings-\nredskaber|udlejningsred-\nskaber", text)


def test_build_command_reports_steps_and_outputs(copy_project):
    import shutil
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "styles", copy_project / "styles", dirs_exist_ok=True)
    result = run_cli("build", cwd=copy_project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Bygger hæftet i {copy_project}"
    assert any(line.strip().startswith("PDF (WeasyPrint)") for line in lines)
    assert lines[-2:] == ["  pdf  _output/haefte.pdf", "  web  _output/web/index.html"]
    assert result.stderr == ""


def test_figure_catalogue_page_gives_provenance(built, results):
    page = (built.output_dir / "web/katalog.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="kommuner\.ka\.perioden">(.*?)</tr>', page, re.S).group(1)
    assert "<td>78\u00a0pct.</td>" in row
    assert "andel kommuner, der anvendte kommunal anvisning i perioden 2006–2010" in row
    assert "<td>36 af 46</td>" in row and "data/survey/kommuner.csv" in row
    assert "<code>sha256:" in row and "02_resultater.md.j2:16" in row
    assert page.count("<tr id=") == len(results.figures)
    assert 'id="kommuner.ku.pt"' in page and "citeres ikke" in page  # unquoted figures are listed too
    index = (built.output_dir / "web/index.html").read_text(encoding="utf-8")
    assert '<a href="katalog.html#kommuner.ka.perioden" class="tal">78\u00a0pct.</a>' in index


def test_the_build_makes_no_network_access(full_copy, monkeypatch):
    import socket

    from hæfte.build import build
    from hæfte.project import Project

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    report = build(Project.find(full_copy))
    assert (full_copy / "_output/haefte.pdf").is_file() and not report.nothing_to_do
