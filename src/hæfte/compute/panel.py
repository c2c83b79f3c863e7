"""The social-mix comparison: a panel regression and an equivalence test that decides the wording.

In:  one indicator per afdeling and year (a long frame: ``afdeling_id``, ``aar``, ``vaerdi``), the
     afdelinger that used the tools, the first year of the programme and the equivalence margin.
Out: a ``Comparison``: the difference-in-differences estimate with its 95 and 90 pct. confidence
     intervals and the outcome that decides the booklet's words.

The model is the usual two-way fixed-effects difference in differences, estimated with
statsmodels on every afdeling and year (an unbalanced panel is fine):

    vaerdi[i, t] = afdeling[i] + aar[t] + beta * (brugt[i] * (t >= programstart)) + fejl[i, t]

with standard errors clustered by afdeling (the same afdeling is measured every year) and
t-based intervals with (number of afdelinger − 1) degrees of freedom. ``beta`` is how much more
the indicator changed after the programme started in the afdelinger that used the tools.

Words follow the evidence (two one-sided tests, TOST, at the 5 pct. level):
- "stort set ingen forskel" only when equivalence is shown: the 90 pct. interval lies inside
  ±margin (``aekvivalensgraense`` in data/fakta/program.yaml);
- "forskel" when the 95 pct. interval excludes zero (and equivalence is not shown);
- "ingen sikker forskel" otherwise: neither a difference nor its absence is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

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


def compare(panel: pd.DataFrame, treated: set[str], start: int, margin: float) -> Comparison:
    """Estimate the difference in differences on the whole panel and test it against ``margin``."""
    import statsmodels.api as sm

    data = panel.replace([np.inf, -np.inf], np.nan).dropna(subset=["vaerdi"])
    data = data.sort_values(["afdeling_id", "aar"]).reset_index(drop=True)
    effect = (data["afdeling_id"].isin(treated) & (data["aar"] >= start)).astype(float).rename("effekt")
    afdeling = pd.get_dummies(data["afdeling_id"], prefix="afd", dtype=float)
    years = pd.get_dummies(data["aar"], prefix="aar", dtype=float).iloc[:, 1:]  # one year is the baseline
    design = pd.concat([effect, afdeling, years], axis=1)
    groups = pd.factorize(data["afdeling_id"])[0]
    fit = sm.OLS(data["vaerdi"].astype(float), design).fit(cov_type="cluster", cov_kwds={"groups": groups},
                                                           use_t=True)
    ci95 = tuple(float(x) for x in fit.conf_int(alpha=0.05).loc["effekt"])
    ci90 = tuple(float(x) for x in fit.conf_int(alpha=0.10).loc["effekt"])
    return Comparison(estimate=float(fit.params["effekt"]), se=float(fit.bse["effekt"]), ci95=ci95, ci90=ci90,
                      margin=float(margin), afdelinger=int(data["afdeling_id"].nunique()),
                      observations=int(len(data)))


def conclusion(comparisons: list[Comparison]) -> str:
    """The words for several indicators together: a difference on one is a difference; 'stort set
    ingen forskel' needs equivalence on every one; anything else is 'ingen sikker forskel'."""
    outcomes = [c.outcome for c in comparisons]
    if DIFFERENT in outcomes:
        return DIFFERENT
    if outcomes and all(o == EQUIVALENT for o in outcomes):
        return EQUIVALENT
    return INCONCLUSIVE
