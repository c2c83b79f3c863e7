"""Every section and sentence visible: hiding by markup or CSS is found in the PDF's layout, in the
PDF file's text and in the web page's styles. Small documents, laid out by WeasyPrint in-process."""

from __future__ import annotations

from pathlib import Path

import pytest

from hæfte import visibility

BODY = """<h1 id="resultater">Resultater af evalueringen</h1>
<p>Blandt de adspurgte kommuner har <span class="tal">78 pct.</span> brugt kommunal anvisning.</p>
<p>Læs mere <a class="krydsref" href="#brug"><span class="kun-print">på side </span><span class="kun-web">i afsnittet »Brug«</span></a>.</p>
<h1 id="brug">Brug</h1>
<p>Boligorganisationerne har brugt fleksibel udlejning.</p>
<details class="figurdata"><summary>Tallene</summary><table><tr><td>78</td></tr></table></details>
"""
PRINT_CSS = """@page { size: 170mm 240mm; margin: 20mm; @bottom-center { content: counter(page); } }
h1 { break-before: page; } .kun-web, details.figurdata { display: none; }
a.krydsref::after { content: target-counter(attr(href url), page); }"""
SENTENCE = "teksten »Blandt de adspurgte kommuner har 78 pct. brugt kommunal anvisning.« med »78 pct.« " \
           "(afsnittet »Resultater af evalueringen«)"


def print_problems(css: str = "", body: str = BODY) -> list[str]:
    from weasyprint import CSS, HTML

    html = f'<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"></head><body>{body}</body></html>'
    document = HTML(string=html).render(stylesheets=[CSS(string=PRINT_CSS + css)])
    problems, _ = visibility.check_print(document)
    return problems


def test_the_booklet_as_laid_out_has_nothing_hidden():
    assert print_problems() == []


@pytest.mark.parametrize("css,why", [
    (".tal { color: #fff; }", "skriftfarven er næsten som baggrunden (kontrast 1.00:1)"),
    (".tal { color: #fdfdfd; }", "skriftfarven er næsten som baggrunden (kontrast 1.02:1)"),
    ("p { background: #1b4f72; color: #1b4f73; }", "skriftfarven er næsten som baggrunden (kontrast 1.00:1)"),
    (".tal { visibility: hidden; }", "visibility: hidden"),
    (".tal { opacity: 0.1; }", "gennemsigtig (opacity 0.10)"),
    (".tal { color: rgba(0, 0, 0, 0.1); }", "gennemsigtig skriftfarve"),
    (".tal { font-size: 3pt; }", "skriften er under 5 pt (3.0 pt)"),
    ("p { position: absolute; left: -300mm; }", "uden for siden"),
    ("p { text-indent: -500mm; }", "uden for siden"),
    (".tal { display: inline-block; transform: scale(0.1); }", "skaleret væk (transform)"),
    ("p { height: 0.5em; overflow: hidden; line-height: 3; }", "skjult af en boks, der skærer indholdet af (overflow)"),
], ids=["hvid", "naesten-hvid", "farve-som-baggrund", "visibility", "opacity", "alpha", "lille-skrift",
        "uden-for-siden", "text-indent", "transform", "overflow"])
def test_css_that_hides_a_figure_is_found_in_the_layout(css, why):
    assert print_problems(css)[0] == f"haefte.pdf: {SENTENCE} ses ikke: {why}"


def test_a_figure_removed_by_display_none_is_missing():
    assert print_problems(".tal { display: none; }") == [
        f"haefte.pdf: {SENTENCE} ses ikke: teksten mangler (display: none, en skjult side eller skåret af)"]


def test_a_hidden_attribute_and_a_hidden_section_are_missing():
    body = BODY.replace("<h1 id=\"brug\">", "<h1 id=\"brug\" hidden>")
    assert print_problems(body=body) == [
        "haefte.pdf: overskriften »Brug« ses ikke: teksten mangler (display: none, en skjult side eller skåret af)"]


def test_a_pdf_cut_off_after_its_first_page_misses_the_rest():
    problems = print_problems("html { height: 150mm; overflow: hidden; } h1 { break-before: auto; } "
                              "p { margin-bottom: 200mm; }")
    missing = "ses ikke: teksten mangler (display: none, en skjult side eller skåret af)"
    assert problems == [
        f"haefte.pdf: teksten »Læs mere på side« (afsnittet »Resultater af evalueringen«) {missing}",
        f"haefte.pdf: overskriften »Brug« {missing}",
        f"haefte.pdf: teksten »Boligorganisationerne har brugt fleksibel udlejning.« (afsnittet »Brug«) {missing}"]


def test_a_booklet_piled_onto_one_page_is_not_readable():
    problems = print_problems("body > * { position: absolute; top: 0; }")
    assert len(problems) == 5 and problems[1] == f"haefte.pdf: {SENTENCE} ses ikke: står oven i anden tekst"


