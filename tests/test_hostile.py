"""An attacker with write access to data, templates or styles, and a careless one: every case
ends in its exact outcome (one `fejl:` line, or the exact escaped output), never a traceback.

Issue 10: §2 nothing outside the project is read or published, §3 disclosure control cannot be
bypassed, §4 every string from data is inert, §5 the web page loads nothing from outside itself,
§9 template limits hold for every way to make a huge string or a long loop. (§12, the preview
server, is in test_preview.py.) The cases render small template folders in-process and use the
write stage's pieces on small inputs; only the last tests read the shared built booklet.
"""

from __future__ import annotations

import contextlib
import io
import threading
import time
from pathlib import Path

import pypandoc
import pytest

from hæfte import sandbox
from hæfte.cli import main
from hæfte.errors import HaefteError, ProjectError, ResourceError, TemplateError
from hæfte.render import Renderer, md_escape
from hæfte.resultset import Figure, Results, Table, share
from hæfte.sandbox import Limits
from hæfte.write.pandoc import PANDOC_FORMAT
from hæfte.write.resources import CONTENT_SECURITY_POLICY, check_web_resources, require_styles, web_problems
from helpers import read_rows, write_rows

ROOT = Path(__file__).resolve().parents[1]
SMALL = Limits(seconds=1.0, memory=64 * 2**20, grace=1.0)
HOSTILE = "[klik](javascript:alert(1)) <img src=x onerror=alert(2)> **fed**"
RESULTS = Results(
    figures={"kommune.navn": Figure("kommune.navn", HOSTILE, "tekst", "en kommunes navn", "data/survey/kommuner.csv")},
    tables={}, orderings={},
    facts={"case": {"fakta": "# Overskrift\n\n- punkt\n\n::: {.skjult}\nskjult\n:::", "titel": "1. Ishøj"}})


def cli(root: Path, *args: str) -> tuple[int, str]:
    """The real command line in-process: (exit status, stderr); a traceback fails the test."""
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
        main(["--project", str(root), *args])
    assert "Traceback" not in err.getvalue() + out.getvalue()
    return stop.value.code, err.getvalue()


@pytest.fixture()
def folder(tmp_path) -> Path:
    """A tiny project: data/ (so it is a project) and templates/."""
    root = tmp_path / "projekt"
    (root / "templates").mkdir(parents=True)
    (root / "data").mkdir()
    return root


def render(root: Path, source: str, limits: Limits = SMALL, **others: str | Path) -> str:
    """Render templates/01.md.j2 (and the other files given, a Path meaning a symlink to it)."""
    (root / "templates/01.md.j2").write_text(source, encoding="utf-8")
    for name, content in others.items():
        path = root / "templates" / name.replace("__", ".")
        if isinstance(content, Path):
            path.symlink_to(content)
        else:
            path.write_text(content, encoding="utf-8")
    return Renderer(root / "templates", limits=limits, project_root=root).render(RESULTS).markdown


def html_of(markdown: str) -> str:
    return pypandoc.convert_text(markdown, "html5", format=PANDOC_FORMAT, extra_args=["--wrap=none"]).strip()


