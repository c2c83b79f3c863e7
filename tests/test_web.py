"""The web page's making (write/web.py, write/svg.py): quoted numbers with their sources, charts
inline, the table of contents, card tables, publication metadata and citation from
publikation.yaml, lean assets. In-process on small inputs, and on the shared built booklet."""

import html
import json
import re
from datetime import date

import pytest

from hæfte import format as fmt
from hæfte.contract import Publication
from hæfte.write import svg, web

COMPLETE = {
    "serie": "SFI-hæfter", "titel": "Evaluering af brugen af anvisnings- og udlejningsredskaber",
    "undertitel": "som led i Landsbyggefondens 2006-10-midler", "forfattere": ["Anna Andersen", "Bo Berg"],
    "aar": 2015, "udgivelsesdato": date(2015, 3, 12), "udgiver": "SFI – Det Nationale Forskningscenter for Velfærd",
    "isbn": "978-87-7119-283-4", "eisbn": "978-87-7119-284-1",
    "rapport": {"titel": "Anvisning og udlejning", "forfattere": ["Anna Andersen"], "aar": 2014,
                "isbn": "978-87-7119-200-1", "url": "https://www.sfi.dk/rapport"},
    "layout": "Bo Berg", "tryk": "Trykkeriet", "url": "https://www.sfi.dk/haefte/",
    "tilgaengelighedserklaering": "https://www.was.digst.dk/sfi-dk", "beskrivelse": "Kort beskrivelse.",
    "udgave": "1. udgave", "datagrundlag": "survey- og registerdata", "sprog": "da",
}


@pytest.fixture(scope="module")
def page(built):
    return (built.output_dir / "web" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def draft(built):
    from hæfte.load import read_facts

    return Publication.model_validate(read_facts(built, "publikation"))


def test_quoted_number_is_text_while_reading_and_a_named_link_with_sources_on():
    body = '<p>har <a href="katalog.html#kommuner.ka.perioden" class="tal">78 pct.</a> brugt</p>'
    out = web.provenance(body, {"kommuner.ka.perioden": "andel kommuner, der anvendte kommunal anvisning"})
    assert out == ('<p>har <span class="tal"><span class="tal-tekst">78 pct.</span><a class="tal-kilde" '
                   'href="katalog.html#kommuner.ka.perioden">78 pct.<span class="skjult">, kilde: andel kommuner, '
                   'der anvendte kommunal anvisning</span></a></span> brugt</p>')
    reading = web.reading_text("<main>" + out + '<svg><text>2007</text></svg></main><footer>ISBN 978</footer>')
    assert reading.split() == ["har", "78", "pct.", "brugt"]


def test_catalogue_rows_become_labelled_cards():
    table = ('<table class="katalog"><thead><tr><th scope="col">Id</th><th scope="col">Vises som</th></tr></thead>'
             '<tbody><tr id="a.b"><th scope="row"><code>a.b</code></th><td>78 pct.</td></tr></tbody></table>')
    assert web.card_tables(table) == (
        '<table class="katalog kort" role="table"><thead role="rowgroup"><tr role="row"><th scope="col" '
        'role="columnheader">Id</th><th scope="col" role="columnheader">Vises som</th></tr></thead>'
        '<tbody role="rowgroup"><tr role="row" id="a.b"><th scope="row" role="rowheader" data-label="Id"><code>a.<wbr>b</code>'
        '</th><td role="cell" data-label="Vises som">78 pct.</td></tr></tbody></table>')


def test_a_table_in_the_text_scrolls_in_a_region_named_by_its_caption():
    number = ('<span class="tal"><span class="tal-tekst">90 pct.</span><a class="tal-kilde" href="katalog.html#k">'
              '90 pct.<span class="skjult">, kilde: k</span></a></span>')
    body = (f"<p>a</p><table><caption>Forskel med {number}-interval</caption><tr><td>1</td></tr></table>"
            "<table><tr><td>2</td></tr></table>")
    assert web.scroll_tables(body) == (
        '<p>a</p><div class="tabel-rulle" role="region" tabindex="0" aria-labelledby="tabel-1">'
        f'<table><caption id="tabel-1">Forskel med {number}-interval</caption><tr><td>1</td></tr></table></div>'
        '<div class="tabel-rulle" role="region" tabindex="0" aria-label="Tabel"><table><tr><td>2</td></tr></table></div>')


def test_a_pipe_tables_first_column_names_its_rows(project):
    """The method note's table of estimates is a pipe table: its first cells become row headers
    and its head's cells column headers, in print and on the web (both come from pandoc_html)."""
    from hæfte.write.pandoc import pandoc_html

    page = pandoc_html("| Forhold | Forskel |\n|---|---:|\n| Andel i beskæftigelse | −0,1 |\n\n: Tabel\n",
                       project.styles_dir / "print.html", "T", toc=False)
    assert '<th scope="col">Forhold</th>' in page and '<th scope="col" class="justering-right">Forskel</th>' in page
    assert re.search(r'<tr>\s*<th scope="row">Andel i beskæftigelse</th>\s*<td class="justering-right">−0,1</td>', page)


def test_table_of_contents_has_chapters_and_sections():
    body = ('<h1 class="forside unnumbered unlisted" id="forside">Titel</h1><h1 id="om">Om hæftet</h1>'
            '<h2 id="brug">Brug &amp; mix</h2><h3 id="x">Ikke med</h3><h1 id="slut">Slut</h1>')
    assert web.table_of_contents(body) == (
        '<nav class="toc" id="toc" aria-label="Indholdsfortegnelse"><details class="toc-fold"><summary>Indhold</summary>'
        '<ol><li><a href="#om">Om hæftet</a><ol><li><a href="#brug">Brug &amp; mix</a></li></ol></li>'
        '<li><a href="#slut">Slut</a></li></ol></details></nav>')


def test_inline_svg_is_csp_safe_small_and_named(project, results):
    from hæfte import charts

    drawing = charts.draw("figur2", results, project.styles_dir / "fonts")
    out = svg.inline_svg(drawing.narrow, "figur2-smal", "Figur 3. Vurderinger.", "Søjlediagram & mere", "diagram-smal")
    assert out.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="diagram-smal" viewBox="0 0 230.4 302.4" '
                          'width="230.4" height="302.4" role="img" aria-labelledby="figur2-smal-titel" '
                          'aria-describedby="figur2-smal-beskrivelse"')
    assert ('<title id="figur2-smal-titel">Figur 3. Vurderinger.</title>'
            '<desc id="figur2-smal-beskrivelse">Søjlediagram &amp; mere</desc>') in out
    assert "style" not in out and "<metadata" not in out and "font-family" not in out  # a strict CSP blocks style=""
    ids = re.findall(r'\bid="([^"]+)"', out)
    assert ids and all(i.startswith("figur2-smal-") for i in ids) and len(ids) == len(set(ids))
    references = set(re.findall(r'(?:href="#|url\(#)([^")]+)', out))
    assert references <= set(ids)
    assert ">Kommuner</text>" in out and ">I nogen grad</text>" in out
    assert len(out.encode()) < len(drawing.narrow) / 2


