"""Disclosure control (``hæfte.disclosure``): each rule at its boundary, for the default minimum
5 and for Statistics Denmark's 3, on small in-process results (no build).

Every case below is one a mutation of the rules turns around: the numerator rule off by one
(``< minimum - 1``), the base rule deleted, the secondary rule off by one (a remainder of 4 under
minimum 5), a register figure not recognised as one.
"""

from __future__ import annotations

import pytest

from hæfte import disclosure
from hæfte.errors import DisclosureError
from hæfte.resultset import Figure, Results, Table, share

SOURCE = "data/register/flytninger.csv"
PATHS = {"flytninger": SOURCE, "beboere": "data/register/beboere.csv"}
SETTING = "diskretion_min i data/fakta/program.yaml"


def register_results(numerator: int | None, base: int, kind: str = "andel", source: str = SOURCE) -> Results:
    if kind == "andel":
        f = share("register.x", numerator, base, definition="d", source=source)
    else:
        f = Figure("register.x", 250000.0 if kind == "beloeb" else base, kind, "d", source, base=base)
    return Results(figures={"register.x": f}, tables={}, orderings={})


def refused(results: Results, minimum: int = 5, paths=PATHS) -> str | None:
    """The error text, or None when the figures may be published."""
    try:
        disclosure.check(results, paths, minimum)
    except DisclosureError as exc:
        return str(exc)
    return None


def numerator_message(n: int, minimum: int = 5) -> str:
    return f"register.x: tælleren er {n} (under {minimum}); tallet må ikke offentliggøres ({SETTING})"


def base_message(n: int, minimum: int = 5) -> str:
    return f"register.x: bygger på {n} enheder; mindst {minimum} kræves ({SETTING})"


def rest_message(rest: int, numerator: str, base: str, minimum: int = 5) -> str:
    return (f"register.x: de {rest} uden for tælleren kan findes ved at trække {numerator} fra grundlaget {base} "
            f"(sekundær diskretion; mindst {minimum} kræves, {SETTING})")


@pytest.mark.parametrize("numerator,base,kind,message", [
    # primary, numerator: 1 to 4 refused, 0 and 5 allowed
    (1, 100, "andel", numerator_message(1)),
    (3, 100, "andel", numerator_message(3)),
    (4, 100, "andel", numerator_message(4)),
    (5, 100, "andel", None),
    (0, 100, "andel", None),
    # primary, base: a base of 4 persons is refused before anything else is looked at
    (None, 4, "beloeb", base_message(4)),
    (None, 1, "beloeb", base_message(1)),
    (None, 5, "beloeb", None),
    (None, 4, "antal", base_message(4)),
    (4, 4, "andel", base_message(4)),  # the whole base is 4 persons: numerator 4 and remainder 0 would pass
    (0, 4, "andel", base_message(4)),
    (5, 5, "andel", None),  # 5 of 5: nobody outside the numerator to recover
    # secondary: the remainder base − numerator, 1 to 4 refused
    (96, 100, "andel", rest_message(4, "96", "100")),
    (99, 100, "andel", rest_message(1, "99", "100")),
    (95, 100, "andel", None),
    (100, 100, "andel", None),
    (5, 9, "andel", rest_message(4, "5", "9")),  # numerator and base both allowed, the remainder is not
    (5, 10, "andel", None),
    (1996, 2000, "andel", rest_message(4, "1.996", "2.000")),  # the message writes the numbers the Danish way
])
def test_the_rules_at_minimum_5(numerator, base, kind, message):
    assert refused(register_results(numerator, base, kind)) == message


@pytest.mark.parametrize("numerator,base,message", [
    (2, 100, numerator_message(2, 3)), (3, 100, None),
    (None, 2, base_message(2, 3)), (None, 3, None),
    (98, 100, rest_message(2, "98", "100", 3)), (97, 100, None),
])
def test_the_rules_at_statistics_denmarks_minimum_3(numerator, base, message):
    kind = "andel" if numerator is not None else "beloeb"
    assert refused(register_results(numerator, base, kind), minimum=3) == message


def test_the_minimum_cannot_go_below_statistics_denmarks_3():
    assert refused(register_results(50, 100), minimum=2) == (
        f"{SETTING} er 2; mindst 3 kræves (Danmarks Statistiks regel for offentliggjorte registertal)")
    assert refused(register_results(3, 100), minimum=3) is None


def test_small_is_one_to_minimum_minus_one():
    assert [n for n in range(0, 8) if disclosure.small(n, 5)] == [1, 2, 3, 4]
    assert [n for n in range(0, 8) if disclosure.small(n, 3)] == [1, 2]


def test_only_register_figures_are_checked():
    survey = register_results(2, 100, source="data/survey/kommuner.csv")
    assert refused(survey) is None
    # a figure computed from a survey file and a register file rests on the register too
    both = register_results(2, 100, source=f"data/survey/kommuner.csv, {SOURCE}")
    assert refused(both) == numerator_message(2)
    # register data is known by the contract's paths, whatever the folder is called
    moved = register_results(2, 100, source="data/reg-kopi/flyt.csv")
    assert refused(moved) is None
    assert refused(moved, paths={"flytninger": "data/reg-kopi/flyt.csv"}) == numerator_message(2)
    # every register table counts, not only the first
    for name in disclosure.REGISTER_TABLES:
        other = register_results(2, 100, source=f"data/x/{name}.csv")
        assert refused(other, paths={name: f"data/x/{name}.csv"}) == numerator_message(2), name


