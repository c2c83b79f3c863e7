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


@pytest.mark.parametrize("survey", ["kommuner", "helhedsplaner"])
def test_tool_use_bases_recounted_from_the_answers(results, project, survey):
    """Every tool-use share recounted from the survey file with the csv module, by the booklet's
    convention: Ja and Nej are valid answers, Ved ikke and blank are not; 'ever used' is Ja if
    either item is Ja and Nej only if both are Nej."""
    import csv

    with open(project.root / f"data/survey/{survey}.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    tools = sorted({name.rsplit("_", 1)[0] for name in rows[0] if name.endswith("_pt")})
    assert len(tools) >= 6
    for tool in tools:
        for item in ("perioden", "pt"):
            valid = [r[f"{tool}_{item}"] for r in rows if r[f"{tool}_{item}"] in ("Ja", "Nej")]
            figure = results[f"{survey}.{tool}.{item}"]
            assert (figure.numerator, figure.base) == (valid.count("Ja"), len(valid)), figure.id
        pairs = [(r[f"{tool}_perioden"], r[f"{tool}_pt"]) for r in rows]
        ever_yes = sum(1 for p in pairs if "Ja" in p)
        ever_no = sum(1 for p in pairs if p == ("Nej", "Nej"))
        figure = results[f"{survey}.{tool}.nogensinde"]
        assert (figure.numerator, figure.base) == (ever_yes, ever_yes + ever_no), figure.id
    answers = {r[f"{tool}_{item}"] for r in rows for tool in tools for item in ("perioden", "pt")}
    # the municipalities' answers hold some outside the base: a base that took them in would differ
    assert answers == ({"Ja", "Nej", "Ved ikke", ""} if survey == "kommuner" else {"Ja", "Nej"})


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
