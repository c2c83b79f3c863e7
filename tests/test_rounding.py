"""Totals and parts shown together that disagree through rounding: the note and the check's list."""

from hæfte import charts, checker, rounding
from hæfte.builder import render_markdown
from hæfte.resultset import Results, share

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
    assert f'<p class="anm">{NOTE_BOTH}</p>\n<p class="kilde">' in block
    # without the text's total the bars still do not add up to 100 (13 + 42 + 24 + 9 + 11 = 99)
    alone = charts.figure_block("figur2", 2, "Vurderinger. Procent.", results)
    assert '<p class="anm">Anm.: Procenterne er afrundede og summerer derfor ikke altid til 100.</p>' in alone
    assert 'class="anm"' not in charts.figure_block("figur1", 1, "Brug. Procent.", results)


def test_check_lists_the_pairs_in_the_booklet(project, results):
    rendered = render_markdown(project, results)
    assert checker.rounding_pairs(results, rendered) == [
        "100 pct. ≠ 13 pct. + 42 pct. + 24 pct. + 9 pct. + 11 pct. = 99 pct. (note under figur 2)",
        "kommuner.vurdering.samlet.positiv 56 pct. ≠ 13 pct. + 42 pct. = 55 pct. (note under figur 2)",
        "100 pct. ≠ 12 pct. + 39 pct. + 26 pct. + 11 pct. + 11 pct. = 99 pct. (note under figur 2)",
        "helhedsplaner.vurdering.samlet.positiv 52 pct. ≠ 12 pct. + 39 pct. = 51 pct. (note under figur 2)",
    ]
    assert f'<p class="anm">{NOTE_BOTH}</p>' in rendered.markdown
