"""The chart palette stays distinguishable in greyscale and for colour-blind readers."""

import numpy as np

from hæfte import drawing

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]])
PROTANOPIA = np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]])
TRITANOPIA = np.array([[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]])


def linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def luminance(rgb: np.ndarray) -> float:
    return float(np.clip(rgb, 0, 1) @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: float, b: float) -> float:
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def test_palette_contrast_in_greyscale_and_against_the_page():
    dark, light = luminance(linear(drawing.DARK)), luminance(linear(drawing.LIGHT))
    assert contrast(dark, light) >= 3.0  # the two series differ in lightness, so greyscale keeps them apart
    assert contrast(light, 1.0) >= 3.0 and contrast(dark, 1.0) >= 3.0  # WCAG 1.4.11 against white


def test_palette_survives_colour_blindness():
    for matrix in (DEUTERANOPIA, PROTANOPIA, TRITANOPIA):
        dark = luminance(matrix @ linear(drawing.DARK))
        light = luminance(matrix @ linear(drawing.LIGHT))
        assert contrast(dark, light) >= 2.5


# ---------------------------------------------------------------- every chart at print size
import re  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from hæfte import charts  # noqa: E402

LAYOUTS = [drawing.PRINT, drawing.NARROW]


@pytest.fixture(scope="module")
def drawn(project, results):
    """Every chart in every layout, as the matplotlib figure that is saved."""
    drawing._load_fonts(project.styles_dir / "fonts")
    figures = {}
    for chart_id, chart in charts.CHARTS.items():
        for layout in LAYOUTS:
            fig = drawing.figure(drawing.DRAW[chart_id], results.tables[chart.table], layout)
            fig.canvas.draw()  # lay out, so extents are final
            figures[chart_id, layout.name] = fig
    yield figures
    for fig in figures.values():
        plt.close(fig)


def texts(fig):
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_print_width_is_the_text_block_of_the_print_style_sheet(project):
    css = (project.styles_dir / "print.css").read_text(encoding="utf-8")
    page = re.search(r"@page\s*\{(.*?)\}", css, re.S).group(1)
    width = float(re.search(r"size:\s*([\d.]+)mm", page).group(1))
    margins = [float(m) for m in re.findall(r"([\d.]+)mm", re.search(r"margin:([^;]*);", page).group(1))]
    left, right = margins[3 if len(margins) == 4 else 1], margins[1]
    assert drawing.PRINT_WIDTH_MM == width - left - right == 114  # else the charts print scaled


@pytest.mark.parametrize("chart_id", list(charts.CHARTS))
def test_text_and_lines_hold_at_print_size(drawn, chart_id):
    """Drawn at the width it is printed, so sizes in the figure are sizes on paper."""
    fig = drawn[chart_id, "tryk"]
    assert fig.get_figwidth() == pytest.approx(drawing.PRINT_WIDTH_MM / 25.4)
    assert min(t.get_fontsize() for t in texts(fig)) >= 8  # ≥ 7 pt asked; the layout keeps 8
    legend_texts = [t for legend in fig.legends for t in legend.get_texts()]
    assert legend_texts and min(t.get_fontsize() for t in legend_texts) >= 8
    widths = [line.get_linewidth() for line in fig.findobj(Line2D) if line.get_visible() and line.get_linestyle() != "None"]
    widths += [line.get_markeredgewidth() for line in fig.findobj(Line2D) if line.get_visible() and line.get_marker() not in ("None", "", None)]
    widths += [s.get_linewidth() for ax in fig.axes for s in ax.spines.values() if s.get_visible()]
    assert min(widths) >= 0.5


@pytest.mark.parametrize("layout", ["tryk", "smal"])
@pytest.mark.parametrize("chart_id", list(charts.CHARTS))
def test_legend_is_outside_every_plot_area(drawn, chart_id, layout):
    """No grid line runs through a legend: it sits above the axes, not inside them."""
    fig = drawn[chart_id, layout]
    renderer = fig.canvas.get_renderer()
    (legend,) = fig.legends
    box = legend.get_window_extent(renderer)
    for ax in fig.axes:
        assert not box.overlaps(ax.get_window_extent(renderer)), (chart_id, layout)


@pytest.mark.parametrize("layout", ["tryk", "smal"])
@pytest.mark.parametrize("chart_id", ["figur1", "figur2"])
def test_legend_reads_in_the_order_the_bars_are_drawn(drawn, results, chart_id, layout):
    fig = drawn[chart_id, layout]
    (legend,) = fig.legends
    labels = [t.get_text() for t in legend.get_texts()]
    containers = {c.get_label(): c for c in fig.axes[0].containers}
    first = {label: containers[label].patches[0] for label in labels}
    horizontal = chart_id == "figur1" or layout == "smal"
    # horizontal bars: the legend top to bottom (its rows) follows the bars top to bottom;
    # vertical bars: the legend left to right follows the bars left to right
    order = sorted(labels, key=(lambda k: -first[k].get_y()) if horizontal else (lambda k: first[k].get_x()))
    assert labels == order == list(results.tables[charts.CHARTS[chart_id].table].columns[1:])


@pytest.mark.parametrize("layout", ["tryk", "smal"])
def test_social_mix_panels_share_one_range_rule_and_three_ticks(drawn, layout):
    fig = drawn["socialmix", layout]
    assert len(fig.axes) == 4
    for ax in fig.axes:
        bottom, top = ax.get_ylim()
        yticks = [t for t in ax.get_yticks() if bottom <= t <= top]
        xticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        assert bottom == 0 and yticks[0] == 0 and yticks[-1] == top  # charts.Y_RULE: from zero
        assert len(yticks) >= 3 and xticks == [2004, 2007, 2010, 2013]
        assert max(line.get_ydata().max() for line in ax.get_lines()) <= top
    assert charts.Y_RULE == "Alle y-akser begynder ved nul."


def test_narrow_layout_stacks_the_panels_and_lays_bars_down(drawn):
    stacked = drawn["socialmix", "smal"].axes
    assert len({round(ax.get_position().x0, 3) for ax in stacked}) == 1  # one column
    assert [t.get_text() for t in drawn["figur2", "smal"].axes[0].get_yticklabels()] == [
        "I høj grad", "I nogen grad", "I ringe grad", "Slet ikke", "Ved ikke"]
    assert [t.get_text() for t in drawn["figur2", "tryk"].axes[0].get_xticklabels()] == [
        "I høj grad", "I nogen grad", "I ringe grad", "Slet ikke", "Ved ikke"]
