"""The social-mix comparison: the panel estimate, the equivalence test and the words they choose.

Small panels made for the purpose give each of the three outcomes; the booklet's templates are
then rendered with each outcome and must say what the evidence allows, no more.
"""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from hæfte.compute import panel
from hæfte.render import Renderer
from hæfte.resultset import Results

TREATED = {f"A{i:02d}" for i in range(0, 40, 2)}


def small_panel(afdelinger: int, effect: float, noise: float, seed: int = 1) -> pd.DataFrame:
    """A share per afdeling and year 2004–2009: own level, common trend, the effect from 2006 in
    the afdelinger that used the tools, and noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(afdelinger):
        afd, level = f"A{i:02d}", 0.4 + 0.01 * i
        for t, year in enumerate(range(2004, 2010)):
            treated = afd in TREATED and year >= 2006
            rows.append((afd, year, level + 0.003 * t + effect * treated + rng.normal(0, noise)))
    return pd.DataFrame(rows, columns=["afdeling_id", "aar", "vaerdi"])


def test_equivalence_shown_gives_stort_set_ingen_forskel():
    c = panel.compare(small_panel(40, effect=0.0, noise=0.002), TREATED, 2006, margin=0.02)
    assert -0.02 < c.ci90[0] < c.ci90[1] < 0.02
    assert (c.afdelinger, c.observations) == (40, 240)
    assert c.outcome == "stort set ingen forskel"


def test_a_clear_effect_gives_a_stated_difference():
    c = panel.compare(small_panel(40, effect=0.05, noise=0.002), TREATED, 2006, margin=0.02)
    assert c.estimate == pytest.approx(0.05, abs=0.002)
    assert c.ci95[0] > 0
    assert c.outcome == "forskel"


def test_noise_without_effect_gives_ingen_sikker_forskel():
    # six afdelinger and much noise: the interval holds zero but is wider than the margin
    c = panel.compare(small_panel(6, effect=0.0, noise=0.05), TREATED, 2006, margin=0.02)
    assert c.ci95[0] < 0 < c.ci95[1]
    assert c.ci90[0] < -0.02 or c.ci90[1] > 0.02
    assert c.outcome == "ingen sikker forskel"


def test_a_significant_but_tiny_difference_is_still_within_the_margin():
    # equivalence is about size: a difference of 0.3 procentpoint shown with precision is "stort set ingen"
    c = panel.compare(small_panel(40, effect=0.003, noise=0.0005), TREATED, 2006, margin=0.02)
    assert c.ci95[0] > 0
    assert c.outcome == "stort set ingen forskel"


def comparison(outcome: str) -> panel.Comparison:
    ci = {"stort set ingen forskel": (-0.001, 0.001), "forskel": (0.03, 0.05), "ingen sikker forskel": (-0.03, 0.03)}
    return panel.Comparison(0.0, 0.01, ci[outcome], ci[outcome], 0.02, 10, 60)


@pytest.mark.parametrize("outcomes,words", [
    (["stort set ingen forskel"] * 4, "stort set ingen forskel"),
    (["stort set ingen forskel"] * 3 + ["ingen sikker forskel"], "ingen sikker forskel"),
    (["stort set ingen forskel", "ingen sikker forskel", "forskel", "stort set ingen forskel"], "forskel"),
    ([], "ingen sikker forskel"),
])
def test_the_four_indicators_together(outcomes, words):
    assert [comparison(o).outcome for o in outcomes] == outcomes
    assert panel.conclusion([comparison(o) for o in outcomes]) == words


def rendered_with(results: Results, project, outcome: str) -> str:
    figures = dict(results.figures)
    figures["register.sammenligning"] = dataclasses.replace(figures["register.sammenligning"], value=outcome)
    changed = Results(figures, dict(results.tables), dict(results.orderings), dict(results.facts))
    rendered = Renderer(project.templates_dir, ("figur1", "figur2", "socialmix")).render(changed)
    # the findings' chapters; the method note explains all three wordings
    return " ".join(" ".join(s.markdown.split()) for s in rendered.sections if s.id in ("resultater", "socialt-mix"))


@pytest.mark.parametrize("outcome,must,must_not", [
    ("stort set ingen forskel",
     ["## Ingen synlig virkning", "Der er stort set ingen forskel på, hvordan beboersammensætningen har udviklet sig",
      "Analysen tyder på, at brugen af udlejningsredskaberne ikke har påvirket det sociale mix."],
     ["ingen sikker forskel", "har udviklet sig forskelligt"]),
    ("ingen sikker forskel",
     ["## Ingen sikker virkning", "Der er ingen sikker forskel på udviklingen i beboersammensætningen",
      "Analysen kan ikke vise, at brugen af udlejningsredskaberne har påvirket det sociale mix."],
     ["stort set ingen forskel på", "Ingen synlig virkning", "har udviklet sig forskelligt"]),
    ("forskel",
     ["## Forskelle i udviklingen", "Beboersammensætningen har udviklet sig forskelligt",
      "Analysen viser, at det sociale mix har udviklet sig forskelligt"],
     ["stort set ingen forskel på", "ingen sikker forskel", "synlig positiv virkning"]),
])
def test_the_booklet_says_what_the_test_found(results, project, outcome, must, must_not):
    text = rendered_with(results, project, outcome)
    for phrase in must:
        assert phrase in text, phrase
    for phrase in must_not:
        assert phrase not in text, phrase


def test_a_comparison_is_kept_for_its_exact_inputs_and_only_those():
    # many tests and a notebook's reruns compute the same register data again: the same inputs give
    # the kept estimate, which is the one a fresh fit gives; any other input is estimated afresh
    data = small_panel(40, effect=0.05, noise=0.002, seed=5)
    first = panel.compare(data, TREATED, 2006, margin=0.02)
    assert panel.compare(data.copy(), set(TREATED), 2006, margin=0.02) is first
    assert panel._estimate(data, TREATED, 2006, 0.02) == first
    changed = data.copy()
    changed.loc[0, "vaerdi"] += 1e-6
    assert panel.compare(changed, TREATED, 2006, 0.02).estimate != first.estimate
    assert panel.compare(data, TREATED - {"A00"}, 2006, 0.02).estimate != first.estimate
    assert panel.compare(data, TREATED, 2007, 0.02).estimate != first.estimate
    assert panel.compare(data, TREATED, 2006, 0.05) == dataclasses.replace(first, margin=0.05)


def test_afdelinger_without_residents_in_the_register_are_not_counted(copy_project):
    """An afdeling the register export left out is in no estimate: the text's »125 afdelinger«
    counts those compared, not those listed."""
    from hæfte import pipeline
    from hæfte.project import Project
    from helpers import read_rows, write_rows

    listed = read_rows(copy_project / "data/register/afdelinger.csv")
    head = listed[0]
    used = [r[0] for r in listed[1:] if "Ja" in (r[head.index("ka")], r[head.index("fu")])][:40]
    path = copy_project / "data/register/beboere.csv"
    rows = read_rows(path)
    write_rows(path, [rows[0]] + [r for r in rows[1:] if r[0] not in used])
    results = pipeline.results(Project.find(copy_project))
    assert (results["register.afdelinger.med"].value, results["register.afdelinger.uden"].value) == (85, 87)