def test_built_page_has_citation_metadata_and_draft_banner(page, draft):
    assert f'<meta name="description" content="{html.escape(draft.beskrivelse)}">' in page
    assert f'<meta name="citation_title" content="{draft.titel} {draft.undertitel}">' in page
    assert '<meta name="citation_language" content="da">' in page
    assert '<meta name="citation_pdf_url" content="haefte.pdf">' in page
    assert "citation_author" not in page and "citation_isbn" not in page  # unknown: left out
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data == {"@context": "https://schema.org", "@type": "Book", "name": draft.titel,
                    "alternativeHeadline": draft.undertitel, "inLanguage": "da", "description": draft.beskrivelse,
                    "publisher": {"@type": "Organization", "name": draft.udgiver},
                    "encoding": {"@type": "MediaObject", "encodingFormat": "application/pdf", "contentUrl": "haefte.pdf"}}
    assert draft.draft
    assert (f"<strong>UDKAST</strong> – ikke en udgivet version. Ukendt i publikation.yaml: "
            f"{fmt.words(draft.missing())}.") in page
    assert "None" not in page and "null" not in page
    assert '<span class="ukendt">Tilgængelighedserklæring: adressen mangler (udkast)</span>' in page


def test_every_quoted_number_is_where_the_sources_switch_reaches(page, built):
    # web.css turns the numbers into links for '.sidehoved:has(#vis-kilder:checked) ~ .ramme':
    # a number outside the frame after the header would not follow the switch
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(page)
    numbers = tree.css(".tal-tekst, .tal-kilde")
    assert len(numbers) == 2 * len(tree.css(".tal-tekst")) > 100
    assert tree.css_first("body > header.sidehoved #vis-kilder") is not None
    assert len(tree.css("body > header.sidehoved ~ div.ramme .tal-tekst, "
                        "body > header.sidehoved ~ div.ramme .tal-kilde")) == len(numbers)
    assert ".sidehoved:has(#vis-kilder:checked) ~ .ramme .tal-kilde" in (built.styles_dir / "web.css").read_text(
        encoding="utf-8")


