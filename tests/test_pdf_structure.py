"""The one published PDF as a screen reader and a printer meet it: PDF/UA-1 tags (headings,
figures with captions, tables with scopes, links, artifacts, line-break hyphens, bookmarks),
the vendored fonts, black-only body text, the draft mark, bleed with crop marks outside it."""

from decimal import Decimal

import pikepdf
import pytest
from pypdf import PdfReader

from hæfte.builder import build
from hæfte.errors import ProjectError
from hæfte.project import Project
from hæfte.write import pdf as pdfwriter
from hæfte.write.tagging import _kids, marked_texts, walk

MM = 72 / 25.4


@pytest.fixture(scope="module")
def booklet(built):
    with pikepdf.open(built.output_dir / "haefte.pdf") as document:
        yield document


def elements(document, tag):
    return [el for el in walk(document.Root.StructTreeRoot) if el.S == tag]


# (document, page) -> the page's marked texts, read once per module: every heading and span asks
# for its page's. The document is kept in the key, so no other can take its id (its address).
_MARKED: dict = {}


def text_of(document, element) -> str:
    """The text an element's marked content draws (with its kids), as a screen reader gets it."""
    page_of = {page.obj.objgen: i for i, page in enumerate(document.pages)}
    out = []

    def visit(el):
        if "/ActualText" in el:
            out.append(str(el.ActualText))
            return
        for kid in _kids(el):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                visit(kid)
            elif not isinstance(kid, pikepdf.Dictionary):
                index = page_of[el.Pg.objgen]
                key = (id(document), index)
                if key not in _MARKED:
                    _MARKED[key] = (document, marked_texts(document, document.pages[index]))
                out.append(_MARKED[key][1].get(int(kid), ""))

    visit(element)
    return "".join(out).replace("\u00ad", "")


def test_one_tagged_pdf_with_language_title_and_pdfua_identifier(built, booklet):
    assert not (built.output_dir / "haefte-tilgaengelig.pdf").exists()
    root = booklet.Root
    assert root.MarkInfo.Marked is True
    assert str(root.Lang) == "da"
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(booklet.docinfo.Title) == "Evaluering af brugen af anvisnings- og udlejningsredskaber"
    assert 'pdfuaid:part="1"' in root.Metadata.read_bytes().decode("utf-8")


