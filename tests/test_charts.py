"""Charts: drawn from the results, Danish numbers, reproducible SVG, text alternatives."""

from hæfte import charts


def test_svg_is_reproducible_and_self_contained(project, results):
    first = charts.svg("figur1", results, project.styles_dir / "fonts")
    again = charts.svg("figur1", results, project.styles_dir / "fonts")
    assert first == again
    text = first.decode("utf-8")
    assert text.startswith("<?xml") and "<svg" in text
    assert "<text" not in text  # text is drawn as outlines in the vendored font: same look everywhere
    assert "DejaVu" not in text


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