# ---------------------------------------------------------------- §2 templates stay in templates/
def test_an_include_symlinked_out_of_the_project_is_refused(folder, tmp_path):
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("hemmeligt\n", encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        render(folder, "# A {#a}\n\n{% include 'del.j2' %}\n", del__j2=secret)
    assert str(info.value) == (f"templates/01.md.j2, linje 3: skabelonen 'del.j2' fører uden for projektmappen "
                               f"(til {secret.resolve()}); hæfte læser kun filer inde i projektet")


def test_an_include_symlinked_into_data_is_refused(folder):
    target = folder / "data/beboere.csv"
    target.write_text("afdeling_id,personer\nA1,3\n", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        render(folder, "# A {#a}\n{% import 'data.j2' as d %}\n", data__j2=target)
    assert str(info.value) == (f"templates/01.md.j2, linje 2: skabelonen 'data.j2' fører uden for templates/ "
                               f"(til {target.resolve()}); skabeloner kan kun hente andre skabeloner i templates/")


def test_an_include_with_dot_dot_is_not_found(folder):
    (folder / "data/x.md").write_text("x", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        render(folder, "# A {#a}\n\n\n{% extends '../data/x.md' %}\n")
    assert str(info.value) == "templates/01.md.j2, linje 4: skabelonen '../data/x.md' findes ikke i templates/"


def test_a_template_symlinked_out_of_the_project_is_refused_before_it_is_read(folder, tmp_path):
    outside = tmp_path / "andet.md.j2"
    outside.write_text("# Andet {#andet}\n", encoding="utf-8")
    with pytest.raises(ProjectError) as info:
        render(folder, "# A {#a}\n", **{"02__md__j2": outside})
    assert str(info.value) == (f"templates/02.md.j2: skabelonen '02.md.j2' fører uden for projektmappen "
                               f"(til {outside.resolve()}); hæfte læser kun filer inde i projektet")


# ---------------------------------------------------------------- §2 styles stay in styles/
@pytest.fixture()
def styles(tmp_path) -> Path:
    import shutil

    root = tmp_path / "stilprojekt"
    shutil.copytree(ROOT / "styles", root / "styles")
    return root / "styles"


def test_a_style_file_symlinked_to_register_data_is_refused(styles):
    data = styles.parent / "data/register"
    data.mkdir(parents=True)
    (data / "beboere.csv").write_text("afdeling_id,personer\n", encoding="utf-8")
    (styles / "web.css").unlink()
    (styles / "web.css").symlink_to(data / "beboere.csv")
    with pytest.raises(ProjectError) as info:
        require_styles(styles)
    assert str(info.value) == (f"styles/web.css: filen fører uden for styles/ (til {(data / 'beboere.csv').resolve()}); "
                               "hæfte læser og udgiver kun filer i styles/")


def test_a_font_symlinked_out_of_the_project_is_refused(styles, tmp_path):
    (styles / "fonts/ekstra.woff2").symlink_to("/etc/hostname")
    with pytest.raises(ProjectError) as info:
        require_styles(styles)
    assert str(info.value) == ("styles/fonts/ekstra.woff2: filen fører uden for projektmappen (til /etc/hostname); "
                               "hæfte læser kun filer inde i projektet")


def test_a_pandoc_template_partial_out_of_styles_is_refused(styles):
    path = styles / "web.html"
    path.write_text(path.read_text(encoding="utf-8").replace("$body$", "$body$\n${../../../etc/passwd()}"),
                    encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("${../../../etc/passwd()}") + 1
    with pytest.raises(ResourceError) as info:
        require_styles(styles)
    assert str(info.value) == (f"styles/web.html, linje {line}: pandoc-skabelonen henter '../../../etc/passwd', "
                               "som ligger uden for styles/ (en skabelon kan kun hente filer i styles/)")


@pytest.mark.parametrize("url", ["https://fonts.example/x.woff2", "\\\\\\\\vært\\\\deling\\\\x.woff2", "//vært/x.woff2",
                                 "../../data/register/beboere.csv", "file:///etc/passwd"])
def test_a_style_sheet_url_leaving_styles_is_refused(styles, url):
    path = styles / "web.css"
    path.write_text(path.read_text(encoding="utf-8") + f"\nbody {{ background: url('{url}'); }}\n", encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    shown = url.replace("\\\\", "\\")  # the CSS escape read as the browser reads it
    with pytest.raises(ResourceError) as info:
        require_styles(styles)
    assert str(info.value) == (f"styles/web.css, linje {line}: henviser til '{shown}', som hæfte ikke henter (kun "
                               "filer i styles/ og figurerne; ingen netadresser, ingen stier med '..')")


# ---------------------------------------------------------------- §4 data is inert
@pytest.mark.parametrize("value,markdown,html", [
    ("# Overskrift", r"\# Overskrift", "<p># Overskrift</p>"),
    ("- punkt", r"\- punkt", "<p>- punkt</p>"),
    ("1. punkt", r"1\. punkt", "<p>1. punkt</p>"),
    ("a) punkt", r"a\) punkt", "<p>a) punkt</p>"),
    ("::: {.skjult}", r"\::: \{.skjult\}", "<p>::: {.skjult}</p>"),
    ("| a | b |", r"\| a \| b \|", "<p>| a | b |</p>"),
    ("`<b>x</b>`{=html}", r"\`\<b\>x\</b\>\`\{=html\}", "<p>`&lt;b&gt;x&lt;/b&gt;`{=html}</p>"),
    ("<!-- skjult -->", r"\<!\-\- skjult \-\-\>", "<p>&lt;!-- skjult --&gt;</p>"),
    ("[klik](javascript:alert(1))", r"\[klik\](javascript:alert(1))", "<p>[klik](javascript:alert(1))</p>"),
    ("AT&amp;T", r"AT\&amp;T", "<p>AT&amp;amp;T</p>"),
    ("linje\n\n# ny blok\n- punkt", r"linje \# ny blok - punkt", "<p>linje # ny blok - punkt</p>"),
    ("===", r"\===", "<p>===</p>"),
])
def test_a_data_value_is_plain_text_wherever_a_template_puts_it(value, markdown, html):
    assert md_escape(value) == markdown
    assert html_of(markdown) == html


def test_safe_and_tojson_do_not_let_data_through_unescaped(folder):
    md = render(folder, "# A {#a}\n\n{{ kommune.navn | safe }}\n\n{{ fakta.case.titel | safe }}\n\n"
                        "{{ fakta.case.fakta | tojson }}\n")
    html = html_of(md)
    assert "<a " not in html and "<img" not in html and "<strong>" not in html
    assert "<p>1. Ishøj</p>" in html  # the case title at a line start is no ordered list


def test_case_facts_make_no_heading_list_or_hidden_div(folder):
    md = render(folder, "# A {#a}\n\n{{ fakta.case.fakta }}\n")
    assert md == "# A {#a}\n\n\\# Overskrift - punkt ::: \\{.skjult\\} skjult :::\n"
    assert html_of(md).endswith("<p># Overskrift - punkt ::: {.skjult} skjult :::</p>")


def chart_table(label: str) -> Table:
    f = share("t.a", 30, 40, definition="d", source="data/survey/kommuner.csv")
    return Table("figur1", "Titel", ("Redskab", "I perioden", "I alt"), ((label, f, f),), "data/survey/kommuner.csv")


def test_a_codebook_label_in_a_chart_table_is_no_link(folder):
    """Inside a plain HTML block pandoc reads Markdown: the chart block reaches it as raw HTML."""
    from functools import partial

    from hæfte import charts

    table = chart_table("[klik](javascript:alert(1))")
    results = Results({}, {"figur1": table}, {}, {"publikation": {"datagrundlag": "data"}})
    (folder / "templates/01.md.j2").write_text('# A {#a}\n\n{{ figur("figur1", "Figur [x](javascript:y)") }}\n',
                                               encoding="utf-8")
    md = Renderer(folder / "templates", ("figur1",), partial(charts.figure_block, results=results),
                  project_root=folder).render(results).markdown
    html = html_of(md)
    assert web_problems_links(html) == []
    assert '<th scope="row">[klik](javascript:alert(1))</th>' in html
    assert "Figur [x](javascript:y)</figcaption>" in html


def web_problems_links(html: str) -> list[str]:
    return [value for kind, value in web_problems(html) if kind == "link"]


def test_a_chart_label_is_not_mathtext():
    from hæfte import drawing

    label = "$\\frac{1}{0}$ kr."
    for layout, drawn in ((drawing.PRINT, ">$\\frac{1}{0}$ kr.</text>"), (drawing.NARROW, ">$\\frac{1}{0}$</text>")):
        svg = drawing.svg(drawing.draw_tools, chart_table(label), ROOT / "styles/fonts", layout, outlines=False)
        assert drawn in svg.decode("utf-8")  # the narrow layout wraps the label after the formula


def test_publication_title_and_publisher_are_inert_in_html_and_pdf_metadata(tmp_path):
    from pypdf import PdfReader

    from hæfte.write.pdf import write_booklet_pdf, write_print_html

    title = 'Titel</title><script>alert(1)</script> & "citat"'
    publisher = 'SFI" name="x" content="<b>'
    print_html = write_print_html("# Om hæftet {#om}\n\nTekst.\n", ROOT / "styles", tmp_path, title, publisher)
    head = print_html.read_text(encoding="utf-8").split("<body")[0]
    assert "<title>Titel&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"citat\"</title>" in head
    assert '<meta name="author" content="SFI&quot; name=&quot;x&quot; content=&quot;&lt;b&gt;">' in head
    pdf = write_booklet_pdf(print_html, ROOT / "styles", tmp_path / "x.pdf")
    meta = PdfReader(str(pdf)).metadata
    assert (meta["/Title"], meta["/Author"]) == (title, publisher)


def test_a_javascript_address_in_publikation_yaml_stops_the_build(copy_project):
    path = copy_project / "data/fakta/publikation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nurl: null", "\nurl: javascript:alert(1)"),
                    encoding="utf-8")
    assert cli(copy_project, "figures") == (
        2, "fejl: data/fakta/publikation.yaml, nøgle 'url': 'javascript:alert(1)' er ikke en netadresse "
           "(skal begynde med https://)\n")


HIDDEN = "som ikke hører hjemme i data"


@pytest.mark.parametrize("rel,old,new,message", [
    ("cases.yaml", "boligomraade_uden_aendring: Vollsmose", 'boligomraade_uden_aendring: "Vollsmose\\u202E tnecrep 05\\u202C"',
     f"nøgle 'cases[2].fakta.boligomraade_uden_aendring': værdien indeholder det usynlige tegn U+202E "
     f"(RIGHT-TO-LEFT OVERRIDE), {HIDDEN}"),
    ("cases.yaml", "  - KAB\n", '  - "K\\u200BAB"\n',
     f"nøgle 'cases[1].interviewede[2]': værdien indeholder det usynlige tegn U+200B (ZERO WIDTH SPACE), {HIDDEN}"),
    ("cases.yaml", "    deleboliger_fra_aar:", '    "deleboliger\\u2066_fra_aar":',
     f"nøgle 'cases[1].fakta': en nøgle indeholder det usynlige tegn U+2066 (LEFT-TO-RIGHT ISOLATE), {HIDDEN}"),
    ("publikation.yaml", "\ntitel: Evaluering", "\ntitel: Evalue\u00adring",
     f"nøgle 'titel': værdien indeholder det usynlige tegn U+00AD (SOFT HYPHEN), {HIDDEN}"),
    ("program.yaml", "bevilling_kr: 2200000000", 'bevilling_kr: "\\e[2J\\e[H\\e[32mbygget uden fejl\\e[0m"',
     f"nøgle 'bevilling_kr': værdien indeholder kontroltegnet U+001B, {HIDDEN}"),
    ("program.yaml", "udbyder: Landsbyggefonden", 'udbyder: "Landsbygge\\x9bfonden"',
     f"nøgle 'udbyder': værdien indeholder kontroltegnet U+009B, {HIDDEN}"),
], ids=["retningsskift", "nul-bredde mellemrum", "i en nøgle", "blød bindestreg", "ESC", "C1-kontroltegn"])
def test_a_control_or_invisible_character_in_a_fact_file_stops_the_build(copy_project, rel, old, new, message):
    """The rule of data cells holds for the fact files, which reach the PDF's title and metadata
    and the web page's <title> and <h1>: a direction override made "Vollsmose50 percent"."""
    path = copy_project / "data/fakta" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert cli(copy_project, "figures") == (2, f"fejl: data/fakta/{rel}, {message}\n")


def test_a_formula_in_a_chart_label_is_text_in_the_downloaded_csv():
    """A codebook label '=HYPERLINK(…)' would run in Excel; a "'" makes it text. Numbers stay
    numbers, negative ones too."""
    from hæfte import charts

    down = Figure("t.b", -0.05, "andel", "d", "data/survey/kommuner.csv", numerator=-2, base=40, decimals=1)
    up = share("t.a", 30, 40, definition="d", source="data/survey/kommuner.csv")
    rows = (('=HYPERLINK("https://evil.example/x";"tomme boliger")', up, down), ("@SUM(A1)", down, up),
            ("Fleksibel udlejning", up, None))
    table = Table("figur1", "Titel", ("-Redskab", "+I perioden", "I alt"), rows, "data/survey/kommuner.csv")
    data = charts.csv_data("figur1", Results({}, {"figur1": table}, {}, {}))
    assert data == ("\ufeff'-Redskab;Serie;Værdi;Enhed;Tæller;Grundlag;Id i figurkataloget\r\n"
                    "\"'=HYPERLINK(\"\"https://evil.example/x\"\";\"\"tomme boliger\"\")\";'+I perioden;75,0;pct.;30;40;t.a\r\n"
                    "\"'=HYPERLINK(\"\"https://evil.example/x\"\";\"\"tomme boliger\"\")\";I alt;-5,0;pct.;-2;40;t.b\r\n"
                    "'@SUM(A1);'+I perioden;-5,0;pct.;-2;40;t.b\r\n"
                    "'@SUM(A1);I alt;75,0;pct.;30;40;t.a\r\n"
                    "Fleksibel udlejning;'+I perioden;75,0;pct.;30;40;t.a\r\n"
                    "Fleksibel udlejning;I alt;;;;;\r\n")


# ---------------------------------------------------------------- §5 raw HTML in templates
@pytest.mark.parametrize("line,problem", [
    ("<script>alert(1)</script>", "rå HTML-elementet <script> er ikke tilladt i en skabelon (figurer og "
                                  "henvisninger sættes ind med figur() og se())"),
    ("<IFRAME SRC=side.html></IFRAME>", "rå HTML-elementet <iframe> er ikke tilladt i en skabelon (figurer og "
                                        "henvisninger sættes ind med figur() og se())"),
    ("<p onmouseover='alert(1)'>x</p>", "hændelsesattributten 'onmouseover' er ikke tilladt i en skabelon"),
    ('<span style="background:url(https://e.example/x.png)">x</span>',
     "style-attributten er ikke tilladt i en skabelon (brug en klasse og styles/)"),
    ('<a href="java&#115;cript:alert(1)">x</a>', "adressen 'javascript:alert(1)' er ikke tilladt i en skabelon "
                                                 "(ingen javascript:-, vbscript:- eller data:-adresser)"),
    ("[klik](JavaScript:alert(1))", "javascript:- og vbscript:-adresser er ikke tilladt i en skabelon"),
    ("`<b>x</b>`{=html}", "rå HTML-blokke ({=html}) er ikke tilladt i en skabelon"),
    ("[x]{onclick=alert(1)}", "hændelses- og style-attributter er ikke tilladt i en skabelon"),
])
def test_raw_html_that_runs_or_loads_is_refused_with_template_and_line(folder, line, problem):
    with pytest.raises(TemplateError) as info:
        render(folder, "# A {#a}\n\nTekst med {{ kommune.navn }}.\n" + line + "\n")
    assert str(info.value) == f"templates/01.md.j2, linje 4: {problem}"


def test_hæftes_helpers_emit_markup_a_template_may_not_write(folder):
    md = render(folder, '# A {#a}\n\nSe {{ se("a") }}.\n')
    assert md.endswith('Se <a class="krydsref" href="#a"><span class="kun-print">på side </span>'
                       '<span class="kun-web">i afsnittet »A«</span></a>.\n')
    with pytest.raises(TemplateError, match="linje 3: rå HTML-blokke"):
        render(folder, '# A {#a}\n\n```{=html}\n<a class="krydsref" href="#b">x</a>\n```\n')


# ---------------------------------------------------------------- §5 the web page loads nothing
PAGE = ('<!DOCTYPE html><html lang="da"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        '<link rel="stylesheet" href="assets/web.css"></head><body>{}</body></html>')


@pytest.mark.parametrize("body,problems", [
    ("<img src='https://e.example/x.png' alt=x>", [("adresse", "https://e.example/x.png")]),
    ("<img src=//e.example/x.png alt=x>", [("adresse", "//e.example/x.png")]),
    ('<img srcset="figurer/a.svg 1x, https://e.example/b.png 2x" alt=x>', [("adresse", "https://e.example/b.png")]),
    ('<video poster="file:///etc/passwd"></video>', [("adresse", "file:///etc/passwd")]),
    ('<link rel=preload href="\\\\vært\\deling\\x.css">', [("adresse", "\\\\vært\\deling\\x.css")]),
    ('<img src="data:image/svg+xml,&lt;svg&gt;" alt=x>', [("adresse", "data:image/svg+xml,<svg>")]),
    ('<img src="figurer/%2e%2e/%2e%2e/x.png" alt=x>', [("adresse", "figurer/%2e%2e/%2e%2e/x.png")]),
    ('<svg><image href="https://e.example/x.png"/></svg>', [("adresse", "https://e.example/x.png")]),
    ('<div style="background:url(x.png)">x</div>', [("style-attribut", "background:url(x.png)")]),
    ('<a href="java\tscript:alert(1)">x</a>', [("link", "java\tscript:alert(1)")]),
    ('<p onclick="x()">x</p><script>x()</script>', [("hændelsesattribut", "onclick"), ("element", "<script>")]),
    ('<meta http-equiv="refresh" content="0;url=https://e.example">', [("element", '<meta http-equiv="refresh">')]),
    ('<a href="https://www.sfi.dk">SFI</a> <a href="#om">om</a> <img src="figurer/figur1.svg" alt="x">', []),
    # the parser drops an <image> in a table; Chromium makes it an <img> and loads it
    ('<table><image src="https://e.example/x.png"></table>', [("element", "<image>")]),
    # a processing instruction has no tag; the page is read on past it
    ('<p>Tekst <?behandling?> her</p><svg><?x?></svg><img src="https://e.example/y.png" alt=x>',
     [("adresse", "https://e.example/y.png")]),
    # two attributes that differ only by a prefix: both are read (Chromium followed this refresh)
    ('<meta http-equiv="refresh" content="0;url=https://e.example/" x:http-equiv="">',
     [("element", '<meta http-equiv="refresh">')]),
    ('<img src="https://e.example/x" a:src="figurer/a.svg" alt=x>', [("adresse", "https://e.example/x")]),
    ('<a href="javascript:alert(1)" x:href="#a">x</a>', [("link", "javascript:alert(1)")]),
    ('<svg><set attributeName="href" to="javascript:alert(1)"/></svg>', [("element", "<set>")]),
])
def test_the_web_check_reads_the_page_as_a_browser_does(body, problems):
    assert web_problems(PAGE.replace("{}", body)) == problems


def test_a_policy_outside_the_head_is_no_policy():
    """A browser reads the Content-Security-Policy <meta> only in the head (Chromium: '… outside
    the document's <head> … ignored', and then ran an inline script)."""
    page = PAGE.replace(f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">', "")
    body = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}"><p>x</p>'
    assert web_problems(page.replace("{}", body)) == [
        ("element", '<meta http-equiv="Content-Security-Policy">'), ("csp", CONTENT_SECURITY_POLICY)]


def test_a_page_without_the_content_security_policy_is_refused(tmp_path):
    page = tmp_path / "index.html"
    page.write_text(PAGE.replace(f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">', ""),
                    encoding="utf-8")
    with pytest.raises(ResourceError) as info:
        check_web_resources(page, tmp_path / "templates")
    assert str(info.value) == ("styles/web.html: Content-Security-Policy mangler i index.html (<meta http-equiv="
                               f"\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">)")


def test_a_single_quoted_image_address_names_its_template_line(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/11_konklusion.md.j2").write_text("# K {#k}\n\n<img src='https://e.example/x.png' alt=''>\n",
                                                            encoding="utf-8")
    page = tmp_path / "index.html"
    page.write_text(PAGE.replace("{}", "<p><img src='https://e.example/x.png' alt=''></p>"), encoding="utf-8")
    with pytest.raises(ResourceError) as info:
        check_web_resources(page, tmp_path / "templates")
    assert str(info.value) == ("templates/11_konklusion.md.j2, linje 3: henviser til 'https://e.example/x.png', som "
                               "hæfte ikke henter (kun filer i webversionen; ingen netadresser, ingen stier med '..')")


def test_the_built_web_pages_load_nothing_from_outside_and_carry_the_policy(built):
    web = built.output_dir / "web"
    for name in ("index.html", "katalog.html"):
        text = (web / name).read_text(encoding="utf-8")
        assert web_problems(text) == [], name
        assert f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">' in text


def test_a_browser_enforces_the_built_pages_policy(built, browser, tmp_path):
    """Whatever slipped past every check, Chromium itself refuses it on the built page. In the
    session's browser (conftest.py): a second Playwright in the same thread would find the
    first one's event loop running and refuse to start."""
    page_text = (built.output_dir / "web/index.html").read_text(encoding="utf-8").replace(
        "</body>", '<img src="http://127.0.0.1:9/x.png" alt="x"><script>document.title = "kørt"</script>'
                   '<p id="rød" style="color: rgb(255, 0, 0)">x</p><iframe src="https://e.example/"></iframe></body>')
    (tmp_path / "side.html").write_text(page_text, encoding="utf-8")
    context = browser.new_context()  # its own, closed after: nothing of this page stays in the session's browser
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.goto((tmp_path / "side.html").as_uri())
        page.wait_for_timeout(300)
        title = page.title()
        colour = page.evaluate("getComputedStyle(document.getElementById('rød')).color")
    finally:
        context.close()
    assert title != "kørt" and colour != "rgb(255, 0, 0)"
    for directive in ("img-src 'self'", "script-src 'self'", "style-src 'self'", "frame-src 'none'"):
        assert any(directive in line and "blocked" in line for line in console), directive


# ---------------------------------------------------------------- §9 template limits
@pytest.mark.parametrize("line,problem", [
    ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
     "linje 3: skabelonen løber i ring eller arbejder for længe (over 1 s)"),
    ('{{ "x" | center(300000000) }}', "linje 3: skabelonen bruger for meget hukommelse (over 64 MB)"),
    ('{{ "x" | indent(300000000) }}', "linje 3: skabelonen bruger for meget hukommelse (over 64 MB)"),
    ('{{ "{:>300000000}".format("x") }}', "linje 3: skabelonen bruger for meget hukommelse (over 64 MB)"),
    ('{{ "%300000000s" | format("x") }}', "linje 3: skabelonen bruger for meget hukommelse (over 64 MB)"),
    ('{{ "x" * 100000000 }}', "linje 3: skabelonen bygger en for stor tekst (over 2.000.000 tegn)"),
    ("{{ range(1000000) | list }}", "linje 3: skabelonen laver en for lang række (range over 100.000)"),
    ('{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ d("x", 40) }}',
     "linje 3: skabelonen bruger for meget hukommelse (over 64 MB)"),
    ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
     "skabelonen kalder sig selv i det uendelige eller er for dybt indlejret"),
    ("{% include '01.md.j2' %}", "skabelonen kalder sig selv i det uendelige eller er for dybt indlejret"),
    ("{% if true %}" * 120 + "x" + "{% endif %}" * 120, "skabelonen har for mange blokke inden i hinanden"),
])
def test_every_way_to_a_huge_string_or_long_loop_hits_the_hard_limits(folder, line, problem):
    with pytest.raises(TemplateError) as info:
        render(folder, "# A {#a}\n\n" + line + "\n")
    prefix = "templates/01.md.j2, " if problem.startswith("linje") else "templates/01.md.j2: "
    assert str(info.value) == prefix + problem


def test_the_limits_hold_in_a_watcher_thread(folder):
    """The preview renders in a thread, where a signal-based timer would never fire."""
    outcome = []

    def work():
        try:
            render(folder, "# A {#a}\n{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n")
        except TemplateError as exc:
            outcome.append(str(exc))

    started = time.monotonic()
    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert outcome == ["templates/01.md.j2, linje 2: skabelonen løber i ring eller arbejder for længe (over 1 s)"]
    assert time.monotonic() - started < 10


def test_a_step_stuck_in_one_c_call_is_killed_and_the_next_render_works(folder, monkeypatch):
    """time.sleep ignores the child's own stop signal: the parent kills the child."""
    assert render(folder, "# A {#a}\n\nFør.\n") == "# A {#a}\n\nFør.\n"  # the child is up
    monkeypatch.setattr(sandbox, "STARTUP", 0.0)  # the job has no steps: its whole run is one
    started = time.monotonic()
    with pytest.raises(sandbox.Exceeded) as info:
        sandbox.run(time.sleep, (60,), Limits(seconds=0.3, memory=64 * 2**20, grace=0.3))
    assert (info.value.kind, info.value.step) == ("tid", None) and time.monotonic() - started < 10
    monkeypatch.undo()
    assert render(folder, "# A {#a}\n\nEfter.\n") == "# A {#a}\n\nEfter.\n"


# ---------------------------------------------------------------- §3 disclosure
# The rules at their boundaries, in process: tests/test_disclosure.py. Here the whole pipeline.


def test_diskretion_min_below_3_in_program_yaml_stops_the_build(copy_project):
    path = copy_project / "data/fakta/program.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("diskretion_min: 5", "diskretion_min: 2"), encoding="utf-8")
    assert cli(copy_project, "figures") == (2, "fejl: data/fakta/program.yaml, nøgle 'diskretion_min': skal være mindst 3\n")


def test_a_renamed_and_symlinked_register_folder_is_checked_like_any_other(copy_project):
    """Register data is known by its role in the contract, not by the path 'data/register/'."""
    register = copy_project / "data/register"
    register.rename(copy_project / "data/reg-kopi")
    register.symlink_to("reg-kopi")
    path = register / "flytninger.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0]] + [r[:3] + [("3" if r[1] == r[2] == "almen afdeling" else "40") if r[0] == "2004" else "0"]
                                  for r in rows[1:]])
    assert cli(copy_project, "figures") == (
        2, "fejl: register.flytninger.almen_til_almen: tælleren er 3 (under 5); tallet må ikke offentliggøres "
           "(diskretion_min i data/fakta/program.yaml)\n")


# ---------------------------------------------------------------- §3 hæfte register aggregate
PERSON_HEADER = "person_id,aar,afdeling_id,husstand_id,alder,kompetencegivende_uddannelse,beskaeftiget,ikke_vestlig,husstandsindkomst"


def microdata(folder: Path, cells: dict) -> tuple[Path, Path]:
    """Persons living in 2010 in afdelinger, some of them moved in from elsewhere.

    ``cells``: afdeling -> (movers in, of them adults, of the adults with education); adult
    movers are all employed, no mover is of non-Western origin. Every afdeling also has 40 adult
    residents: 20 with education, 20 employed, 20 of non-Western origin."""
    persons, move_rows, pid = [PERSON_HEADER], ["person_id,aar,fra_afdeling,til_afdeling,fra_almen,til_almen"], 0
    for afd, (movers, adults, educated) in cells.items():
        for i in range(40):
            pid += 1
            persons.append(f"{pid},2010,{afd},{pid},30,{int(i < 20)},{int(i % 2 == 0)},{int(i < 20)},200000")
        for i in range(movers):
            pid += 1
            adult = i < adults
            persons.append(f"{pid},2010,{afd},{pid},{30 if adult else 10},{int(adult and i < educated)},"
                           f"{int(adult)},0,200000")
            move_rows.append(f"{pid},2010,,{afd},false,true")
    (folder / "personer.csv").write_text("\n".join(persons) + "\n", encoding="utf-8")
    (folder / "flytninger.csv").write_text("\n".join(move_rows) + "\n", encoding="utf-8")
    return folder / "personer.csv", folder / "flytninger.csv"


def published(folder: Path) -> list[str]:
    """The (afdeling, group) of each row of beboere.csv."""
    return [f"{r[0]} {r[2]}" for r in read_rows(folder / "beboere.csv")[1:]]


def test_register_cells_of_2_3_4_and_5_persons(tmp_path):
    from hæfte import register

    cells = {"A2": (2, 2, 0), "A3": (3, 3, 0), "A4": (4, 4, 0), "A5": (5, 5, 0), "B": (40, 40, 20), "C": (40, 40, 20)}
    p, m = microdata(tmp_path, cells)
    report = register.aggregate(p, m, tmp_path / "ud", minimum=5)
    # the 2-, 3- and 4-person cells are withheld; 5 adults none of whom educated leave 5 without
    # education: published. Three hidden cells adding up to 9 protect each other.
    assert [r for r in published(tmp_path / "ud") if "tilflyttere" in r] == ["A5 tilflyttere", "B tilflyttere",
                                                                          "C tilflyttere"]
    assert (report.withheld, report.secondary) == (3, 0)


def test_a_small_cell_of_person_years_without_an_afdeling_is_withheld_too(tmp_path):
    """Person-years with no afdeling (an empty afdeling_id, NULL to DuckDB) form a cell of their
    own: its 4 persons are withheld like any other 4, though NULL matches nothing in a join."""
    from hæfte import register

    p, m = microdata(tmp_path, {"B": (40, 40, 20), "C": (40, 40, 20)})
    with open(p, "a", encoding="utf-8") as persons:
        for pid in range(9001, 9005):
            persons.write(f"{pid},2010,,{pid},30,1,1,0,200000\n")
    report = register.aggregate(p, m, tmp_path / "ud", minimum=5)
    assert published(tmp_path / "ud") == ["B beboere", "B tilflyttere", "C beboere", "C tilflyttere"]
    assert report.withheld == 1


def test_register_complements_persons_minus_adults_and_adults_minus_educated(tmp_path):
    from hæfte import register

    cells = {"K4": (10, 6, 0), "K5": (10, 5, 0), "U4": (10, 10, 6), "U5": (10, 10, 5), "B": (40, 40, 20),
             "C": (40, 40, 20)}
    p, m = microdata(tmp_path, cells)
    register.aggregate(p, m, tmp_path / "ud", minimum=5)
    # K4: 4 children (persons − adults); U4: 4 adults without education (remainder 4, minimum 5)
    assert [r for r in published(tmp_path / "ud") if "tilflyttere" in r] == ["B tilflyttere", "C tilflyttere",
                                                                          "K5 tilflyttere", "U5 tilflyttere"]


def test_a_withheld_cell_cannot_be_recovered_from_the_moves_total(tmp_path):
    """53 moves into almene afdelinger in flytninger.csv minus the published 20 + 30 would give
    the withheld 3 of afdeling A: the smallest other cell (B, 20) is withheld as well."""
    from hæfte import register

    p, m = microdata(tmp_path, {"A": (3, 3, 0), "B": (20, 20, 10), "C": (30, 30, 15)})
    report = register.aggregate(p, m, tmp_path / "ud", minimum=5)
    assert [r for r in published(tmp_path / "ud") if "tilflyttere" in r] == ["C tilflyttere"]
    assert read_rows(tmp_path / "ud/flytninger.csv") == [["aar", "fra", "til", "flytninger"],
                                                          ["2010", "anden bolig", "almen afdeling", "53"]]
    assert (report.withheld, report.secondary) == (2, 1)


def test_a_large_cell_withheld_for_its_complement_is_protected_too(tmp_path):
    """K has 10 in-movers, 4 of them children: withheld. 60 moves minus 20 + 30 would give its 10
    (and so its 4 children with the published adults), so B is withheld as well."""
    from hæfte import register

    p, m = microdata(tmp_path, {"B": (20, 20, 10), "C": (30, 30, 15), "K": (10, 6, 0)})
    report = register.aggregate(p, m, tmp_path / "ud", minimum=5)
    assert [r for r in published(tmp_path / "ud") if "tilflyttere" in r] == ["C tilflyttere"]
    assert (report.withheld, report.secondary) == (3, 1)  # K's residents (4 children) too


def test_a_withheld_moves_row_cannot_be_recovered_from_the_in_movers(tmp_path):
    """3 moves from one almen afdeling to another are withheld; the in-movers (20 + 30 + 3 = 53 of
    which 50 from elsewhere) would give them back, so the smallest in-mover cell is withheld."""
    from hæfte import register

    p, m = microdata(tmp_path, {"B": (20, 20, 10), "C": (30, 30, 15)})
    persons = p.read_text(encoding="utf-8").splitlines()
    moves = m.read_text(encoding="utf-8").splitlines()
    for i in range(3):  # three persons in C moved in from another almen afdeling
        pid = 9000 + i
        persons.append(f"{pid},2010,C,{pid},30,1,1,0,200000")
        moves.append(f"{pid},2010,B,C,true,true")
    p.write_text("\n".join(persons) + "\n", encoding="utf-8")
    m.write_text("\n".join(moves) + "\n", encoding="utf-8")
    report = register.aggregate(p, m, tmp_path / "ud", minimum=5)
    flyt = read_rows(tmp_path / "ud/flytninger.csv")
    assert flyt == [["aar", "fra", "til", "flytninger"], ["2010", "anden bolig", "almen afdeling", "50"]]
    # the 3 are out-movers of B too (a cell of 3: withheld), which then needs its own complement
    assert [r for r in published(tmp_path / "ud") if r.endswith("flyttere")] == ["C tilflyttere"]
    assert (report.moves_withheld, report.secondary) == (1, 1)


@pytest.mark.parametrize("args,message", [
    (("--min", "2"), "fejl: --min er 2; mindst 3 kræves (Danmarks Statistiks regel for offentliggjorte registertal)\n"),
    (("--memory", "1GB'; COPY (SELECT 1) TO 'x.csv'; --"),
     "fejl: --memory '1GB'; COPY (SELECT 1) TO 'x.csv'; --': skal være et tal med enhed, fx 1500MB eller 2GB\n"),
])
def test_register_options_are_validated_not_pasted_into_sql(tmp_path, args, message):
    p, m = microdata(tmp_path, {"B": (20, 20, 10)})
    code, err = cli(tmp_path, "register", "aggregate", "--personer", str(p), "--flytninger", str(m),
                    "--out", str(tmp_path / "ud"), *args)
    assert (code, err) == (2, message)
    assert not (tmp_path / "ud").exists() and not (tmp_path / "x.csv").exists()


def test_register_file_names_with_quotes_are_read_as_names(tmp_path):
    from hæfte import register

    p, m = microdata(tmp_path, {"B": (20, 20, 10), "C": (30, 30, 15)})
    odd = tmp_path / "it's'; DROP TABLE x; --.csv"
    p.rename(odd)
    report = register.aggregate(odd, m, tmp_path / "u'd", minimum=5)
    assert report.rows == 4 and published(tmp_path / "u'd") == ["B beboere", "B tilflyttere", "C beboere",
                                                                 "C tilflyttere"]
    with pytest.raises(HaefteError) as info:
        register.aggregate(tmp_path / "*.csv", m, tmp_path / "ud")
    assert str(info.value) == f"{tmp_path / '*.csv'}: filen findes ikke"


@pytest.mark.parametrize("rel,message", [
    ("data/register/flytninger.csv", "data/register/flytninger.csv er ikke en almindelig fil, men en mappe, et "
                                     "navngivet rør eller en enhed: datafilen skal være en fil"),
    ("data/fakta/program.yaml", "data/fakta/program.yaml er ikke en almindelig fil, men en mappe, et navngivet rør "
                                "eller en enhed: faktafilen skal være en fil"),
])
def test_a_named_pipe_for_a_data_file_is_refused_at_once(copy_project, rel, message):
    """Reading a named pipe waits for a writer for ever: the build names it instead of hanging."""
    import os

    from hæfte import pipeline
    from hæfte.project import Project

    (copy_project / rel).unlink()
    os.mkfifo(copy_project / rel)
    with pytest.raises(ProjectError) as info:
        pipeline.results(Project.find(copy_project))
    assert str(info.value) == message


def test_a_named_pipe_among_the_templates_is_refused_at_once(copy_project, results):
    import os

    from hæfte.checker import typed_digits

    os.mkfifo(copy_project / "templates/99_x.md.j2")
    assert typed_digits(copy_project / "templates") == []  # the check reads no pipe either
    with pytest.raises(TemplateError) as info:
        Renderer(copy_project / "templates", project_root=copy_project).render(results)
    assert str(info.value) == ("templates/99_x.md.j2: skabelonen '99_x.md.j2' er et navngivet rør eller en enhed, "
                               "ikke en fil")
