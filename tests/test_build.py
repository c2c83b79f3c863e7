"""The whole chain: web version and print PDF from one command."""

import functools
import re
import sys

from pypdf import PdfReader

from helpers import offline, run_cli


# The session's build is never changed (conftest.py), so each PDF is read, and each page's text
# extracted (what costs: some tenths of a second a page), once for all the tests of this file.
@functools.cache
def reader(path) -> PdfReader:
    return PdfReader(path)


@functools.cache
def page_text(path, index: int) -> str:
    return reader(path).pages[index].extract_text()


def texts(path):
    """The text of each page, extracted as the pages are read (a search stops at its page)."""
    return (page_text(path, i) for i in range(len(reader(path).pages)))


def test_outputs_exist(built):
    out = built.output_dir
    for rel in ("haefte.pdf", "figurkatalog.pdf", "haefte.md", "web/index.html",
                "web/haefte.pdf", "web/katalog.html", "web/assets/web.css",
                "web/assets/fonts/source-serif-4-latin-400-normal.woff2", "web/figurer/figur1.svg",
                "web/figurer/socialmix.svg", "web/figurer/figur2.svg"):
        assert (out / rel).is_file(), rel
    assert not list(out.glob(".bygger-*")), "the staging folder is cleaned up"


def test_web_version(built):
    page = (built.output_dir / "web/index.html").read_text(encoding="utf-8")
    assert '<html lang="da">' in page
    assert '<a class="spring" href="#indhold">Spring til indholdet</a>' in page
    assert '<nav class="toc" id="toc" aria-label="Indholdsfortegnelse">' in page
    assert re.search(r'<a href="#brug"[^>]*>Brug af udlejningsredskaber</a>', page)
    assert '<a class="top-pdf" href="haefte.pdf" type="application/pdf">Hent hæftet <span class="filinfo">(PDF' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert page.count('<figure class="figur') == 3  # Figur 1, Figur 2 and the unnumbered social-mix chart
    assert page.count('<table class="figurtabel">') == 3
    assert '<desc id="figur1-bred-beskrivelse">Vandret søjlediagram over andelen af kommunerne' in page
    assert "78\u00a0pct." in page


def test_pdf_page_references_point_at_the_section_starts(built_pages):
    pages = built_pages
    start = next(i for i, p in enumerate(pages) if "Resultater af evalueringen\nHer følger" in p)
    results_pages = pages[start] + pages[start + 1]  # the chapter runs over two pages
    refs = [int(n) for n in re.findall(r"Resultaterne uddybes på side (\d+)", results_pages)]
    assert len(refs) == 3
    headings = ["Brug af udlejningsredskaber", "Udlejningsredskaber og socialt mix", "Holdninger til udlejningsredskaber"]
    assert refs == sorted(refs) and refs[0] > 3
    for number, heading in zip(refs, headings):
        # the heading is the first text of its page; the page before belongs to another section
        assert pages[number - 1].startswith(heading), (number, heading)
        assert not pages[number - 2].startswith(heading), (number, heading)


def pdf_fonts(path) -> set[str]:
    names = set()
    for page in reader(path).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_pdf_fonts_are_the_vendored_ones(built):
    names = pdf_fonts(built.output_dir / "haefte.pdf")
    assert names and all(n.startswith(("Source-Sans-3", "Source-Serif-4")) for n in names), names


def test_pdf_has_cover_page_numbers_and_running_heads(built_pages):
    pages = built_pages
    assert "Evaluering af brugen af anvisnings- og udlejningsredskaber" in " ".join(pages[0].split())
    assert not re.search(r"^\d+$", pages[0], re.M), "no page number on the cover"
    # the page after a chapter opening: running head (beside the draft mark), page number
    assert pages[4].splitlines()[-2:] == ["UDKAST – IKKE TIL TRYK Resultater af evalueringen", "5"]
    text = "\n".join(pages)
    assert "78 pct." in text.replace("\u00a0", " ")
    # Danish hyphenation breaks long words at the line end (rules: tests/test_layout.py)
    assert re.search(r"[a-zæøå]{3,}-\n[a-zæøå]{3,}", text)


