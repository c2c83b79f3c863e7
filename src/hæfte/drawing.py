"""Draw the charts with matplotlib (imported here only, so text-only work stays light).

In:  a chart's ``Table`` from the results, a ``Layout`` (print, or the narrow web layout) and
     the vendored fonts in ``styles/fonts``.
Out: SVG bytes, numbers through ``hæfte.format`` and fixed metadata so the same data gives the
     same bytes; for print the text is drawn as outlines (the PDF then holds only the vendored
     fonts, as WeasyPrint does not load fonts inside SVG images), for the web it stays text
     (smaller, searchable, translatable, set in the page's own web fonts).

Rules every chart keeps, at the size it is drawn (tested in ``tests/test_drawing.py``):
text ≥ 7 pt (the layouts use 8 pt or more), lines ≥ 0.5 pt, legends outside the plot area (no
grid line runs through them) and in the order the series are drawn, at least 3 ticks on every
value axis, and every value axis starting at zero (``charts.Y_RULE``, stated under the social-mix chart).
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator  # noqa: E402

from hæfte import format as fmt  # noqa: E402
from hæfte import scratch  # noqa: E402
from hæfte.errors import ProjectError  # noqa: E402
from hæfte.resultset import Figure, Table  # noqa: E402

DARK = "#0b3a5b"  # dark blue
LIGHT = "#d07f14"  # amber: ≥ 3:1 against DARK and against white, also in greyscale
INK = "#222222"
GRID = "#d9d9d9"
FONT = "Source Sans 3"
PRINT_WIDTH_MM = 114  # the text block of styles/print.css: a 170 mm page less the 20 mm inner and 36 mm outer margin


@dataclass(frozen=True)
class Layout:
    """Where a chart is shown: its width and type sizes in points at the size it is drawn."""

    name: str
    width: float  # inches
    text: float  # tick labels, axis labels, value labels, legend
    title: float  # panel titles
    narrow: bool  # phones: panels in one column, categories as horizontal bars


# The printed booklet and wide screens (the web page scales it to the column, at least 1.5 ×).
PRINT = Layout("tryk", PRINT_WIDTH_MM / 25.4, text=8, title=8.5, narrow=False)
# Screens narrower than 560 CSS px: shown at 288–560 px, so 9 pt is 11–22 CSS px.
NARROW = Layout("smal", 3.2, text=9, title=9.5, narrow=True)
WEB_BREAKPOINT_PX = 560  # below it the page shows NARROW; keep in step with styles/web.css


def _load_fonts(fonts_dir: Path) -> None:
    """matplotlib reads TrueType, not WOFF2: convert the vendored fonts once per process."""
    if any(f.name == FONT for f in font_manager.fontManager.ttflist):
        return
    from fontTools.ttLib import TTFont

    cache = scratch.subfolder("skrifter-")
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


def style(layout: Layout, outlines: bool) -> dict:
    size = layout.text
    return {
        "font.family": FONT, "font.size": size, "axes.labelsize": size, "xtick.labelsize": size,
        "ytick.labelsize": size, "legend.fontsize": size, "axes.titlesize": layout.title,
        "axes.titleweight": "semibold",  # a name, not 600: matplotlib < 3.9 cannot write a number into live-text SVG
        "axes.edgecolor": INK, "axes.labelcolor": INK, "xtick.color": INK,
        "ytick.color": INK, "axes.spines.top": False, "axes.spines.right": False, "axes.linewidth": 0.8,
        "xtick.major.width": 0.8, "ytick.major.width": 0.8, "legend.frameon": False,
        "svg.fonttype": "path" if outlines else "none", "svg.hashsalt": "hæfte",
        # every label comes from data or the codebook: "$…$" must be drawn as written, never read
        # as mathtext (formulas, symbols, or a parse error that stops the build)
        "text.parse_math": False,
    }


def _figure(layout: Layout, height: float, rows: int = 1, cols: int = 1, **kw):
    return plt.subplots(rows, cols, figsize=(layout.width, height), layout="constrained", **kw)


def _percent_scale(ax, which: str, top: int, step: int, label: str) -> None:
    """The value axis of a bar chart: 0 to ``top`` pct., Danish tick labels, light grid lines."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xlim if which == "x" else ax.set_ylim)(0, top)
    axis.set_major_locator(MultipleLocator(step))
    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v)))
    axis.set_label_text(label)
    ax.grid(axis=which, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def _bar_label(ax, bars, figures: list[Figure], horizontal: bool, size: float) -> None:
    for bar, f in zip(bars, figures):
        text = fmt.number(f.percent)
        if horizontal:
            ax.annotate(text, (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(2, 0),
                        textcoords="offset points", va="center", fontsize=size, color=INK)
        else:
            ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 2),
                        textcoords="offset points", ha="center", fontsize=size, color=INK)


def _legend_above(fig, handles, layout: Layout, columns: int) -> None:
    """The legend above the plot, outside every axes (no grid line through it), its entries in
    the order the series are drawn: top to bottom in a group of horizontal bars, left to right
    in a group of vertical bars."""
    fig.legend(handles=handles, loc="outside upper left", ncols=columns, handlelength=1.6,
               borderaxespad=0.2, fontsize=layout.text)


