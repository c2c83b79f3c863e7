"""Totals and parts shown together that disagree through rounding: the note and the check's list."""

from decimal import Decimal

from hæfte import charts, checker, rounding
from hæfte.builder import render_markdown
from hæfte.resultset import Results, Table, share

NOTE_BOTH = ("Anm.: Procenterne er afrundede og summerer derfor ikke altid til 100 eller til de samlede "
             "andele i teksten.")


def small_results() -> Results:
    """56 pct. in the text against 13 + 42 in a chart (the booklet's own case: 25, 6 and 19 of 45)."""
    figs = [share("x.positiv", 25, 45, definition="", source="data/survey/kommuner.csv"),
            share("x.svar.0", 6, 45, definition="", source="data/survey/kommuner.csv"),
            share("x.svar.1", 19, 45, definition="", source="data/survey/kommuner.csv"),
            share("x.svar.2", 20, 45, definition="", source="data/survey/kommuner.csv"),
            share("y.positiv", 10, 40, definition="", source="data/survey/kommuner.csv"),
            share("y.svar.0", 4, 40, definition="", source="data/survey/kommuner.csv"),
            share("y.svar.1", 6, 40, definition="", source="data/survey/kommuner.csv")]
    sums = [{"total": "x.positiv", "dele": ["x.svar.0", "x.svar.1"]},
            {"total": None, "dele": ["x.svar.0", "x.svar.1", "x.svar.2"]},
            {"total": "y.positiv", "dele": ["y.svar.0", "y.svar.1"]}]
    return Results({f.id: f for f in figs}, {}, {}, {"summer": sums})


def test_a_total_and_its_parts_that_disagree_are_found():
    r = small_results()
    found = rounding.mismatches(r, {f for f in r.figures})
    assert [m.describe(r) for m in found] == [
        "x.positiv 56 pct. ≠ 13 pct. + 42 pct. = 55 pct.",
        "100 pct. ≠ 13 pct. + 42 pct. + 44 pct. = 99 pct.",
    ]  # y: 10 + 15 = 25 agrees, so it is not listed
    assert rounding.note(found) == NOTE_BOTH


def test_only_what_a_reader_sees_together_counts():
    r = small_results()
    assert rounding.mismatches(r, {"x.svar.0", "x.svar.1"}) == []  # the total is not shown
    only_whole = rounding.mismatches(r, {"x.svar.0", "x.svar.1", "x.svar.2"})
    assert rounding.note(only_whole) == "Anm.: Procenterne er afrundede og summerer derfor ikke altid til 100."
    assert rounding.note([]) == ""


def test_figure_2_carries_the_note_when_the_text_quotes_the_total(results):
    quoted = frozenset({"kommuner.vurdering.samlet.positiv"})
    block = charts.figure_block("figur2", 2, "Vurderinger. Procent.", results, quoted)
    assert f'<p class="kilde anm">{NOTE_BOTH}</p>\n<p class="kilde">' in block
    # without the text's total the bars still do not add up to 100 (13 + 42 + 24 + 9 + 11 = 99)
    alone = charts.figure_block("figur2", 2, "Vurderinger. Procent.", results)
    assert '<p class="kilde anm">Anm.: Procenterne er afrundede og summerer derfor ikke altid til 100.</p>' in alone
    assert 'class="kilde anm"' not in charts.figure_block("figur1", 1, "Brug. Procent.", results)


def test_check_lists_the_pairs_in_the_booklet(project, results):
    rendered = render_markdown(project, results)
    assert checker.rounding_pairs(results, rendered) == [
        "100 pct. ≠ 13 pct. + 42 pct. + 24 pct. + 9 pct. + 11 pct. = 99 pct. (note under figur 2)",
        "kommuner.vurdering.samlet.positiv 56 pct. ≠ 13 pct. + 42 pct. = 55 pct. (note under figur 2)",
        "100 pct. ≠ 12 pct. + 39 pct. + 26 pct. + 11 pct. + 11 pct. = 99 pct. (note under figur 2)",
        "helhedsplaner.vurdering.samlet.positiv 52 pct. ≠ 12 pct. + 39 pct. = 51 pct. (note under figur 2)",
    ]
    assert f'<p class="kilde anm">{NOTE_BOTH}</p>' in rendered.markdown


def test_a_chart_carries_the_note_for_the_sums_whose_parts_it_draws():
    r = small_results()
    x = Table("x", "X", ("svar", "andel"), tuple((f"svar {i}", r[f"x.svar.{i}"]) for i in range(3)), "d")
    assert rounding.chart_figures(x) == {"x.svar.0", "x.svar.1", "x.svar.2"}
    both = rounding.for_chart(r, x, frozenset({"x.positiv"}))
    assert [(m.total, m.parts) for m in both] == [("x.positiv", ("x.svar.0", "x.svar.1")),
                                                 (None, ("x.svar.0", "x.svar.1", "x.svar.2"))]
    assert [m.total for m in rounding.for_chart(r, x, frozenset())] == [None]  # the total is not quoted
    # a chart that draws one part, the text quoting the other and the total: not this chart's note
    one = Table("x0", "X", ("svar", "andel"), (("svar 0", r["x.svar.0"]),), "d")
    assert rounding.for_chart(r, one, {"x.svar.1", "x.positiv"}) == []
    y = Table("y", "Y", ("svar", "andel"), (("svar 0", r["y.svar.0"]), ("svar 1", r["y.svar.1"]), ("i alt", None)), "d")
    assert rounding.for_chart(r, y, {"y.positiv"}) == []  # 10 + 15 = 25: they agree


def test_the_note_for_totals_in_the_text_alone():
    r = small_results()
    found = rounding.mismatches(r, {"x.positiv", "x.svar.0", "x.svar.1"})
    assert found == [rounding.Mismatch("x.positiv", ("x.svar.0", "x.svar.1"), Decimal(56), Decimal(55))]
    assert rounding.note(found) == ("Anm.: Procenterne er afrundede og summerer derfor ikke altid til de "
                                    "samlede andele i teksten.")


def test_results_without_declared_sums_have_no_mismatches():
    r = small_results()
    bare = Results(dict(r.figures), {}, {})
    assert rounding.mismatches(bare, set(r.figures)) == []
