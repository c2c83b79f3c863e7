"""The web version: the booklet's Markdown as a responsive, accessible HTML page with its assets.

In:  the booklet's Markdown, the results (figures, chart tables, ``publikation``), the charts'
     ``Drawing``s and ``styles/`` (``web.html``, ``web.css``, ``fonts.css``, ``web.js``, fonts).
Out: ``web/index.html`` with ``web/assets/`` and ``web/figurer/`` (each chart's print SVG and its
     data as CSV) inside the staging folder, and further pages (the figure catalogue, the change
     report) with the same template.

The Markdown stays what the lock and the check read; the page is made from pandoc's HTML here:

- every quoted number is plain text while reading, and a link to its entry in the figure
  catalogue once the reader turns on "Vis kilder" (one switch, no tab stop per number);
- charts are inline SVG with live text in the page's fonts, a wide and a narrow drawing (the
  style sheet shows the one that fits), named by the caption and described by the text
  alternative, with a CSV of their data;
- a two-level table of contents, the publication's details and citation from
  ``publikation.yaml`` (an "UDKAST" banner naming what is unknown), citation metadata for
  library systems and search engines, and wide tables laid out as cards on narrow screens.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from hæfte import figurelink
from hæfte import format as fmt
from hæfte.write.pandoc import pandoc_html
from hæfte.write.resources import check_web_resources
from hæfte.write.svg import inline_svg

PDF = "haefte.pdf"  # the one published PDF (tagged, for print and screen readers)
FONTS_PRELOADED = ("source-serif-4-latin-400-normal.woff2", "source-sans-3-latin-400-normal.woff2",
                   "source-sans-3-latin-600-normal.woff2")

_FIGURE = re.compile(r'<figure class="(figur(?: unummereret)?)" id="figur-([\w-]+)">(.*?)</figure>', re.S)
_HEADING = re.compile(r"<h([12])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)
_TAGS = re.compile(r"<[^>]+>")
_SIZE = re.compile(r'(<span class="filstoerrelse" data-fil="([^"]+)">)[^<]*(</span>)')


def _text(fragment: str) -> str:
    """The text of an HTML fragment, unescaped and on one line."""
    return " ".join(html.unescape(_TAGS.sub("", fragment)).split())


def _attr(attrs: str, name: str) -> str:
    m = re.search(rf'\b{name}="([^"]*)"', attrs)
    return m.group(1) if m else ""


# ------------------------------------------------------------------ the quoted numbers
def provenance(body: str, definitions: dict[str, str]) -> str:
    """Each quoted number twice: as text (shown while reading) and as a link to the figure
    catalogue (shown when "Vis kilder" is on). Hidden elements take no tab stop and are not
    read, so a keyboard or screen-reader user meets the links only after asking for them; the
    link text names the figure, so a list of links makes sense out of context."""
    def swap(m: re.Match) -> str:
        figure_id, shown = m.group(1), m.group(2)
        what = definitions.get(html.unescape(figure_id), "")
        hidden = f'<span class="skjult">, kilde: {html.escape(what)}</span>' if what else ""
        return (f'<span class="tal"><span class="tal-tekst">{shown}</span>'
                f'<a class="tal-kilde" href="{figurelink.CATALOGUE_PAGE}#{figure_id}">{shown}{hidden}</a></span>')
    return figurelink.HTML.sub(swap, body)


def reading_text(page: str) -> str:
    """The text a reader reads in the booklet (``main``, sources off), for ``hæfte check``:
    without the chart drawings (their numbers are in the data table beside them) and without
    the source links (they repeat the number with its definition)."""
    main = re.search(r"<main\b[^>]*>(.*?)</main>", page, re.S)
    body = main.group(1) if main else page
    body = re.sub(r"<svg\b.*?</svg>", " ", body, flags=re.S)
    body = re.sub(r'<a class="tal-kilde".*?</a>', " ", body, flags=re.S)
    return html.unescape(_TAGS.sub(" ", body))


# ------------------------------------------------------------------ charts
def _figure(classes: str, chart_id: str, inner: str, drawing, title: str) -> str:
    alt = re.search(r'<img [^>]*alt="([^"]*)"[^>]*>', inner)
    caption = re.search(r"<figcaption>(.*?)</figcaption>", inner, re.S)
    caption_text = _text(caption.group(1)) if caption else title
    description = html.unescape(alt.group(1)) if alt else ""
    drawings = "".join(
        inline_svg(data, f"{chart_id}-{name}", caption_text, description, f"diagram-{name}")
        for name, data in (("bred", drawing.wide), ("smal", drawing.narrow)))
    inner = re.sub(r"<img [^>]*>", lambda _: f'<div class="diagram">{drawings}</div>', inner, count=1)
    number = re.search(r'<span class="figurnr">Figur (\d+)\.</span>', inner)
    which = f"figur {number.group(1)}" if number else f"figuren »{html.escape(title)}«"
    download = (f'<p class="hent-data"><a href="figurer/{chart_id}.csv" type="text/csv" download>'
                f"Hent tallene bag {which} (CSV)</a></p>")
    return f'<figure class="{classes}" id="figur-{chart_id}">{inner}{download}\n</figure>'


def inline_charts(body: str, drawings: dict, titles: dict[str, str]) -> str:
    return _FIGURE.sub(lambda m: _figure(m.group(1), m.group(2), m.group(3), drawings[m.group(2)],
                                         titles.get(m.group(2), "")) if m.group(2) in drawings else m.group(0), body)


# ------------------------------------------------------------------ navigation and tables
def table_of_contents(body: str) -> str:
    """Chapters (h1) and their sections (h2), in a disclosure that phones keep closed."""
    chapters: list[tuple[str, str, list[tuple[str, str]]]] = []
    for m in _HEADING.finditer(body):
        level, attrs, text = m.group(1), m.group(2), _text(m.group(3))
        anchor, classes = _attr(attrs, "id"), _attr(attrs, "class").split()
        if not anchor or "unlisted" in classes:
            continue
        if level == "1":
            chapters.append((anchor, text, []))
        elif chapters:
            chapters[-1][2].append((anchor, text))
    items = []
    for anchor, text, sections in chapters:
        sub = "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in sections)
        items.append(f'<li><a href="#{anchor}">{html.escape(text)}</a>' + (f"<ol>{sub}</ol>" if sub else "") + "</li>")
    return (f'<nav class="toc" id="toc" aria-label="Indholdsfortegnelse"><details class="toc-fold">'
            f'<summary>Indhold</summary><ol>{"".join(items)}</ol></details></nav>')


def _break_points(fragment: str) -> str:
    """Line-break opportunities in ids, paths and hashes ('kommuner.ka.perioden',
    'data/survey/kommuner.csv', 'sha256:…'), so narrow columns wrap at their dots and slashes
    rather than inside words; never inside a number ('1.234')."""
    parts = re.split(r"(<[^>]+>)", fragment)
    return "".join(p if p.startswith("<") else re.sub(r"(\.(?=[^\W\d])|[/:_](?=\w))", r"\1<wbr>", p)
                   for p in parts)


def card_tables(page: str) -> str:
    """Wide tables (the figure catalogue) become one card per row on narrow screens: every cell
    gets its column's name to show, and explicit roles keep the table's meaning for screen
    readers when the style sheet changes how the cells are laid out."""
    def one(m: re.Match) -> str:
        head, _, rows = m.group(0).partition("<tbody>")
        names = [_text(h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', head, re.S)]

        def row(rm: re.Match) -> str:
            cells = iter(names)

            def cell(cm: re.Match) -> str:
                role = "rowheader" if cm.group(1) == "th" else "cell"
                return f'<{cm.group(1)}{cm.group(2)} role="{role}" data-label="{html.escape(next(cells, ""))}">'
            return re.sub(r"<(td|th)((?:\s[^>]*)?)>", cell, rm.group(0)).replace("<tr", '<tr role="row"', 1)
        head = (head.replace('<table class="katalog">', '<table class="katalog kort" role="table">', 1)
                .replace("<thead>", '<thead role="rowgroup">').replace("<tr>", '<tr role="row">')
                .replace('<th scope="col"', '<th scope="col" role="columnheader"'))
        rows = re.sub(r"<tr\b.*?</tr>", row, rows, flags=re.S)
        return head + '<tbody role="rowgroup">' + _break_points(rows)
    return re.sub(r'<table class="katalog">.*?</table>', one, page, flags=re.S)


def scroll_tables(body: str) -> str:
    """Tables written in the text (the method note's) scroll inside their own box on a narrow
    screen instead of widening the page; the box is a named region a keyboard can reach, so its
    hidden columns can be scrolled to (WCAG 1.4.10, 2.1.1). The figures' data tables sit in their
    <details> and the catalogue becomes cards: they are left as they are."""
    count = iter(range(1, 1000))

    def wrap(m: re.Match) -> str:
        table = m.group(0)
        if not re.search(r"<caption\b", table):
            return f'<div class="tabel-rulle" role="region" tabindex="0" aria-label="Tabel">{table}</div>'
        # named by its caption as the browser reads it: the hidden twin of a quoted number
        # (provenance) is left out, as a text copy of the caption could not
        ident = f"tabel-{next(count)}"
        table = re.sub(r"<caption\b", f'<caption id="{ident}"', table, count=1)
        return f'<div class="tabel-rulle" role="region" tabindex="0" aria-labelledby="{ident}">{table}</div>'
    parts = re.split(r"(<details\b.*?</details>)", body, flags=re.S)
    return "".join(part if part.startswith("<details") else re.sub(r"<table\b(?![^>]*katalog).*?</table>", wrap, part,
                                                                   flags=re.S) for part in parts)


# ------------------------------------------------------------------ the publication
def _unknown(what: str) -> str:
    return f'<span class="ukendt">{html.escape(what + " ukendt" if what else "ukendt")}</span>'


def citation(pub) -> str:
    """'Sådan citerer du', from what the data know; an unknown part says so, never 'None'."""
    authors = html.escape(fmt.words(pub.forfattere)) if pub.forfattere else _unknown("forfattere")
    year = str(pub.aar) if pub.aar else _unknown("år")
    where = f" {html.escape(pub.url)}" if pub.url else ""
    isbn = f" e-ISBN {html.escape(pub.eisbn)}." if pub.eisbn else (f" ISBN {html.escape(pub.isbn)}." if pub.isbn else "")
    return (f"{authors} ({year}): <cite>{html.escape(pub.titel)} {html.escape(pub.undertitel)}</cite>. "
            f"{html.escape(pub.udgiver)}.{isbn}{where}")


def byline(pub) -> str:
    who = f"Af {html.escape(fmt.words(pub.forfattere))}" if pub.forfattere else _unknown("Forfattere")
    when = (f"Udgivet {fmt.long_date(pub.udgivelsesdato)}" if pub.udgivelsesdato
            else (f"Udgivet {pub.aar}" if pub.aar else _unknown("Udgivelsesdato")))
    return f'<p class="byline">{who} · {when} · {html.escape(pub.udgiver)}</p>'


def pdf_link(css_class: str) -> str:
    return (f'<a class="{css_class}" href="{PDF}" type="application/pdf">Hent hæftet '
            f'<span class="filinfo">(PDF<span class="filstoerrelse" data-fil="{PDF}"></span>)</span></a>')


def draft_banner(pub) -> str:
    if not pub.draft:
        return ""
    missing = fmt.words(pub.missing())
    return (f'<div class="udkast"><p><strong>UDKAST</strong> – ikke en udgivet version. Ukendt i '
            f"publikation.yaml: {html.escape(missing)}.</p></div>")


def _row(label: str, value: str | None) -> str:
    return f"<dt>{label}</dt><dd>{value if value else _unknown('')}</dd>"


def publication_footer(pub) -> str:
    escape = html.escape
    report = pub.rapport
    report_text = None
    if report.titel:
        report_text = escape(report.titel) + (f" ({report.aar})" if report.aar else "")
        if report.url:
            report_text = f'<a href="{escape(report.url)}">{report_text}</a>'
        if report.isbn:
            report_text += f", ISBN {escape(report.isbn)}"
    statement = (f'<a href="{escape(pub.tilgaengelighedserklaering)}">Tilgængelighedserklæring for webversionen</a>'
                 if pub.tilgaengelighedserklaering else
                 '<span class="ukendt">Tilgængelighedserklæring: adressen mangler (udkast)</span>')
    rows = [
        _row("Forfattere", escape(fmt.words(pub.forfattere)) if pub.forfattere else None),
        _row("Udgivet", fmt.long_date(pub.udgivelsesdato) if pub.udgivelsesdato else (str(pub.aar) if pub.aar else None)),
        _row("Udgiver", escape(pub.udgiver)),
        _row("Serie", escape(pub.serie) if pub.serie else None),
        _row("ISBN (trykt)", escape(pub.isbn) if pub.isbn else None),
        _row("e-ISBN", escape(pub.eisbn) if pub.eisbn else None),
        _row("Bygger på", report_text),
        _row("Layout", escape(pub.layout) if pub.layout else None),
        _row("Tryk", escape(pub.tryk) if pub.tryk else None),
        _row("Datagrundlag", escape(pub.datagrundlag)),
    ]
    return (f'<footer class="udgivelse" aria-labelledby="om-udgivelsen"><div class="udgivelse-indre">'
            f'<h2 id="om-udgivelsen">Om udgivelsen</h2><dl>{"".join(rows)}</dl>'
            f'<h2 id="citer">Sådan citerer du</h2><p class="citat">{citation(pub)}</p>'
            f'<h2 id="hent">Hent og læs</h2><ul class="hent-liste"><li>{pdf_link("pdf")}</li>'
            f'<li><a href="katalog.html">Figurkataloget: hvert tal med definition og kilde</a></li>'
            f"<li>{statement}</li></ul></div></footer>")


def citation_metadata(pub) -> str:
    """Highwire ``citation_*`` tags (Google Scholar, Zotero) and schema.org JSON-LD; an
    unknown value is left out, never written as 'None'."""
    tags = [("citation_title", f"{pub.titel} {pub.undertitel}"), ("citation_publisher", pub.udgiver),
            ("citation_language", pub.sprog)]
    tags += [("citation_author", a) for a in pub.forfattere or []]
    if pub.udgivelsesdato:
        tags.append(("citation_publication_date", pub.udgivelsesdato.strftime("%Y/%m/%d")))
    elif pub.aar:
        tags.append(("citation_publication_date", str(pub.aar)))
    tags += [("citation_isbn", v) for v in (pub.isbn, pub.eisbn) if v]
    if pub.serie:
        tags.append(("citation_series_title", pub.serie))
    tags.append(("citation_pdf_url", (pub.url.rstrip("/") + "/" + PDF) if pub.url else PDF))
    meta = "".join(f'<meta name="{k}" content="{html.escape(v)}">' for k, v in tags)
    book: dict = {"@context": "https://schema.org", "@type": "Book", "name": pub.titel,
                  "alternativeHeadline": pub.undertitel, "inLanguage": pub.sprog, "description": pub.beskrivelse,
                  "publisher": {"@type": "Organization", "name": pub.udgiver}}
    if pub.forfattere:
        book["author"] = [{"@type": "Person", "name": a} for a in pub.forfattere]
    if pub.udgivelsesdato or pub.aar:
        book["datePublished"] = pub.udgivelsesdato.isoformat() if pub.udgivelsesdato else str(pub.aar)
    if pub.url:
        book["url"] = pub.url
    if pub.serie:
        book["isPartOf"] = {"@type": "CreativeWorkSeries", "name": pub.serie}
    editions = [{"@type": "Book", "bookFormat": "https://schema.org/" + form, "isbn": isbn}
                for form, isbn in (("Paperback", pub.isbn), ("EBook", pub.eisbn)) if isbn]
    if editions:
        book["workExample"] = editions
    book["encoding"] = {"@type": "MediaObject", "encodingFormat": "application/pdf", "contentUrl": PDF}
    # "<" escaped so no value can close the data block
    data = json.dumps(book, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return meta + f'<script type="application/ld+json">{data}</script>'


# ------------------------------------------------------------------ writing
def copy_assets(styles: Path, web: Path) -> None:
    """One style sheet (the font faces first, no @import chain), the script and the fonts."""
    assets = web / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    css = (styles / "fonts.css").read_text(encoding="utf-8") + "\n" + (styles / "web.css").read_text(encoding="utf-8")
    (assets / "web.css").write_text(css, encoding="utf-8")
    shutil.copy2(styles / "web.js", assets / "web.js")
    shutil.copytree(styles / "fonts", assets / "fonts", dirs_exist_ok=True)


def _page(markdown: str, styles: Path, title: str, variables: dict[str, str]) -> str:
    preload = "".join(f'<link rel="preload" href="assets/fonts/{name}" as="font" type="font/woff2" crossorigin>'
                      for name in FONTS_PRELOADED)
    return pandoc_html(markdown, styles / "web.html", title, toc=False, markup={"forhaand": preload, **variables})


def write_web(markdown: str, styles: Path, stage: Path, results, drawings: dict) -> Path:
    from hæfte import charts
    from hæfte.contract import Publication

    pub = Publication.model_validate(results.facts["publikation"])
    web = stage / "web"
    (web / "figurer").mkdir(parents=True, exist_ok=True)
    for chart_id, drawing in drawings.items():
        # the print HTML takes its charts from here (text as outlines); the page draws inline
        (web / "figurer" / f"{chart_id}.svg").write_bytes(drawing.print_svg)
        (web / "figurer" / f"{chart_id}.csv").write_text(charts.csv_data(chart_id, results), encoding="utf-8")
    copy_assets(styles, web)
    switch = ('<label class="kilder-knap"><input type="checkbox" role="switch" id="vis-kilder" '
              'aria-describedby="kilder-hjaelp"> Vis kilder</label><span class="skjult" id="kilder-hjaelp">Tallene '
              "i teksten bliver til links til figurkataloget med deres definition og kilde.</span>")
    page = _page(markdown, styles, pub.titel, {
        "beskrivelse": html.escape(pub.beskrivelse), "metadata": citation_metadata(pub),
        "titel": html.escape(pub.titel), "byline": byline(pub), "handlinger": switch + pdf_link("top-pdf"),
        "udkast": draft_banner(pub), "sidefod": publication_footer(pub), "hjem": "index.html",
    })
    head, body = page.split("<main", 1)
    definitions = {f.id: f.definition for f in results.figures.values()}
    titles = {cid: results.tables[c.table].title for cid, c in charts.CHARTS.items() if c.table in results.tables}
    body = scroll_tables(inline_charts(provenance(body, definitions), drawings, titles))
    toc = table_of_contents(body.split("</main>", 1)[0])
    page = head.replace("<!--indhold-->", toc) + "<main" + body
    (web / "index.html").write_text(page, encoding="utf-8")
    link_downloads(web)
    check_web_resources(web / "index.html", styles.parent / "templates")
    return web / "index.html"


def write_page(markdown: str, styles: Path, target: Path, title: str) -> Path:
    """Another page of the web version (the figure catalogue, the change report), with the same
    template and styles, and a way back to the booklet."""
    copy_assets(styles, target.parent)
    page = _page(markdown, styles, title, {
        "titel": html.escape(title), "hjem": "index.html",
        "handlinger": '<a class="top-tilbage" href="index.html">Tilbage til hæftet</a>',
    })
    target.write_text(card_tables(page), encoding="utf-8")
    check_web_resources(target, styles.parent / "templates")
    return target


def link_downloads(web: Path) -> None:
    """Write each download's size beside its link, once the file is there (the PDF is laid out
    after the web page; a rebuilt PDF gets its new size even when the page itself is reused)."""
    page_path = web / "index.html"
    page = page_path.read_text(encoding="utf-8")

    def size(m: re.Match) -> str:
        path = web / html.unescape(m.group(2))
        shown = ", " + fmt.file_size(path.stat().st_size) if path.is_file() else ""
        return m.group(1) + shown + m.group(3)
    new = _SIZE.sub(size, page)
    if new != page:
        page_path.write_text(new, encoding="utf-8")
