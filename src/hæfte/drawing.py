"""Draw the charts with matplotlib (imported here only, so text-only work stays light).

In:  a chart's ``Table`` from the results and the vendored fonts in ``styles/fonts``.
Out: SVG bytes with text as outlines in Source Sans 3, numbers through ``hæfte.format``, and
     fixed metadata so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator, MultipleLocator  # noqa: E402

from hæfte import format as fmt  # noqa: E402
from hæfte.charts import series  # noqa: E402
from hæfte.errors import ProjectError  # noqa: E402
from hæfte.results import Figure, Table  # noqa: E402

DARK = "#0b3a5b"  # dark blue
LIGHT = "#d07f14"  # amber: ≥ 3:1 against DARK and against white, also in greyscale
INK = "#222222"
GRID = "#d9d9d9"
FONT = "Source Sans 3"


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


def plain_label(text: str) -> str:
    """A label from data as plain text: matplotlib would read "$…$" as mathtext (formulas,
    symbols, even a parse error that stops the build); an escaped dollar is drawn as a dollar."""
    return str(text).replace("$", r"\$")


def _style() -> dict:
    return {
        "font.family": FONT, "font.size": 9, "axes.edgecolor": INK, "axes.labelcolor": INK,
        "xtick.color": INK, "ytick.color": INK, "axes.spines.top": False, "axes.spines.right": False,
        "svg.fonttype": "path", "svg.hashsalt": "hæfte", "axes.titlesize": 9, "axes.titleweight": 600,
    }


def _percent_scale(ax, which: str, top: int, step: int, label: str) -> None:
    """The value axis of a bar chart: 0 to ``top`` pct., Danish tick labels, light grid lines."""
    axis = ax.xaxis if which == "x" else ax.yaxis
    (ax.set_xlim if which == "x" else ax.set_ylim)(0, top)
    axis.set_major_locator(MultipleLocator(step))
    axis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v)))
    axis.set_label_text(label)
    ax.grid(axis=which, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


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
    labels = [plain_label(fmt.capitalize(r[0])) for r in table.rows][::-1]
    first = [r[1] for r in table.rows][::-1]
    ever = [r[2] for r in table.rows][::-1]
    fig, ax = plt.subplots(figsize=(6.0, 3.4))
    y = range(len(labels))
    h = 0.38
    b2 = ax.barh([i + h / 2 for i in y], [float(f.percent) for f in ever], h, color=LIGHT,
                 label=plain_label(table.columns[2]))
    b1 = ax.barh([i - h / 2 for i in y], [float(f.percent) for f in first], h, color=DARK,
                 label=plain_label(table.columns[1]))
    _bar_label(ax, b1, first, True)
    _bar_label(ax, b2, ever, True)
    ax.set_yticks(list(y), labels)
    _percent_scale(ax, "x", 100, 20, "Procent af kommunerne")
    ax.legend(handles=[b1, b2], loc="lower right", frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def draw_attitudes(table: Table) -> plt.Figure:
    labels = [plain_label(r[0]) for r in table.rows]
    fig, ax = plt.subplots(figsize=(6.0, 3.0))
    x = range(len(labels))
    w = 0.38
    colours = (DARK, LIGHT)
    for i, name in enumerate(table.columns[1:]):
        figures = [r[i + 1] for r in table.rows]
        bars = ax.bar([j + (i - 0.5) * w for j in x], [float(f.percent) for f in figures], w,
                      color=colours[i % 2], label=plain_label(name))
        _bar_label(ax, bars, figures, False)
    ax.set_xticks(list(x), labels)
    _percent_scale(ax, "y", 60, 10, "Procent")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def _value(f: Figure | None) -> float:
    """The exact value in the chart's unit (pct. or 1.000 kr.): lines show data, not rounding."""
    if f is None:
        return float("nan")  # a gap in the line
    return float(f.value) * 100 if f.kind == "andel" else float(f.value) / 1000


def draw_social_mix(table: Table) -> plt.Figure:
    indicators, years, data = series(table)
    fig, axes = plt.subplots(2, 2, figsize=(6.0, 4.4), sharex=True)
    for ax, ind in zip(axes.flat, indicators):
        med, uden = data[ind]["med"], data[ind]["uden"]
        ax.plot(years, [_value(f) for f in med], color=DARK, linewidth=1.8, label=plain_label(table.columns[2]))
        ax.plot(years, [_value(f) for f in uden], color=LIGHT, linewidth=1.8, linestyle=(0, (4, 2)),
                label=plain_label(table.columns[3]))
        is_share = next(f for f in med + uden if f is not None).kind == "andel"
        ax.set_title(plain_label(fmt.capitalize(ind)) + (" (pct.)" if is_share else " (1.000 kr.)"), loc="left")
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 5, 10], integer=True))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.number(v)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.year(int(v))))
        ax.set_xticks(years[::3])
        low = min(_value(f) for f in med + uden if f is not None)
        high = max(_value(f) for f in med + uden if f is not None)
        pad = (high - low) * 0.6 + (2 if is_share else 10)
        ax.set_ylim(max(0, low - pad), high + pad)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
    axes.flat[0].legend(frameon=False, fontsize=7.5, loc="upper left")
    fig.tight_layout()
    return fig




def svg(draw, table: Table, fonts_dir: Path) -> bytes:
    _load_fonts(fonts_dir)
    with plt.rc_context(_style()):
        fig = draw(table)
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": "hæfte"})
        plt.close(fig)
    return buf.getvalue()
