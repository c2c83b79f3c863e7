"""One assertion per figure printed in the booklet: its display after rounding, and its base."""

import pytest

from published import PUBLISHED


@pytest.mark.parametrize("claim,figure_id,display,numerator,base", PUBLISHED,
                         ids=[f"{c}-{f}" for c, f, *_ in PUBLISHED])
def test_published_figure(results, claim, figure_id, display, numerator, base):
    figure = results[figure_id]
    assert figure.display == display
    assert figure.numerator == numerator
    assert figure.base == base


def test_program_amount_is_the_exact_grant(results):
    assert results["program.bevilling"].value == 2_200_000_000


def test_every_share_carries_definition_source_and_population(results):
    shares = [f for f in results.figures.values() if f.kind == "andel" and f.numerator is not None]
    assert len(shares) > 100
    for f in shares:
        assert f.definition and f.source.startswith("data/") and f.population, f.id
        assert 0 <= f.numerator <= f.base


def test_case_tool_lists_have_the_booklets_lengths(results):
    lengths = {c["kommune"]: len(c["redskaber"]) for c in results.facts["cases"]}
    # C04 København 5 tools, C08 Odense 3, C11 Aalborg 5
    assert lengths["København"] == 5 and lengths["Odense"] == 3 and lengths["Aalborg"] == 5


def test_the_four_with_full_anvisningsret(results):
    # U07: Albertslund, Ballerup, Hvidovre og Ishøj
    assert results.facts["anvisningsret_100"] == ["Albertslund", "Ballerup", "Hvidovre", "Ishøj"]


def test_the_largest_municipalities(results):
    assert sorted(results.facts["stoerste_kommuner"]) == ["Aalborg", "Aarhus", "København", "Odense"]


def test_figures_are_read_only(results):
    with pytest.raises(TypeError):
        results.figures["kommuner.antal"] = None
    with pytest.raises(AttributeError):
        results["kommuner.antal"].value = 47
