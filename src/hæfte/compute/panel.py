"""The social-mix comparison: a panel regression and an equivalence test that decides the wording.

In:  one indicator per afdeling and year (a long frame: ``afdeling_id``, ``aar``, ``vaerdi``), the
     afdelinger that used the tools, the first year of the programme and the equivalence margin.
Out: a ``Comparison``: the difference-in-differences estimate with its 95 and 90 pct. confidence
     intervals and the outcome that decides the booklet's words.

The model is the usual two-way fixed-effects difference in differences, estimated with
linearmodels' ``PanelOLS`` on every afdeling and year (an unbalanced panel is fine):

    vaerdi[i, t] = afdeling[i] + aar[t] + beta * (brugt[i] * (t >= programstart)) + fejl[i, t]

with standard errors clustered by afdeling (the same afdeling is measured every year),
small-sample corrections for the number of clusters and parameters (``group_debias``,
``debiased``) and t-based intervals. ``beta`` is how much more
the indicator changed after the programme started in the afdelinger that used the tools.

Words follow the evidence (two one-sided tests, TOST, at the 5 pct. level):
- "stort set ingen forskel" only when equivalence is shown: the 90 pct. interval lies inside
  ±margin (``aekvivalensgraense`` in data/fakta/program.yaml);
- "forskel" when the 95 pct. interval excludes zero (and equivalence is not shown);
- "ingen sikker forskel" otherwise: neither a difference nor its absence is shown.

Speed: many tests and a notebook's reruns compute the same data again, so a comparison is kept
for the exact inputs it was estimated on (``hæfte.memo``: the panel, the afdelinger with the
tools, the start and the margin): the same inputs give the same estimate, and other inputs are
estimated afresh. The fit runs on one BLAS thread: the design is 2.000 rows by a
handful of columns, where threads only cost (more so on a busy machine, where they fight the
other processes for the cores), and one thread adds up in the same order however many cores
the machine has.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hæfte.memo import Memo

EQUIVALENT, DIFFERENT, INCONCLUSIVE = "stort set ingen forskel", "forskel", "ingen sikker forskel"


@dataclass(frozen=True)
class Comparison:
    estimate: float
    se: float
    ci95: tuple[float, float]
    ci90: tuple[float, float]
    margin: float
    afdelinger: int  # clusters
    observations: int

    @property
    def outcome(self) -> str:
        if -self.margin < self.ci90[0] and self.ci90[1] < self.margin:
            return EQUIVALENT
        if self.ci95[0] > 0 or self.ci95[1] < 0:
            return DIFFERENT
        return INCONCLUSIVE


_comparisons: Memo[Comparison] = Memo(size=64)  # the 12 comparisons of a few data sets; a few numbers each


def compare(panel: pd.DataFrame, treated: set[str], start: int, margin: float) -> Comparison:
    """Estimate the difference in differences on the whole panel and test it against ``margin``."""
    inputs = (panel, sorted(treated), int(start), float(margin))
    return _comparisons.get(inputs, lambda: _estimate(panel, treated, start, margin))


@functools.cache
def _blas():
    """The BLAS libraries numpy and scipy have loaded, found once (a search costs ~10 ms); asked
    after linearmodels is imported, as that loads scipy's own copy of OpenBLAS."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _estimate(panel: pd.DataFrame, treated: set[str], start: int, margin: float) -> Comparison:
    from linearmodels.panel import PanelOLS

    data = panel.replace([np.inf, -np.inf], np.nan).dropna(subset=["vaerdi"])
    data = data.set_index(["afdeling_id", "aar"]).sort_index()
    ids, years = data.index.get_level_values(0), data.index.get_level_values(1)
    data["effekt"] = (ids.isin(treated) & (years >= start)).astype(float)
    with _blas().limit(limits=1, user_api="blas"):
        fit = PanelOLS(data["vaerdi"].astype(float), data[["effekt"]], entity_effects=True, time_effects=True).fit(
            cov_type="clustered", cluster_entity=True, group_debias=True, debiased=True)
        ci95 = tuple(float(x) for x in fit.conf_int(level=0.95).loc["effekt"])
        ci90 = tuple(float(x) for x in fit.conf_int(level=0.90).loc["effekt"])
    return Comparison(estimate=float(fit.params["effekt"]), se=float(fit.std_errors["effekt"]), ci95=ci95,
                      ci90=ci90, margin=float(margin), afdelinger=int(ids.nunique()), observations=int(len(data)))


def conclusion(comparisons: list[Comparison]) -> str:
    """The words for several indicators together: a difference on one is a difference; 'stort set
    ingen forskel' needs equivalence on every one; anything else is 'ingen sikker forskel'."""
    outcomes = [c.outcome for c in comparisons]
    if DIFFERENT in outcomes:
        return DIFFERENT
    if outcomes and all(o == EQUIVALENT for o in outcomes):
        return EQUIVALENT
    return INCONCLUSIVE
