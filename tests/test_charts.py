"""Charts: drawn from the results, Danish numbers, reproducible SVG, text alternatives, CSV."""

import pytest

from hæfte import charts


@pytest.fixture(scope="module")
def figur1(project, results):
    return charts.draw("figur1", results, project.styles_dir / "fonts")


CHILD = """
import pickle, sys
from pathlib import Path
from hæfte import charts
results = pickle.loads(Path(sys.argv[1]).read_bytes())
drawing = charts.draw("figur1", results, Path(sys.argv[2]))
for name in ("print_svg", "wide", "narrow"):
    Path(sys.argv[3], name + ".svg").write_bytes(getattr(drawing, name))
"""


def test_a_drawing_is_byte_identical_when_made_in_another_process(project, results, figur1, tmp_path):
    """Two renders in one process share matplotlib's state, font cache and hash seed: the second
    is drawn in a fresh interpreter with another hash seed, its own font cache and folder."""
    import os
    import pickle
    import subprocess
    import sys

    (tmp_path / "results.pickle").write_bytes(pickle.dumps(results))
    env = {**os.environ, "PYTHONHASHSEED": "4242", "MPLCONFIGDIR": str(tmp_path / "mpl")}
    subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "results.pickle"), str(project.styles_dir / "fonts"),
                    str(tmp_path)], cwd=tmp_path, env=env, check=True, timeout=300)
    for name in ("print_svg", "wide", "narrow"):
        assert (tmp_path / f"{name}.svg").read_bytes() == getattr(figur1, name), name


def test_drawings_are_outlined_for_print_and_live_text_for_the_web(figur1):
    printed = figur1.print_svg.decode("utf-8")
    assert printed.startswith("<?xml") and "<svg" in printed
    assert "<text" not in printed  # outlines: the PDF holds only the vendored fonts
    for web in (figur1.wide, figur1.narrow):
        text = web.decode("utf-8")
        assert ">Kommunal anvisning</text>" in text or ">Kommunal</text>" in text
        assert ">87</text>" in text and "DejaVu" not in text
    assert 'width="323.149606pt"' in printed  # drawn at the printed width: 114 mm


def test_text_alternative_is_made_from_the_data(results):
    alt = charts.CHARTS["figur1"].describe(results.tables["figur1"])
    assert "Kommunal anvisning: 78\u00a0pct. i perioden og 87\u00a0pct. i alt" in alt
    alt2 = charts.CHARTS["figur2"].describe(results.tables["vurdering.samlet"])
    assert alt2.startswith("Søjlediagram over, hvordan kommuner og boligorganisationer vurderer")
    assert "Kommuner: i høj grad 13\u00a0pct., i nogen grad 42\u00a0pct." in alt2


def test_data_table_uses_the_one_formatter(results):
    table = charts.html_table(results.tables["figur1"])
    assert '<th scope="row">Kommunal anvisning</th><td>78\u00a0pct.</td><td>87\u00a0pct.</td>' in table
    assert table.startswith('<table class="figurtabel"><caption>')


def test_figure_block_has_caption_source_and_data(results):
    block = charts.figure_block("figur2", 3, "Vurderinger. Procent.", results)
    assert '<img src="figurer/figur2.svg" alt="Søjlediagram over' in block
    assert '<figcaption><span class="figurnr">Figur 3.</span> Vurderinger. Procent.</figcaption>' in block
    assert ('<p class="kilde">Kilde: Spørgeskema til kommunerne og spørgeskema til forretningsførerne '
            "(rekonstrueret referencedata).</p>") in block
    assert "<summary>Tallene bag figur 3</summary>" in block


def test_social_mix_states_its_range_rule(results):
    block = charts.figure_block("socialmix", 2, "Det sociale mix.", results)
    assert ('</figcaption>\n<p class="kilde anm">Anm.: Alle y-akser begynder ved nul.</p>\n'
            '<p class="kilde">Kilde: Registerdata') in block
    assert "Anm.:" not in charts.figure_block("figur1", 1, "Brug.", results)


def test_csv_holds_every_value_with_counts_and_catalogue_id(results):
    text = charts.csv_data("figur1", results)
    lines = text.split("\r\n")
    assert lines[0] == "\ufeffRedskab;Serie;Værdi;Enhed;Tæller;Grundlag;Id i figurkataloget"
    assert lines[1] == "Kommunal anvisning;Brugt i 2006–2010;78,3;pct.;36;46;kommuner.ka.perioden"
    assert lines[2] == "Kommunal anvisning;Brugt i perioden eller i dag;86,7;pct.;39;45;kommuner.ka.nogensinde"
    assert len(lines) == 1 + 2 * len(results.tables["figur1"].rows) + 1  # a header, two values a row, final newline
    mix = charts.csv_data("socialmix", results).split("\r\n")
    assert mix[0] == "\ufeffÅr;Forhold;Serie;Værdi;Enhed;Tæller;Grundlag;Id i figurkataloget"
    assert mix[1] == ("2004;Andel med kompetencegivende uddannelse;Med kommunal anvisning eller fleksibel udlejning;"
                      "50,4;pct.;33924;67337;register.serie.beboere.uddannelse.med.2004")
    income = next(line for line in mix if "indkomst" in line)
    assert income == ("2004;Gennemsnitlig husstandsindkomst;Med kommunal anvisning eller fleksibel udlejning;"
                      "225878;kr.;;53497;register.serie.beboere.indkomst.med.2004")