def test_a_short_heading_is_not_found_in_a_longer_word():
    # "Brug" hidden; the word "brugt" further on must not count as the heading
    assert print_problems("h1#brug { visibility: hidden; }") == [
        "haefte.pdf: overskriften »Brug« ses ikke: visibility: hidden"]


def test_white_text_on_a_dark_page_is_visible():
    assert print_problems("@page { background: #1b4f72; } html, a { color: #fff; }") == []


def test_the_pdf_files_text_holds_every_block_across_page_breaks():
    from weasyprint import CSS, HTML

    long = "<p>" + " ".join(f"ord{i}" for i in range(900)) + " slutter med <span class=\"tal\">78 pct.</span></p>"
    html = f'<html lang="da"><body><h1>Langt afsnit</h1>{long}</body></html>'
    document = HTML(string=html).render(stylesheets=[CSS(string=PRINT_CSS)])
    problems, seen = visibility.check_print(document)
    assert problems == [] and seen.pages == 4 and seen.margins == [["1"], ["2"], ["3"], ["4"]]
    from hæfte.checker import extract_text

    pages = extract_text(document.write_pdf())  # as 'hæfte check' reads the PDF file
    assert visibility.check_pdf_text(pages, html, seen.margins) == []
    assert visibility.check_pdf_text(pages[:1], html, seen.margins[:1]) == [
        "haefte.pdf: teksten »ord0 ord1 ord2 ord3 ord4 ord5 ord6 ord7 ord8 ord9 ord10 ord11 ord12 ord13 ord14…« med »78 pct.« (afsnittet »Langt afsnit«) findes ikke i PDF-filens tekst"]


# --- the web page -------------------------------------------------------------------------------

def web_problems(tmp_path: Path, css: str = "", main: str = BODY) -> list[str]:
    styles = tmp_path / "styles"
    styles.mkdir(exist_ok=True)
    (styles / "web.css").write_text(".kun-print { display: none; }\n" + css, encoding="utf-8")
    web = tmp_path / "web"
    (web / "assets").mkdir(parents=True, exist_ok=True)
    (web / "assets" / "web.css").write_text((styles / "web.css").read_text(encoding="utf-8"), encoding="utf-8")
    page = web / "index.html"
    page.write_text('<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">'
                    '<link rel="stylesheet" href="assets/web.css"></head><body>'
                    '<a class="spring" href="#indhold" style="position:absolute;left:-999px">Spring over</a>'
                    f'<main id="indhold">{main}</main></body></html>', encoding="utf-8")
    return visibility.check_web(page, styles)


def test_the_web_page_has_nothing_hidden(tmp_path):
    assert web_problems(tmp_path) == []


@pytest.mark.parametrize("css,why", [
    (".tal { display: none; }", "display: none"),
    (".tal { color: #ffffff; }", "skriftfarven er næsten som baggrunden (kontrast 1.00:1)"),
    ("p span { opacity: 0; }", "gennemsigtig (opacity 0.00)"),
    ("p { position: absolute; left: -9999px; }", "flyttet ud af skærmen (left: -9999px)"),
    ("p { text-indent: -9999px; }", "flyttet ud af skærmen (text-indent)"),
    ("p { height: 0; overflow: hidden; }", "skjult af overflow med height: 0px"),
    ("p { font-size: 0; }", "skriften er under 5 pt (0.0 pt)"),
], ids=["display-none", "hvid", "opacity", "left", "text-indent", "hoejde-0", "font-size-0"])
def test_css_that_hides_a_figure_on_the_web_is_found(tmp_path, css, why):
    assert web_problems(tmp_path, css)[0] == f"web/index.html: {SENTENCE} ses ikke: {why}"


def test_text_in_a_closed_details_is_refused_on_the_web(tmp_path):
    main = BODY.replace("<p>Boligorganisationerne", "<details><summary>Mere</summary><p>Boligorganisationerne") \
        .replace("udlejning.</p>", "udlejning.</p></details>")
    assert web_problems(tmp_path, main=main) == [
        "web/index.html: teksten »Boligorganisationerne har brugt fleksibel udlejning.« står i en lukket <details>, "
        "som en browser ikke viser (kun figurernes datatabeller må stå dér)"]


def test_css_a_browser_hides_with_but_weasyprint_ignores_is_refused(tmp_path):
    assert web_problems(tmp_path, "p {\n  clip-path: inset(50%);\n}") == [
        "styles/web.css, linje 3: 'clip-path' kan skjule tekst i en browser, og hæfte kan ikke kontrollere det; "
        "brug det ikke i webversionens stilark"]


def test_an_inline_style_in_the_page_is_checked_too(tmp_path):
    main = BODY.replace('<span class="tal">', '<span class="tal" style="color: white">')
    assert web_problems(tmp_path, main=main) == [
        f"web/index.html: {SENTENCE} ses ikke: skriftfarven er næsten som baggrunden (kontrast 1.00:1)"]
