"""Draw the booklet's charts from the results object, with Danish number formatting.

In:  ``Results`` (chart data are its tables: ``figur1``, ``vurdering.samlet``,
     ``socialmix.beboere``) and the vendored fonts in ``styles/fonts``.
Out: a ``Drawing`` per chart (an SVG for print with the text as outlines, and two SVGs with live
     text for the web: the print layout for wide screens, a narrow one for phones), a Danish
     text alternative made from the data, and the data as an HTML table and as CSV.

Every number on an axis, a bar or in a table goes through ``hæfte.format``. The palette has
two colours that differ in lightness as well as hue, so they stay apart in greyscale and for
colour-blind readers; the social-mix lines also differ in dash pattern.
"""

from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from hæfte import codec, format as fmt
from hæfte.resultset import Figure, Results, Table

# The one range rule for the value axes of every chart panel (drawing.zero_based_ticks keeps it; the
# social-mix chart states it in a note, "Anm.", as its panels have different units).
Y_RULE = "Alle y-akser begynder ved nul."

SOURCES = {  # written as in running text; the source line capitalises only its first word
    "data/survey/kommuner": "spørgeskema til kommunerne",
    "data/survey/helhedsplaner": "spørgeskema til forretningsførerne",
    "data/register": "registerdata fra Danmarks Statistik",
}


@dataclass(frozen=True)
class Chart:
    id: str
    table: str
    describe: Callable[[Table], str]


def describe_tools(table: Table) -> str:
    parts = [f"{r[0]}: {fmt.pct(r[1].value)} i perioden og {fmt.pct(r[2].value)} i alt" for r in table.rows]
    return ("Vandret søjlediagram over andelen af kommunerne, der har brugt hvert udlejningsredskab i "
            "programperioden, og andelen, der har brugt det i perioden eller bruger det i dag. "
            + fmt.capitalize("; ".join(parts)) + ".")


def describe_attitudes(table: Table) -> str:
    groups = []
    for i, name in enumerate(table.columns[1:]):
        values = ", ".join(f"{r[0].lower()} {fmt.pct(r[i + 1].value)}" for r in table.rows)
        groups.append(f"{name}: {values}")
    return ("Søjlediagram over, hvordan kommuner og boligorganisationer vurderer, at den samlede brug af "
            "udlejningsredskaber har medvirket til en mere balanceret beboersammensætning. "
            + ". ".join(groups) + ".")


def describe_social_mix(table: Table) -> str:
    indicators, years, data = table.series()
    parts = []
    for ind in indicators:
        med, uden = data[ind]["med"], data[ind]["uden"]
        shown = [str(f) if f is not None else "–" for f in (med[0], med[-1], uden[0], uden[-1])]
        parts.append(f"{ind}: fra {shown[0]} til {shown[1]} med redskaberne og fra {shown[2]} til {shown[3]} uden")
    return (f"Fire kurvediagrammer over udviklingen {fmt.period(years[0], years[-1])} i afdelinger med og "
            "uden redskaberne. Kurverne følger hinanden tæt. " + fmt.capitalize("; ".join(parts)) + ".")


CHARTS = {
    "figur1": Chart("figur1", "figur1", describe_tools),
    "figur2": Chart("figur2", "vurdering.samlet", describe_attitudes),
    "socialmix": Chart("socialmix", "socialmix.beboere", describe_social_mix),
}


def source_line(table: Table, datagrundlag: str) -> str:
    names = [name for prefix, name in SOURCES.items() if prefix in table.source]
    return "Kilde: " + fmt.capitalize(fmt.words(names)) + f" ({datagrundlag})."


@dataclass(frozen=True)
class Drawing:
    """One chart drawn three times: for print the text as outlines (the PDF then holds only the
    vendored fonts), for the web with live text in the print layout (wide screens) and in a
    narrow layout (phones: stacked panels, horizontal bars, larger type)."""

    print_svg: bytes
    wide: bytes
    narrow: bytes

    def parts(self) -> tuple[bytes, bytes, bytes]:
        return self.print_svg, self.wide, self.narrow


codec.register(Drawing)  # drawn charts are kept in the build cache


def draw(chart_id: str, results: Results, fonts_dir: Path) -> Drawing:
    from hæfte import drawing  # matplotlib is imported only to draw

    draw_chart, table = drawing.DRAW[chart_id], results.tables[CHARTS[chart_id].table]
    return Drawing(
        print_svg=drawing.svg(draw_chart, table, fonts_dir, drawing.PRINT, outlines=True),
        wide=drawing.svg(draw_chart, table, fonts_dir, drawing.PRINT, outlines=False),
        narrow=drawing.svg(draw_chart, table, fonts_dir, drawing.NARROW, outlines=False),
    )