def _grouped_hbars(ax, labels: list[str], series_: list[tuple[str, list[Figure]]], layout: Layout):
    """Horizontal bars, categories top to bottom in the table's order, and in each group the
    series top to bottom in the table's column order (so the legend reads as the bars do)."""
    n, k = len(labels), len(series_)
    h = 0.8 / k
    handles = []
    for j, (name, figures) in enumerate(series_):
        # category i sits at y = n - 1 - i (the first at the top); series j further down the group
        ys = [n - 1 - i + 0.4 - h * (j + 0.5) for i in range(n)]
        bars = ax.barh(ys, [float(f.percent) for f in figures], h, color=(DARK, LIGHT)[j % 2], label=name)
        _bar_label(ax, bars, figures, True, layout.text)
        handles.append(bars)
    ax.set_yticks([n - 1 - i for i in range(n)], labels)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-0.5, n - 0.5)
    return handles


def draw_tools(table: Table, layout: Layout = PRINT) -> plt.Figure:
    labels = [fmt.capitalize(r[0]) for r in table.rows]
    if layout.narrow:  # category names above the bars would cost height; they fit at the left
        labels = ["\n".join(textwrap.wrap(label, 14)) for label in labels]
    fig, ax = _figure(layout, 4.6 if layout.narrow else 3.3)
    handles = _grouped_hbars(ax, labels, [(table.columns[i], [r[i] for r in table.rows]) for i in (1, 2)], layout)
    _percent_scale(ax, "x", 100, 25 if layout.narrow else 20, "Procent af kommunerne")
    _legend_above(fig, handles, layout, 1 if layout.narrow else 2)
    return fig


def draw_attitudes(table: Table, layout: Layout = PRINT) -> plt.Figure:
    labels = [r[0] for r in table.rows]
    groups = [(name, [r[i + 1] for r in table.rows]) for i, name in enumerate(table.columns[1:])]
    if layout.narrow:  # five categories side by side would need 7 pt labels on a phone
        fig, ax = _figure(layout, 4.2)
        handles = _grouped_hbars(ax, labels, groups, layout)
        _percent_scale(ax, "x", 60, 20, "Procent")
        _legend_above(fig, handles, layout, 2)
        return fig
    fig, ax = _figure(layout, 2.9)
    x = range(len(labels))
    w = 0.38
    handles = []
    for i, (name, figures) in enumerate(groups):
        bars = ax.bar([j + (i - 0.5) * w for j in x], [float(f.percent) for f in figures], w,
                      color=(DARK, LIGHT)[i % 2], label=name)
        _bar_label(ax, bars, figures, False, layout.text)
        handles.append(bars)
    ax.set_xticks(list(x), labels)
    ax.tick_params(axis="x", length=0)
    _percent_scale(ax, "y", 60, 10, "Procent")
    _legend_above(fig, handles, layout, 2)
    return fig


def _value(f: Figure | None) -> float:
    """The exact value in the chart's unit (pct. or 1.000 kr.): lines show data, not rounding."""
    if f is None:
        return float("nan")  # a gap in the line
    return float(f.value) * 100 if f.kind == "andel" else float(f.value) / 1000


def zero_based_ticks(high: float) -> list[float]:
    """``charts.Y_RULE`` for one panel: from zero to the first tick at or above the data, 3 to 5 ticks."""
    ticks = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10], min_n_ticks=3).tick_values(0, high)
    ticks = [t for t in ticks if t >= 0]
    while ticks[-2] >= high:  # the locator may overshoot by a tick
        ticks.pop()
    return ticks


def draw_social_mix(table: Table, layout: Layout = PRINT) -> plt.Figure:
    indicators, years, data = table.series()
    rows, cols = (len(indicators), 1) if layout.narrow else (2, 2)
    fig, axes = _figure(layout, 1.45 * rows + 0.45 if layout.narrow else 4.3, rows, cols, sharex=True)
    handles = []
    for ax, ind in zip(axes.flat, indicators):
        med, uden = data[ind]["med"], data[ind]["uden"]
        handles = [
            ax.plot(years, [_value(f) for f in med], color=DARK, linewidth=1.8, label=table.columns[2])[0],
            ax.plot(years, [_value(f) for f in uden], color=LIGHT, linewidth=1.8, linestyle=(0, (4, 2)),
                    label=table.columns[3])[0],
        ]
        is_share = next(f for f in med + uden if f is not None).kind == "andel"
        # the unit after a no-break space: a wrapped title never leaves "kr.)" alone on a line
        title = fmt.capitalize(ind) + ("\u00a0(pct.)" if is_share else "\u00a0(1.000\u00a0kr.)")
        ax.set_title("\n".join(textwrap.wrap(title, 44 if layout.narrow else 32)), loc="left")
        ticks = zero_based_ticks(max(_value(f) for f in med + uden if f is not None))
        ax.set_ylim(0, ticks[-1])
        ax.set_yticks(ticks)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.year(int(v))))
        ax.set_xticks(years[::3])
        ax.tick_params(axis="x", labelbottom=True)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
    _legend_above(fig, handles, layout, 1 if layout.narrow else 2)
    return fig


# The drawing of each chart in ``charts.CHARTS``, by chart id (that module names no function, so
# it can be imported without matplotlib).
DRAW = {"figur1": draw_tools, "figur2": draw_attitudes, "socialmix": draw_social_mix}


def figure(draw, table: Table, layout: Layout, outlines: bool = False) -> plt.Figure:
    """The matplotlib figure as it is saved (for tests that measure it); close it after use."""
    with plt.rc_context(style(layout, outlines)):
        return draw(table, layout)


def svg(draw, table: Table, fonts_dir: Path, layout: Layout = PRINT, outlines: bool = True) -> bytes:
    _load_fonts(fonts_dir)
    with plt.rc_context(style(layout, outlines)):
        fig = draw(table, layout)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "hæfte"})
        plt.close(fig)
    return buf.getvalue()
