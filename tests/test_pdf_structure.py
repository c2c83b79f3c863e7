"""The PDFs as a printer and a screen reader meet them: tags, language, alt texts, fonts, boxes,
headings never left alone at a page foot, figures never split, Danish hyphenation exceptions."""


import pytest
from pypdf import PdfReader

from hæfte.build import build
from hæfte.project import Project
from hæfte.write.pdf import apply_hyphenation, hyphenation_exceptions

MM = 72 / 25.4


def structure(node, out=None):
    out = out if out is not None else {"tags": {}, "alts": []}
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, dict):
        tag = node.get("/S")
        if tag:
            out["tags"][tag] = out["tags"].get(tag, 0) + 1
            if tag == "/Figure":
                out["alts"].append(str(node.get("/Alt", "")))
        if node.get("/K") is not None:
            structure(node["/K"], out)
    elif isinstance(node, list):
        for item in node:
            structure(item, out)
    return out


@pytest.fixture(scope="module")
def accessible(built):
    return PdfReader(str(built.output_dir / "haefte-tilgaengelig.pdf"))


def test_accessible_pdf_is_tagged_with_language_and_title(accessible):
    root = accessible.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 - a PDF boolean object
    assert root["/Lang"] == "da"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert accessible.metadata["/Title"] == "Evaluering af brugen af anvisnings- og udlejningsredskaber"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "pdfuaid:part" in xmp


def test_accessible_pdf_tags_headings_figures_with_alt_text_and_tables(accessible):
    found = structure(accessible.trailer["/Root"]["/StructTreeRoot"])
    tags = found["tags"]
    # chapters are H1; the four cases are boxes with H2 headings and H3 subheadings inside one chapter
    assert tags.get("/H1", 0) >= 10 and tags.get("/H2", 0) >= 20 and tags.get("/H3", 0) >= 10
    assert tags.get("/Table", 0) >= 3 and tags.get("/TH", 0) > 10 and tags.get("/TD", 0) > 10
    assert len(found["alts"]) == 3
    assert any(a.startswith("Vandret søjlediagram over andelen af kommunerne") for a in found["alts"])
    assert all(len(a) > 80 for a in found["alts"])


def fonts_of(reader):
    names = set()
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            names.add(str(ref.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_every_glyph_uses_the_vendored_fonts(built, accessible):
    for reader in (accessible, PdfReader(str(built.output_dir / "figurkatalog.pdf"))):
        names = fonts_of(reader)
        assert names and all(n.startswith(("Source-Sans-3", "Source-Serif-4")) for n in names), names


def test_page_size_and_boxes_without_and_with_bleed(full_copy):
    project = Project.find(full_copy)
    build(project)
    page = PdfReader(str(full_copy / "_output/haefte.pdf")).pages[3]
    assert [round(float(v) / MM, 1) for v in page.mediabox] == [0, 0, 170.0, 240.0]
    build(project, bleed=True)
    page = PdfReader(str(full_copy / "_output/haefte.pdf")).pages[3]
    trim = [round(float(v) / MM, 1) for v in page["/TrimBox"]]
    bleed = [round(float(v) / MM, 1) for v in page["/BleedBox"]]
    assert trim == [0, 0, 170.0, 240.0]
    assert bleed == [-3.0, -3.0, 173.0, 243.0]


@pytest.fixture(scope="module")
def layout(built):
    """The booklet's layout as WeasyPrint made it: per page, its block boxes with tag and position."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    out = built.output_dir
    css = CSS(filename=str(built.styles_dir / "print.css"), font_config=fonts)
    document = HTML(filename=str(out / "print.html"), base_url=str(out / "web")).render(stylesheets=[css], font_config=fonts)
    pages = []
    for page in document.pages:
        blocks = []
        for box in page._page_box.descendants():
            tag = getattr(box, "element_tag", None)
            if tag in ("h1", "h2", "h3", "p", "li", "figure", "img", "figcaption") and box.is_in_normal_flow() \
                    and getattr(box, "height", 0):
                blocks.append((tag, box.position_y, box.element))
        pages.append(blocks)
    return pages


def test_no_heading_is_the_last_thing_on_a_page(layout):
    for number, blocks in enumerate(layout, 1):
        content = [b for b in blocks if b[0] != "img"]
        if not content:
            continue
        last = max(content, key=lambda b: b[1])
        assert last[0] not in ("h1", "h2", "h3"), f"page {number} ends with a heading"


def test_figures_are_never_split_across_pages(layout):
    pages_of = {}
    for number, blocks in enumerate(layout, 1):
        for tag, _, element in blocks:
            if tag == "figure":
                pages_of.setdefault(id(element), set()).add(number)
    assert len(pages_of) == 3
    assert all(len(p) == 1 for p in pages_of.values())


def test_hyphenation_exceptions(project):
    words = hyphenation_exceptions(project.styles_dir)
    assert words["boligorganisationer"] == "bo\u00adlig\u00ador\u00adga\u00adni\u00adsa\u00adtio\u00adner"
    html = "<html><body><p>Boligorganisationer og <a href='boligorganisationer'>x</a> ressourcesvage</p></body></html>"
    out = apply_hyphenation(html, words)
    assert '<span class="orddeling">Bo\u00adlig\u00ador\u00adga\u00adni\u00adsa\u00adtio\u00adner</span>' in out
    assert "href='boligorganisationer'" in out  # never inside a tag
    assert '<span class="orddeling">res\u00adsour\u00adce\u00adsva\u00adge</span>' in out


def test_the_pdf_never_breaks_the_listed_words_badly(built):
    text = "".join(p.extract_text() for p in PdfReader(str(built.output_dir / "haefte.pdf")).pages)
    assert "boli-\ngor" not in text and "Boli-\ngor" not in text
    assert "cesva-" not in text and "cestær-" not in text
