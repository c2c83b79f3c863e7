"""Draw the booklet's charts from the results object, with Danish number formatting.

In:  ``Results`` (chart data are its tables: ``figur1``, ``vurdering.samlet``,
     ``socialmix.beboere``) and the vendored fonts in ``styles/fonts``.
Out: one SVG per chart (text as outlines, so it looks the same in every browser and in the
     PDF), a Danish text alternative made from the data, and the data as an HTML table.

Every number on an axis, a bar or in a table goes through ``hæfte.format``. The palette has
two colours that differ in lightness as well as hue, so they stay apart in greyscale and for
colour-blind readers; the social-mix lines also differ in dash pattern.
"""

from __future__ import annotations

import html
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator  # noqa: E402

from hæfte import format as fmt  # noqa: E402
from hæfte.errors import ProjectError  # noqa: E402
from hæfte.results import Figure, Results, Table  # noqa: E402

DARK = "#1b4f72"  # dark blue
LIGHT = "#e39b2d"  # amber: lighter than DARK in greyscale
INK = "#222222"
GRID = "#d9d9d9"
FONT = "Source Sans 3"
SOURCES = {
    "data/survey/kommuner": "Spørgeskema til kommunerne",
    "data/survey/helhedsplaner": "Spørgeskema til forretningsførerne",
    "data/register": "Registerdata fra Danmarks Statistik",
}


@dataclass(frozen=True)
class Chart:
    id: str
    table: str
    draw: Callable[[Table, plt.Axes | None], plt.Figure]
    describe: Callable[[Table], str]


def _load_fonts(fonts_dir: Path) -> None:
    """matplotlib reads TrueType, not WOFF2: convert the vendored fonts once per process."""
    if any(f.name == FONT for f in font_manager.fontManager.ttflist):
        return
    from fontTools.ttLib import TTFont

    cache = Path(tempfile.mkdtemp(prefix="haefte-fonts-"))
    for woff in sorted(fonts_dir.glob("source-sans-3-latin-*-normal.woff2")):
        font = TTFont(str(woff))
        font.flavor = None
        # the web-font files all call their family "Source Sans 3 ExtraLight"; the weight is in OS/2
        font["name"].setName(FONT, 1, 3, 1, 0x409)
        font["name"].setName(FONT, 16, 3, 1, 0x409)
        target = cache / (woff.stem + ".ttf")
        font.save(str(target))
        font_manager.fontManager.addfont(str(target))
    if not any(f.name == FONT for f in font_manager.fontManager.ttflist):
        raise ProjectError(f"skrifttypen {FONT} mangler i {fonts_dir}")


def _style() -> dict:
    return {
        "font.family": FONT, "font.size": 9, "axes.edgecolor": INK, "axes.labelcolor": INK,
        "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False, "axes.spines.right": False,
        "svg.fonttype": "path", "svg.hashsalt": "hæfte", "axes.titlesize": 9, "axes.titleweight": 600,
    }


def _pct_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v)))


def _bar_label(ax, bars, figures: list[Figure], horizontal: bool) -> None:
    for bar, f in zip(bars, figures):
        text = fmt.number(f.percent)
        if horizontal:
            ax.annotate(text, (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8, color=INK)
        else:
            ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 2),
                        textcoords="offset points", ha="center", fontsize=8, color=INK)


def draw_tools(table: Table) -> plt.Figure:
    labels = [fmt.capitalize(r[0]) for r in table.rows][::-1]
    first = [r[1] for r in table.rows][::-1]
    ever = [r[2] for r in table.rows][::-1]
    fig, ax = plt.subplots(figsize=(6.0, 3.4))
    y = range(len(labels))
    h = 0.38
    b2 = ax.barh([i + h / 2 for i in y], [float(f.percent) for f in ever], h, color=LIGHT, label=table.columns[2])
    b1 = ax.barh([i - h / 2 for i in y], [float(f.percent) for f in first], h, color=DARK, label=table.columns[1])
    _bar_label(ax, b1, first, True)
    _bar_label(ax, b2, ever, True)
    ax.set_yticks(list(y), labels)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_locator(MultipleLocator(20))
    _pct_axis(ax.xaxis)
    ax.set_xlabel("Procent af kommunerne")
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(handles=[b1, b2], loc="lower right", frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def draw_attitudes(table: Table) -> plt.Figure:
    labels = [r[0] for r in table.rows]
    fig, ax = plt.subplots(figsize=(6.0, 3.0))
    x = range(len(labels))
    w = 0.38
    colours = (DARK, LIGHT)
    for i, name in enumerate(table.columns[1:]):
        figures = [r[i + 1] for r in table.rows]
        bars = ax.bar([j + (i - 0.5) * w for j in x], [float(f.percent) for f in figures], w,
                      color=colours[i % 2], label=name)
        _bar_label(ax, bars, figures, False)
    ax.set_xticks(list(x), labels)
    ax.set_ylim(0, 60)
    ax.yaxis.set_major_locator(MultipleLocator(10))
    _pct_axis(ax.yaxis)
    ax.set_ylabel("Procent")
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def _series(table: Table):
    indicators = list(dict.fromkeys(r[1] for r in table.rows))
    years = sorted({r[0] for r in table.rows})
    data = {ind: {"med": [], "uden": []} for ind in indicators}
    for r in table.rows:
        data[r[1]]["med"].append(r[2])
        data[r[1]]["uden"].append(r[3])
    return indicators, years, data


def _value(f: Figure) -> float:
    """The exact value in the chart's unit (pct. or 1.000 kr.): lines show data, not rounding."""
    return float(f.value) * 100 if f.kind == "andel" else float(f.value) / 1000


def draw_social_mix(table: Table) -> plt.Figure:
    indicators, years, data = _series(table)
    fig, axes = plt.subplots(2, 2, figsize=(6.0, 4.4), sharex=True)
    for ax, ind in zip(axes.flat, indicators):
        med, uden = data[ind]["med"], data[ind]["uden"]
        ax.plot(years, [_value(f) for f in med], color=DARK, linewidth=1.8, label=table.columns[2])
        ax.plot(years, [_value(f) for f in uden], color=LIGHT, linewidth=1.8, linestyle=(0, (4, 2)),
                label=table.columns[3])
        is_share = med[0].kind == "andel"
        ax.set_title(fmt.capitalize(ind) + (" (pct.)" if is_share else " (1.000 kr.)"), loc="left")
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10], integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.year(int(v))))
        ax.set_xticks(years[::3])
        low = min(_value(f) for f in med + uden)
        high = max(_value(f) for f in med + uden)
        pad = (high - low) * 0.6 + (2 if is_share else 10)
        ax.set_ylim(max(0, low - pad), high + pad)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
    axes.flat[0].legend(frameon=False, fontsize=7.5, loc="upper left")
    fig.tight_layout()
    return fig