def test_headings_figures_with_alt_text_and_captions_inside(booklet):
    assert len(elements(booklet, "/H1")) >= 12 and len(elements(booklet, "/H2")) >= 20
    figures = elements(booklet, "/Figure")
    assert len(figures) == 3
    # the caption opens the alternative text, which a screen reader reads instead of the caption
    assert str(figures[0].Alt).startswith("Figur 1. Andelen af kommuner med én eller flere boligafdelinger")
    assert "Procent. Vandret søjlediagram over andelen af kommunerne" in str(figures[0].Alt)
    assert str(figures[2].Alt).startswith("Figur 2. ")
    assert all(len(str(f.Alt)) > 80 for f in figures)
    starts = []
    for figure in figures:
        captions = [k for k in _kids(figure) if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Caption"]
        assert len(captions) == 1, "the caption sits inside its figure"
        starts.append(text_of(booklet, captions[0])[:9])
        x0, y0, x1, y1 = (float(v) for v in figure.A.BBox)
        page = figure.Pg
        width, height = float(page.MediaBox[2]), float(page.MediaBox[3])
        # on the page, inside the text area, image and caption together (well over 5 cm high)
        assert 20 * MM - 1 <= x0 < x1 <= width - 20 * MM + 1 and 0 < y0 < y1 <= height - 20 * MM
        assert y1 - y0 > 50 * MM
    # as in the seed: Figur 1 and 2 numbered, the social-mix panels unnumbered with their title
    assert starts == ["Figur 1. ", "Det socia", "Figur 2. "]


def test_fact_box_title_is_a_heading(booklet):
    titles = [text_of(booklet, h) for h in elements(booklet, "/H2")]
    assert "Sådan er undersøgelsen lavet" in titles


def test_one_table_per_data_table_with_caption_and_scoped_headers(booklet):
    tables = elements(booklet, "/Table")
    captions = []
    for table in tables:
        caption = [k for k in _kids(table) if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Caption"]
        assert len(caption) == 1
        captions.append(text_of(booklet, caption[0]))
    # the method note's table in the text, then the appendix: figure tables first where they fit (layout rule 5)
    assert [c[:15] for c in captions] == ["Forskel i forsk", "Figur 1. Andele", "Figur 2. Vurder", "Det sociale mix"]
    headers = elements(booklet, "/TH")
    assert len(headers) > 40
    scopes = {str(th.A.Scope) for th in headers}
    assert scopes == {"/Column", "/Row"}
    first_table = [el for el in walk(tables[1]) if el.S == "/TH"]
    assert [str(th.A.Scope) for th in first_table[:4]] == ["/Column", "/Column", "/Column", "/Row"]


def test_every_link_annotation_sits_under_a_link_and_says_where_it_goes(booklet):
    nums = booklet.Root.StructTreeRoot.ParentTree.Nums
    owner = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    annotations = [a for page in booklet.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
    assert len(annotations) > 20
    contents = set()
    for annotation in annotations:
        assert owner[int(annotation.StructParent)].S == "/Link"
        contents.add(str(annotation.Contents))
    assert any(c.startswith("Gå til afsnittet »Brug af udlejningsredskaber«, side ") for c in contents)
    assert any(c.startswith("Gå til tabellen »Figur 1. ") for c in contents)
    assert all(c.startswith(("Gå til ", "Link til ")) for c in contents), contents
    for link in elements(booklet, "/Link"):
        assert not [el for el in walk(link) if el is not link and el.S == "/Link"], "no link inside a link"


def test_running_heads_folios_and_draft_mark_are_artifacts(booklet):
    reachable = {el.objgen for el in walk(booklet.Root.StructTreeRoot)}
    nums = booklet.Root.StructTreeRoot.ParentTree.Nums
    owners = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    most = 0
    for page in booklet.pages[2:-1]:
        tagged, artifacts = set(), 0
        for operands, operator in pikepdf.parse_content_stream(page):
            if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                tagged.add(int(operands[1].MCID))
            if str(operator) in ("BDC", "BMC") and operands[0] == "/Artifact":
                artifacts += 1
        page_owners = owners.get(int(page.obj.get("/StructParents", -1)), [])
        assert all(page_owners[m].objgen in reachable for m in tagged), "every marked content is in the tree"
        texts = marked_texts(booklet, page)
        assert not any("UDKAST" in texts.get(m, "") for m in tagged)
        most = max(most, artifacts)
    assert most >= 3  # running head, folio and draft mark on a page that does not open a chapter


def test_line_break_hyphens_are_not_read_aloud(booklet):
    spans = [el for el in walk(booklet.Root.StructTreeRoot) if "/ActualText" in el]
    assert len(spans) > 20
    for span in spans:
        drawn = text_of(booklet, pikepdf.Dictionary(S=span.S, K=span.K, Pg=span.Pg))
        assert drawn.rstrip().endswith("-") and str(span.ActualText) == drawn.rstrip()[:-1]


def test_english_words_are_tagged_english(booklet):
    english = [el for el in walk(booklet.Root.StructTreeRoot) if str(el.get("/Lang", "")) == "en"]
    assert english and {text_of(booklet, el) for el in english} == {"Management"}


def test_bookmarks_are_nested_and_open(booklet):
    assert booklet.Root.PageMode == "/UseOutlines"
    with booklet.open_outline() as outline:
        titles = [item.title for item in outline.root]
        assert titles[:3] == ["Om dette hæfte", "Resultater af evalueringen", "Erfaringer fra fire casekommuner"]
        nested = [item for item in outline.root if item.children]
        assert len(nested) >= 8 and all(item.is_closed is False for item in nested)
        results = next(item for item in outline.root if item.title == "Resultater af evalueringen")
        assert [child.title for child in results.children] == [
            "Brug af redskaberne", "Redskaberne og det sociale mix", "Holdninger til redskaberne"]


def test_machine_checkable_pdfua_rules_pass(built):
    from pdfua import validate

    report = validate(str(built.output_dir / "haefte.pdf"))
    problems = [(f.rule_id, f.message) for f in report.findings]
    assert problems == []
    # the figure catalogue too: tagged, in Danish, an entry per figure in paragraphs
    catalogue = validate(str(built.output_dir / "figurkatalog.pdf"))
    assert [(f.rule_id, f.message) for f in catalogue.findings] == []
    with pikepdf.open(built.output_dir / "figurkatalog.pdf") as document:
        assert str(document.Root.Lang) == "da" and "/StructTreeRoot" in document.Root
        assert len(elements(document, "/H1")) == 1 and len(elements(document, "/P")) > 275
    # the checker's own rule for empty headings fails on pikepdf 10 (it reads an array as a
    # dictionary); test_headings_have_text checks that rule instead
    assert {s.rule_id for s in report.skipped} <= {"UA-14-001"}


def test_headings_have_text(booklet):
    for tag in ("/H1", "/H2", "/H3"):
        for heading in elements(booklet, tag):
            assert text_of(booklet, heading).strip(), tag


def test_appendix_takes_each_figures_table_and_the_figure_points_to_it():
    import xml.etree.ElementTree as ET

    root = ET.fromstring(
        '<html><body><figure class="figur" id="figur-a"><img src="a.svg" alt="a"/><figcaption>'
        '<span class="figurnr">Figur 1.</span> Tekst</figcaption><p class="kilde">Kilde: X.</p>'
        '<details class="figurdata"><summary>Tallene</summary><table><caption>kommunernes brug</caption></table>'
        '</details></figure><figure class="figur" id="figur-b"><img src="b.svg" alt="b"/><figcaption>Mix</figcaption>'
        '<p class="kilde">Kilde: Y.</p><details class="figurdata"><summary>Tallene</summary><table><caption>socialt '
        'mix</caption></table></details></figure><div id="bilag-tabeller"></div></body></html>')
    pdfwriter.add_appendix(root)
    first, second, holder = root.find("body")
    assert ET.tostring(first.find("p"), encoding="unicode") == (
        '<p class="kilde">Kilde: X. <a class="krydsref" href="#tal-figur-a">Tallene står på side </a>.</p>')
    assert first.find("details") is None and second.find("details") is None
    assert [(s.get("id"), s.find("table/caption").text) for s in holder] == [
        ("tal-figur-a", "Figur 1. Kommunernes brug"), ("tal-figur-b", "Socialt mix")]


def fonts_of(reader):
    names = set()
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_every_glyph_uses_the_vendored_fonts(built):
    for name in ("haefte.pdf", "figurkatalog.pdf"):
        names = fonts_of(PdfReader(str(built.output_dir / name)))
        assert names and all(n.startswith(("Source-Sans-3", "Source-Serif-4")) for n in names), names


def text_colours(document, page):
    """(font, fill colour) for each text-showing operator on ``page``, following q/Q, cs/scn, k, rg, g."""
    fonts = {str(k): str(v.BaseFont).split("+", 1)[-1] for k, v in page.obj.Resources.get("/Font", {}).items()}
    state, stack, font, out = ("DeviceGray", (0.0,)), [], None, []
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op == "q":
            stack.append(state)
        elif op == "Q" and stack:
            state = stack.pop()
        elif op == "cs":
            state = (str(operands[0]).lstrip("/"), ())
        elif op in ("sc", "scn"):
            state = (state[0], tuple(float(v) for v in operands if isinstance(v, (int, Decimal))))
        elif op == "k":
            state = ("DeviceCMYK", tuple(float(v) for v in operands))
        elif op == "rg":
            state = ("DeviceRGB", tuple(float(v) for v in operands))
        elif op == "g":
            state = ("DeviceGray", tuple(float(v) for v in operands))
        elif op == "Tf":
            font = fonts.get(str(operands[0]))
        elif op in ("Tj", "TJ", "'", '"'):
            out.append((font, state))
    return out


def test_body_text_prints_in_black_ink_only(booklet):
    body = []
    for page in booklet.pages[2:-1]:
        for font, colour in text_colours(booklet, page):
            assert colour[0] == "DeviceCMYK", (font, colour)  # never RGB or four-colour black
            if font.startswith("Source-Serif-4"):
                body.append(colour)
    assert len(body) > 400
    assert set(body) == {("DeviceCMYK", (0.0, 0.0, 0.0, 1.0))}


def test_draft_says_so_on_the_cover_and_in_every_unknown_field(built_pages):
    pages = built_pages
    cover = " ".join(pages[0].split())
    assert cover.startswith("UDKAST – ikke til tryk Ukendt i data/fakta/publikation.yaml: serie, forfattere, aar,")
    assert "SERIE UKENDT" in cover and "År ukendt" in cover
    assert "Evaluering af brugen af anvisnings- og udlejningsredskaber" in cover
    assert "UDKAST – IKKE TIL TRYK" in pages[4]
    back = " ".join(pages[-1].split())
    assert "Rapporten: titel ukendt" in back and "ISBN: ukendt" in back
    colophon = " ".join(next(p for p in pages if "e-ISBN" in p).split())
    assert "ISBN (trykt): ukendt · e-ISBN: ukendt" in colophon and "Layout: ukendt · Tryk: ukendt" in colophon


def test_contents_page_lists_every_chapter_with_its_page(built_pages):
    pages = built_pages
    contents = pages[1]
    for title in ("Om dette hæfte", "Brug af udlejningsredskaber", "Konklusion og perspektiver", "Tallene bag figurerne"):
        line = next(line for line in contents.splitlines() if line.startswith(title))
        number = int(line.rstrip(". ").split()[-1])
        assert title in pages[number - 1].replace("\n", " "), (title, number)


def test_release_needs_every_publication_fact(results):
    publication = dict(results.facts["publikation"])
    with pytest.raises(ProjectError) as caught:
        pdfwriter.require_release(publication)
    assert str(caught.value) == (
        "data/fakta/publikation.yaml: en udgivelse kræver alle oplysninger, men disse er ukendte (null): serie, "
        "forfattere, aar, udgivelsesdato, isbn, eisbn, layout, tryk, url, tilgaengelighedserklaering, rapport.titel, "
        "rapport.forfattere, rapport.aar, rapport.isbn, rapport.url")
    complete = {**publication, "serie": "SFI-hæfte", "forfattere": ["A. Forfatter"], "aar": 2013,
                "udgivelsesdato": "2013-05-01", "isbn": "978-87-7119-173-8", "eisbn": "978-87-7119-174-5",
                "layout": "SFI", "tryk": "Trykkeri", "url": "https://example.org/h", "tilgaengelighedserklaering":
                "https://example.org/t", "rapport": {"titel": "R", "forfattere": ["B"], "aar": 2013,
                                                    "isbn": "978-87-7119-173-8", "url": "https://example.org/r"}}
    pdfwriter.require_release(complete)
    assert pdfwriter.draft_mark(pdfwriter.missing_facts(complete)) == ""


def test_release_build_refuses_a_draft_on_the_command_line(full_copy):
    from helpers import run_cli

    draft = (full_copy / "_output" / "haefte.pdf").read_bytes()
    result = run_cli("build", "--udgivelse", cwd=full_copy)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith(
        "fejl: data/fakta/publikation.yaml: en udgivelse kræver alle oplysninger, men disse er ukendte (null): serie,")
    assert (full_copy / "_output" / "haefte.pdf").read_bytes() == draft  # refused before any work


def test_page_boxes_and_crop_marks_outside_the_bleed(built, short_copy):
    page = PdfReader(str(built.output_dir / "haefte.pdf")).pages[3]
    assert [round(float(v) / MM, 1) for v in page.mediabox] == [0, 0, 170.0, 240.0]
    # the printer's file of the short booklet: the boxes and marks are the same on every page
    pages = len(PdfReader(str(short_copy / "_output/haefte.pdf")).pages)
    steps = [name for name, _ in build(Project.find(short_copy), bleed=True).steps]
    # only the booklet's PDF is laid out again: the web version and the catalogue are as they were
    assert steps[3:] == ["webversion (uændret)", "PDF (WeasyPrint)", "figurkatalog-PDF (uændret)"]
    with pikepdf.open(short_copy / "_output/haefte.pdf") as printed:
        assert len(printed.pages) == pages and pages % 4 == 0
        for index in (0, 3):
            page = printed.pages[index]
            trim = [round(float(v) / MM, 1) for v in page.obj.TrimBox]
            bleed = [float(v) for v in page.obj.BleedBox]
            assert trim == [0, 0, 170.0, 240.0]
            assert [round(v / MM, 1) for v in bleed] == [-3.0, -3.0, 173.0, 243.0]
            assert [round(float(v) / MM, 1) for v in page.mediabox] == [-15.0, -15.0, 185.0, 255.0]
            points = []
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("m", "l") and len(operands) == 2:
                    points.append(tuple(float(v) for v in operands))
            marks = points[-16:]  # the 8 crop marks, drawn last, each from m to l
            assert len(marks) == 16
            for x, y in marks:
                outside = x < bleed[0] or x > bleed[2] or y < bleed[1] or y > bleed[3]
                assert outside, (x, y)


def test_a_contents_entry_reads_as_its_title_and_page_without_the_dots(booklet):
    """The leader's dots are artifacts: a screen reader reads »Om dette hæfte 3«, not fifty »punktum«."""
    entries = [text_of(booklet, link) for link in elements(booklet, "/Link")][:13]
    assert entries[:3] == ["Om dette hæfte 3", "Resultater af evalueringen 4", "Erfaringer fra fire casekommuner 6"]
    assert not [e for e in entries if ". ." in e]
    contents = booklet.pages[1]
    from hæfte.write.tagging import marked_texts

    assert not [t for t in marked_texts(booklet, contents).values() if t.strip() and set(t) <= set(". ")]


def test_the_method_notes_estimates_have_row_headers(booklet):
    """Each row of the table of estimates is named by its TH (scope Row), so a screen reader says
    which measure an estimate and its interval belong to."""
    rows = [text_of(booklet, th) for th in elements(booklet, "/TH") if th.get("/A") is not None
            and th.A.get("/Scope") == "/Row" and text_of(booklet, th).startswith("Andel ")]
    assert "Andel i beskæftigelse (procentpoint)" in rows and len(rows) == 3