def test_figure_catalogue_page_gives_provenance(built, results):
    # the web page adds roles, column names (cards on phones) and break points (<wbr>) to the cells
    page = (built.output_dir / "web/katalog.html").read_text(encoding="utf-8").replace("<wbr>", "")
    page = re.sub(r' (?:role|data-label)="[^"]*"', "", page)
    row = re.search(r'<tr id="kommuner\.ka\.perioden">(.*?)</tr>', page, re.S).group(1)
    assert "<td>78\u00a0pct.</td>" in row
    assert "andel kommuner, der anvendte kommunal anvisning i perioden 2006–2010" in row
    assert "<td>36 af 46</td>" in row and "data/survey/kommuner.csv" in row
    assert "<code>sha256:" in row and "02_resultater.md.j2:16" in row
    assert page.count("<tr id=") == len(results.figures)
    assert 'id="kommuner.ku.pt"' in page and "citeres ikke" in page  # unquoted figures are listed too
    index = (built.output_dir / "web/index.html").read_text(encoding="utf-8")
    assert ('<span class="tal-tekst">78\u00a0pct.</span><a class="tal-kilde" href="katalog.html#kommuner.ka.perioden">'
            '78\u00a0pct.<span class="skjult">, kilde: ') in index


def test_the_offline_harness_sees_and_stops_a_connection(tmp_path):
    probe = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=2)"
    result, log = offline(tmp_path, [sys.executable, "-c", probe], tmp_path)
    assert result.returncode == 1 and "socket.connect" in log and "('192.0.2.1', 80)" in log
    result, log = offline(tmp_path, [sys.executable, "-c", "import urllib.request as u; u.urlopen('file:///dev/null'); "
                                      "u.urlopen('http://192.0.2.1/', timeout=2)"], tmp_path)
    assert "urllib.Request ('http://192.0.2.1/'" in log and "file:///dev/null" not in log
    assert "OSError: [Errno 101] Network is unreachable" in result.stderr
    # a program that is not Python (as pandoc) has no network either, and no hook to log it
    result, log = offline(tmp_path, ["bash", "-c", "echo > /dev/tcp/192.0.2.1/80"], tmp_path)
    assert result.returncode == 1 and "Network is unreachable" in result.stderr and log == ""


def test_the_build_command_reports_its_steps_and_uses_no_network(built, build_record):
    """The session's build (tests/conftest.py) is a whole build from nothing (no outputs, no
    cache) on the command line: it says what it did step by step, and neither it, its worker
    nor pandoc touched the network."""
    assert build_record["returncode"] == 0, build_record["stderr"]
    assert build_record["netlog"] == ""
    lines = build_record["stdout"].splitlines()
    assert lines[0] == f"Bygger hæftet i {built.root}"
    steps = [re.sub(r"\s+\d+\.\d\d s$", "", line.strip()) for line in lines[1:-3]]
    assert steps == ["data og statistik (275 tal)", "tekstskabeloner (16 afsnit)", "figurer (3 af 3 tegnet)",
                     "webversion (pandoc)", "PDF (WeasyPrint)",
                     "figurkatalog-PDF (WeasyPrint, parallelt)",  # the worker did its part offline
                     "webversionens tekst er synlig (parallelt)"]
    assert re.fullmatch(r"Færdig på \d+\.\d s:", lines[-3])
    assert lines[-2:] == ["  pdf  _output/haefte.pdf", "  web  _output/web/index.html"]
    assert build_record["stderr"] == ""
    output = built.output_dir
    assert (output / "haefte.pdf").read_bytes().startswith(b"%PDF-1.")
    # Offline, a font or image fetched from elsewhere would be replaced silently: the PDFs have
    # their pages, their text and only the vendored fonts.
    for name, text in (("haefte.pdf", "Blandt de adspurgte kommuner med boligområder"),  # the text is read anew:
                       ("figurkatalog.pdf", "kommuner.ka.perioden")):  # a test of the file, not of the cache
        pages = (" ".join(extracted.split()) for extracted in texts(output / name))
        assert any(text in page for page in pages), name  # read page by page until it is found
        fonts = pdf_fonts(output / name)
        assert fonts and all(n.startswith(("Source-Sans-3", "Source-Serif-4")) for n in fonts), (name, fonts)
    assert len(reader(output / "haefte.pdf").pages) >= 20


def test_the_build_leaves_nothing_in_the_temporary_folder(build_record):
    """The fonts matplotlib and WeasyPrint read from disk live in a folder of each process that
    is removed when it ends (hæfte.scratch), also in the worker, which ends with os._exit: each
    build used to leave two folders of fonts behind (about 0.5 MB)."""
    assert build_record["returncode"] == 0, build_record["stderr"]
    assert build_record["left_in_tmp"] == []