def test_figures_that_are_not_counts_are_not_checked():
    mean = Figure("register.x", 2.5, "gennemsnit", "d", SOURCE, base=2)
    assert refused(Results(figures={"register.x": mean}, tables={}, orderings={})) is None


def test_figures_in_a_register_table_are_checked_cell_by_cell():
    cells = (("2009", share("register.t.a", 40, 100, definition="d", source=SOURCE)),
             ("2010", share("register.t.b", 3, 100, definition="d", source=SOURCE)))
    table = Table("register.t", "T", ("aar", "andel"), cells, source=SOURCE)
    results = Results(figures={}, tables={"register.t": table}, orderings={})
    assert refused(results) == ("register.t.b: tælleren er 3 (under 5); tallet må ikke offentliggøres "
                                f"({SETTING})")
    survey = Table("survey.t", "T", ("aar", "andel"), cells, source="data/survey/kommuner.csv")
    assert refused(Results(figures={}, tables={"survey.t": survey}, orderings={})) is None


def test_register_figures_lists_each_register_figure_once():
    f = share("register.a", 40, 100, definition="d", source=SOURCE)
    g = share("survey.b", 40, 100, definition="d", source="data/survey/kommuner.csv")
    cell = share("register.t.c", 50, 100, definition="d", source=SOURCE)
    table = Table("register.t", "T", ("aar", "andel"), (("2010", cell),), source=SOURCE)
    results = Results(figures={"register.a": f, "survey.b": g}, tables={"register.t": table}, orderings={})
    assert [x.id for x in disclosure.register_figures(results, PATHS)] == ["register.a", "register.t.c"]


def test_a_figure_that_is_skipped_does_not_end_the_check():
    mean = Figure("register.a", 2.5, "gennemsnit", "d", SOURCE, base=2)
    amount = Figure("register.b", 250000.0, "beloeb", "d", SOURCE, base=100)  # a base, no numerator
    small_share = share("register.c", 3, 100, definition="d", source=SOURCE)
    results = Results(figures={"register.a": mean, "register.b": amount, "register.c": small_share}, tables={},
                      orderings={})
    assert refused(results) == ("register.c: tælleren er 3 (under 5); tallet må ikke offentliggøres "
                                f"({SETTING})")


def test_sources_are_separated_by_commas_with_or_without_spaces():
    tight = register_results(2, 100, source=f"{SOURCE},data/survey/kommuner.csv")
    assert refused(tight) == numerator_message(2)


def series(bases: dict[str, int]) -> Results:
    """Register shares by id, with the indicators' codes among the facts, as the pipeline has them;
    first a register figure without a base (a year), which the differencing rule passes over."""
    year = Figure("register.serie.beboere.indkomst.start", 2004, "aar", "d", "data/register/beboere.csv")
    figures = {year.id: year}
    figures |= {i: share(i, base // 2, base, definition="d", source="data/register/beboere.csv") for i, base in bases.items()}
    return Results(figures=figures, tables={}, orderings={},
                   facts={"indikator_koder": ["uddannelse", "beskaeftigelse", "ikke_vestlig", "indkomst"]})


@pytest.mark.parametrize("difference,message", [
    (2, "register.serie.beboere.ikke_vestlig.uden.2013: grundlaget 71.776 er 2 større end grundlaget 71.774 for "
        "register.serie.beboere.uddannelse.uden.2013, så de 2 kan findes ved at trække det ene fra det andet "
        f"(differensdiskretion; mindst 5 kræves, {SETTING})"),
    (4, "register.serie.beboere.ikke_vestlig.uden.2013: grundlaget 71.778 er 4 større end grundlaget 71.774 for "
        "register.serie.beboere.uddannelse.uden.2013, så de 4 kan findes ved at trække det ene fra det andet "
        f"(differensdiskretion; mindst 5 kræves, {SETTING})"),
    (5, None), (0, None),
])
def test_two_bases_that_differ_only_in_the_indicator_by_a_few_persons(difference, message):
    """The adults behind education and all persons behind origin, in the same year and series:
    2 persons outside the ages 25–64 are found by subtraction."""
    bases = {"register.serie.beboere.uddannelse.uden.2013": 71774,
             "register.serie.beboere.ikke_vestlig.uden.2013": 71774 + difference}
    assert refused(series(bases), paths={"beboere": "data/register/beboere.csv"}) == message


def test_bases_of_other_years_or_series_are_no_difference_to_protect():
    """Another year or the other series is another population: a difference of 2 reveals no one."""
    bases = {"register.serie.beboere.uddannelse.uden.2013": 71774,
             "register.serie.beboere.uddannelse.uden.2012": 71776,
             "register.serie.beboere.uddannelse.med.2013": 71777}
    assert refused(series(bases), paths={"beboere": "data/register/beboere.csv"}) is None