def test_built_page_links_the_one_pdf_with_format_and_size(page, built):
    size = fmt.file_size((built.output_dir / "web" / "haefte.pdf").stat().st_size)
    link = ('<a class="top-pdf" href="haefte.pdf" type="application/pdf">Hent hæftet <span class="filinfo">'
            f'(PDF<span class="filstoerrelse" data-fil="haefte.pdf">, {size}</span>)</span></a>')
    assert link in page
    assert "haefte-tilgaengelig.pdf" not in page
    assert re.findall(r'href="([^"#]+\.pdf)"', page) == ["haefte.pdf", "haefte.pdf"]  # header and footer


def test_built_page_is_lean_and_stable(page, built):
    assets = built.output_dir / "web" / "assets"
    css = (assets / "web.css").read_text(encoding="utf-8")
    assert not re.search(r"@import\s+(url|\"|')", css)
    faces = re.findall(r"@font-face\s*\{[^}]*\}", css)
    assert faces and all("font-display: swap" in f for f in faces)
    assert "<img" not in page  # the charts are inline: no image to shift the layout
    from hæfte.drawing import WEB_BREAKPOINT_PX

    assert f"@container (max-width: {WEB_BREAKPOINT_PX - 0.02}px)" in css  # the narrow drawing below it
    assert all(re.search(r'width="[\d.]+" height="[\d.]+"', s) for s in re.findall(r"<svg [^>]*>", page))
    assert re.findall(r'<link rel="preload" href="assets/fonts/([^"]+)" as="font" type="font/woff2" crossorigin>', page) == \
        list(web.FONTS_PRELOADED)
    assert " style=" not in page and "<style" not in page and "onclick" not in page
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="assets/web.js" defer>',
                                                    '<script type="application/ld+json">']
    for chart_id in ("figur1", "figur2", "socialmix"):
        assert f'<a href="figurer/{chart_id}.csv" type="text/csv" download>' in page
        assert (built.output_dir / "web" / "figurer" / f"{chart_id}.csv").read_text(encoding="utf-8").startswith("\ufeff")


def test_complete_publication_gives_citation_and_no_draft():
    pub = Publication.model_validate(COMPLETE)
    assert not pub.draft and web.draft_banner(pub) == ""
    assert web.citation(pub) == (
        "Anna Andersen og Bo Berg (2015): <cite>Evaluering af brugen af anvisnings- og udlejningsredskaber som led i "
        "Landsbyggefondens 2006-10-midler</cite>. SFI – Det Nationale Forskningscenter for Velfærd. "
        "e-ISBN 978-87-7119-284-1. https://www.sfi.dk/haefte/")
    assert web.byline(pub) == ('<p class="byline">Af Anna Andersen og Bo Berg · Udgivet 12. marts 2015 · '
                               "SFI – Det Nationale Forskningscenter for Velfærd</p>")
    meta = web.citation_metadata(pub)
    assert re.findall(r'<meta name="(citation_\w+)" content="([^"]*)">', meta) == [
        ("citation_title", "Evaluering af brugen af anvisnings- og udlejningsredskaber som led i Landsbyggefondens "
                           "2006-10-midler"),
        ("citation_publisher", "SFI – Det Nationale Forskningscenter for Velfærd"), ("citation_language", "da"),
        ("citation_author", "Anna Andersen"), ("citation_author", "Bo Berg"),
        ("citation_publication_date", "2015/03/12"), ("citation_isbn", "978-87-7119-283-4"),
        ("citation_isbn", "978-87-7119-284-1"), ("citation_series_title", "SFI-hæfter"),
        ("citation_pdf_url", "https://www.sfi.dk/haefte/haefte.pdf")]
    data = json.loads(re.search(r">(\{.*\})</script>", meta).group(1))
    assert data["author"] == [{"@type": "Person", "name": "Anna Andersen"}, {"@type": "Person", "name": "Bo Berg"}]
    assert data["datePublished"] == "2015-03-12" and data["url"] == "https://www.sfi.dk/haefte/"
    assert data["workExample"] == [
        {"@type": "Book", "bookFormat": "https://schema.org/Paperback", "isbn": "978-87-7119-283-4"},
        {"@type": "Book", "bookFormat": "https://schema.org/EBook", "isbn": "978-87-7119-284-1"}]
    footer = web.publication_footer(pub)
    assert '<a href="https://www.was.digst.dk/sfi-dk">Tilgængelighedserklæring for webversionen</a>' in footer
    assert ('<dt>Bygger på</dt><dd><a href="https://www.sfi.dk/rapport">Anvisning og udlejning (2014)</a>, '
            "ISBN 978-87-7119-200-1</dd>") in footer
    assert "ukendt" not in footer


def test_json_ld_cannot_close_its_script_block():
    pub = Publication.model_validate({**COMPLETE, "beskrivelse": "Slut </script><script>alert(1)</script>"})
    meta = web.citation_metadata(pub)
    assert meta.count("</script>") == 1 and "\\u003c/script>" in meta