def describe_tools(table: Table) -> str:
    parts = [f"{r[0]}: {fmt.pct(r[1].value)} i perioden og {fmt.pct(r[2].value)} i alt" for r in table.rows]
    return ("Vandret søjlediagram over andelen af kommunerne, der har brugt hvert udlejningsredskab i "
            "programperioden, og andelen, der har brugt det i perioden eller bruger det nu. "
            + fmt.capitalize("; ".join(parts)) + ".")


def describe_attitudes(table: Table) -> str:
    groups = []
    for i, name in enumerate(table.columns[1:]):
        values = ", ".join(f"{r[0].lower()} {fmt.pct(r[i + 1].value)}" for r in table.rows)
        groups.append(f"{name}: {values}")
    return ("Søjlediagram over, hvordan kommuner og boligorganisationer vurderer, at den samlede brug af "
            "udlejningsredskaber har bidraget til en mere balanceret beboersammensætning. "
            + ". ".join(groups) + ".")


def describe_social_mix(table: Table) -> str:
    indicators, years, data = _series(table)
    parts = []
    for ind in indicators:
        med, uden = data[ind]["med"], data[ind]["uden"]
        parts.append(f"{ind}: fra {med[0]} til {med[-1]} med redskaberne og fra {uden[0]} til {uden[-1]} uden")
    return (f"Fire kurvediagrammer over udviklingen {fmt.period(years[0], years[-1])} i afdelinger med og "
            "uden redskaberne. Kurverne følger hinanden tæt. " + fmt.capitalize("; ".join(parts)) + ".")


CHARTS = {
    "figur1": Chart("figur1", "figur1", draw_tools, describe_tools),
    "figur2": Chart("figur2", "vurdering.samlet", draw_attitudes, describe_attitudes),
    "socialmix": Chart("socialmix", "socialmix.beboere", draw_social_mix, describe_social_mix),
}


def source_line(table: Table, datagrundlag: str) -> str:
    names = [name for prefix, name in SOURCES.items() if prefix in table.source]
    return "Kilde: " + fmt.words(names) + f" ({datagrundlag})."


def svg(chart_id: str, results: Results, fonts_dir: Path) -> bytes:
    _load_fonts(fonts_dir)
    chart = CHARTS[chart_id]
    with plt.rc_context(_style()):
        fig = chart.draw(results.tables[chart.table])
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "hæfte"})
        plt.close(fig)
    return buf.getvalue()


def html_table(table: Table) -> str:
    """The chart's data as an accessible HTML table, every number through the formatter."""
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in table.columns)
    rows = []
    for r in table.rows:
        cells = [f'<th scope="row">{html.escape(str(r[0]))}</th>']
        for v in r[1:]:
            cells.append(f"<td>{html.escape(v.display if isinstance(v, Figure) else str(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="figurtabel"><caption>{html.escape(table.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def social_mix_table(table: Table) -> Table:
    """The social-mix series as a table a reader can scan: one row per year and indicator."""
    rows = tuple((f"{r[0]}, {r[1]}", r[2], r[3]) for r in table.rows)
    return Table(table.id, table.title, ("År og forhold",) + table.columns[2:], rows, table.source)


def figure_block(chart_id: str, number: int, caption: str, results: Results) -> str:
    """The raw HTML the Markdown gets for a chart: image, caption, source line and data table."""
    chart = CHARTS[chart_id]
    table = results.tables[chart.table]
    shown = social_mix_table(table) if chart_id == "socialmix" else table
    datagrundlag = results.facts["publikation"]["datagrundlag"]
    return (
        f'<figure class="figur" id="figur-{chart_id}">\n'
        f'<img src="figurer/{chart_id}.svg" alt="{html.escape(chart.describe(table))}">\n'
        f'<figcaption><span class="figurnr">Figur {number}.</span> {html.escape(caption)}</figcaption>\n'
        f'<p class="kilde">{html.escape(source_line(table, datagrundlag))}</p>\n'
        f'<details class="figurdata"><summary>Tallene bag figur {number}</summary>\n'
        f"{html_table(shown)}\n</details>\n</figure>\n"
    )