def data_key(chart_id: str, results: Results) -> str:
    """What a chart depends on in the results: its table, cell by cell."""
    table = results.tables[CHARTS[chart_id].table]
    return repr((table.columns, table.rows))


def html_table(table: Table) -> str:
    """The chart's data as an accessible HTML table, every number through the formatter."""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in table.columns)
    rows = []
    for r in table.rows:
        cells = [f'<th scope="row">{html.escape(fmt.capitalize(str(r[0])))}</th>']
        for v in r[1:]:
            shown = v.display if isinstance(v, Figure) else ("–" if v is None else str(v))
            cells.append(f"<td>{html.escape(shown)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="figurtabel"><caption>{html.escape(table.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


UNITS = {"andel": ("pct.", 1), "beloeb": ("kr.", 0)}  # the unit and decimals a chart value has in its CSV
# A spreadsheet runs a cell starting with one of these as a formula ('=HYPERLINK(…)' from a codebook
# label): a "'" before it makes it text (OWASP, "CSV injection"). Only text cells get it: a number's
# minus is a minus.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_data(chart_id: str, results: Results) -> str:
    """A chart's data as CSV for a spreadsheet (semicolons, decimal comma, a byte-order mark so
    Excel reads UTF-8), one row per value: its labels, series, value, unit, numerator, base and
    its id in the figure catalogue."""
    table = results.tables[CHARTS[chart_id].table]
    series_at = [i for i, v in enumerate(table.rows[0]) if isinstance(v, Figure) or v is None]
    labels = [c for i, c in enumerate(table.columns) if i not in series_at]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_inert(c) for c in labels] + ["Serie", "Værdi", "Enhed", "Tæller", "Grundlag",
                                                   "Id i figurkataloget"])
    for row in table.rows:
        keys = [_inert(fmt.capitalize(v)) if isinstance(v, str) else fmt.capitalize(str(v))
                for i, v in enumerate(row) if i not in series_at]
        for i in series_at:
            f = row[i]
            if f is None:
                writer.writerow(keys + [_inert(table.columns[i]), "", "", "", "", ""])
                continue
            unit, decimals = UNITS.get(f.kind, ("", f.decimals))
            value = f.value * 100 if f.kind == "andel" else f.value
            writer.writerow(keys + [_inert(table.columns[i]), fmt.data_number(value, decimals), unit,
                                    "" if f.numerator is None else f.numerator,
                                    "" if f.base is None else f.base, f.id])
    return "\ufeff" + out.getvalue()


def social_mix_table(table: Table) -> Table:
    """The social-mix series as a table a reader can scan: one row per year and indicator."""
    rows = tuple((f"{r[0]}, {r[1]}", r[2], r[3]) for r in table.rows)
    return Table(table.id, table.title, ("År og forhold",) + table.columns[2:], rows, table.source)


def figure_block(chart_id: str, number: int | None, caption: str, results: Results,
                 quoted: frozenset[str] = frozenset()) -> str:
    """The raw HTML the Markdown gets for a chart: image, caption, a rounding note where shown
    numbers do not add up (``hæfte.rounding``; ``quoted`` are the figures the text quotes), source
    line and data table. ``number`` None: an unnumbered chart, which does not take a figure number."""
    from hæfte import rounding

    chart = CHARTS[chart_id]
    table = results.tables[chart.table]
    shown = social_mix_table(table) if chart_id == "socialmix" else table
    datagrundlag = results.facts["publikation"]["datagrundlag"]
    label = f'<span class="figurnr">Figur {number}.</span> ' if number is not None else ""
    rounded = rounding.note(rounding.for_chart(results, table, quoted)).removeprefix("Anm.: ")
    notes = ([Y_RULE] if chart_id == "socialmix" else []) + ([rounded] if rounded else [])
    return (
        f'<figure class="figur{"" if number is not None else " unummereret"}" id="figur-{chart_id}">\n'
        f'<img src="figurer/{chart_id}.svg" alt="{html.escape(chart.describe(table))}">\n'
        f"<figcaption>{label}{html.escape(caption)}</figcaption>\n"
        # "Anm." before "Kilde", as SFI's figures have it; styled as the source line in print
        + (f'<p class="kilde anm">Anm.: {html.escape(" ".join(notes))}</p>\n' if notes else "")
        + f'<p class="kilde">{html.escape(source_line(table, datagrundlag))}</p>\n'
        f'<details class="figurdata"><summary>Tallene bag {f"figur {number}" if number is not None else "figuren"}'
        f"</summary>\n{html_table(shown)}\n</details>\n</figure>\n"
    )
