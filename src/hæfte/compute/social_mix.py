"""The social mix in the almene boligafdelinger, from the register aggregates.

In:  ``afdelinger`` (which afdelinger used the tools that define the comparison),
     ``beboere`` (residents, in- and out-movers per afdeling and year) and ``flytninger``.
Out: the four indicators per year for afdelinger with and without the tools, a
     difference-in-differences estimate with a 95 pct. confidence interval for each indicator
     and group (the test behind "stort set ingen forskel"), the comparison of in- and
     out-movers, the share of moves between two almene afdelinger and the spread in how much
     the afdelinger used the tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from statistics import NormalDist

import numpy as np
import pandas as pd

from hæfte.compute.common import labels
from hæfte.contract import GRUPPER, JA
from hæfte.results import Figure, Table, share
from hæfte.validate import Tables


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    numerator: str
    base: str
    kind: str  # "andel" or "beloeb"


INDICATORS = (
    Indicator("uddannelse", "andel med kompetencegivende uddannelse", "kompetencegivende_uddannelse", "voksne", "andel"),
    Indicator("beskaeftigelse", "andel i beskæftigelse", "beskaeftigede", "voksne", "andel"),
    Indicator("ikke_vestlig", "andel med ikke-vestlig oprindelse", "ikke_vestlig_oprindelse", "personer", "andel"),
    Indicator("indkomst", "gennemsnitlig husstandsindkomst", "husstandsindkomst_gns", "husstande", "beloeb"),
)
GROUP_LABELS = {"beboere": "alle beboere", "tilflyttere": "tilflyttere", "fraflyttere": "fraflyttere"}
Z95 = NormalDist().inv_cdf(0.975)
# "ligner hinanden": in- and out-movers differ by less than this on every indicator
MOVERS_ALIKE_PP = Fraction(5, 100)
MOVERS_ALIKE_INCOME = Fraction(10, 100)


def _with_values(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["indkomst_sum"] = out["husstandsindkomst_gns"] * out["husstande"]
    return out


def _aggregate(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    cols = ["personer", "voksne", "kompetencegivende_uddannelse", "beskaeftigede", "ikke_vestlig_oprindelse",
            "husstande", "indkomst_sum"]
    return frame.groupby(by, observed=True)[cols].sum()


def indicator_value(agg: pd.DataFrame, ind: Indicator) -> pd.Series:
    if ind.kind == "beloeb":
        return agg["indkomst_sum"] / agg["husstande"]
    return agg[ind.numerator] / agg[ind.base]


def _figure(fid: str, agg_row: pd.Series, ind: Indicator, definition: str, source: str,
            population: str) -> Figure | None:
    if int(agg_row[ind.base]) == 0:
        return None  # nobody in the group that year (or all its cells withheld): no value, not zero
    if ind.kind == "beloeb":
        return Figure(fid, float(agg_row["indkomst_sum"] / agg_row["husstande"]), "beloeb", definition, source,
                      population=population, base=int(agg_row["husstande"]))
    return share(fid, int(agg_row[ind.numerator]), int(agg_row[ind.base]), definition=definition,
                 source=source, population=population)


def compute(t: Tables) -> tuple[list[Figure], list[Table], dict]:
    afd = t.afdelinger
    tools = t.program.register_redskaber
    treated_ids = set(afd.loc[(afd[tools] == JA).any(axis=1), "afdeling_id"])
    b = _with_values(t.beboere)
    b["redskaber"] = np.where(b["afdeling_id"].isin(treated_ids), "med", "uden")
    first, last = int(b["aar"].min()), int(b["aar"].max())
    src = t.paths["beboere"]
    tool_names = [labels(t.codebook, "redskab")[x] for x in tools]
    with_words = " eller ".join(tool_names)
    figs = [
        Figure("register.periode", (first, last), "periode", "årene i registeranalysen", src),
        Figure("register.start", first, "aar", "første år i registeranalysen", src),
        Figure("register.slut", last, "aar", "sidste år i registeranalysen", src),
        Figure("register.indikatorer.antal", len(INDICATORS), "antal", "antal forhold, det sociale mix måles på", src),
        Figure("register.afdelinger.med", len(treated_ids), "antal",
               f"antal boligafdelinger, der har brugt {with_words}", t.paths["afdelinger"]),
        Figure("register.afdelinger.uden", len(afd) - len(treated_ids), "antal",
               f"antal boligafdelinger, der ikke har brugt {with_words}", t.paths["afdelinger"]),
    ]

    # Series per year, group and comparison group: the data of the social-mix chart.
    agg = _aggregate(b, ["gruppe", "redskaber", "aar"])
    tables = []
    for gruppe in GRUPPER:
        rows = []
        for aar in range(first, last + 1):
            for ind in INDICATORS:
                cells = []
                for side in ("med", "uden"):
                    key = (gruppe, side, aar)
                    if key not in agg.index:
                        cells.append(None)
                        continue
                    cells.append(_figure(f"register.serie.{gruppe}.{ind.code}.{side}.{aar}", agg.loc[key], ind,
                                         f"{ind.label} blandt {GROUP_LABELS[gruppe]} i {aar}, afdelinger "
                                         f"{'med' if side == 'med' else 'uden'} {with_words}", src,
                                         f"{GROUP_LABELS[gruppe]} i afdelingerne"))
                rows.append((aar, ind.label, *cells))
        tables.append(Table(f"socialmix.{gruppe}", f"Det sociale mix blandt {GROUP_LABELS[gruppe]}, {first}–{last}",
                            ("År", "Forhold", f"Med {with_words}", "Uden redskaberne"), tuple(rows), source=src))

    # Difference in differences: change first -> last year per afdeling, treated minus others.
    per_afd = _aggregate(b[b["aar"].isin([first, last])], ["gruppe", "afdeling_id", "aar"])
    all_inside = True
    for gruppe in GRUPPER:
        for ind in INDICATORS:
            values = indicator_value(per_afd.loc[gruppe], ind).unstack("aar")
            if first not in values or last not in values:
                continue
            change = (values[last] - values[first]).replace([np.inf, -np.inf], np.nan).dropna()
            treated = change[change.index.isin(treated_ids)]
            control = change[~change.index.isin(treated_ids)]
            if len(treated) < 2 or len(control) < 2:
                continue  # too few afdelinger with both years published to estimate anything
            estimate = float(treated.mean() - control.mean())
            se = float(np.sqrt(treated.var(ddof=1) / len(treated) + control.var(ddof=1) / len(control)))
            ci = (estimate - Z95 * se, estimate + Z95 * se)
            all_inside &= ci[0] <= 0 <= ci[1]
            kind = "procentpoint" if ind.kind == "andel" else "beloeb"
            figs.append(Figure(
                f"register.did.{gruppe}.{ind.code}", estimate, kind,
                f"forskel-i-forskelle for {ind.label} blandt {GROUP_LABELS[gruppe]}: ændringen {first}–{last} i "
                f"afdelinger med {with_words} minus ændringen i de øvrige afdelinger (95 pct. konfidensinterval)",
                src, population=f"{len(treated)} afdelinger med og {len(control)} uden redskaberne",
                base=len(treated) + len(control), decimals=1, ci=ci))
    figs.append(Figure("register.ingen_forskel", all_inside, "udsagn",
                       "ingen af forskel-i-forskelle-estimaterne er signifikant forskellige fra nul (95 pct.)", src))

    # In-movers and out-movers over the whole period.
    movers = _aggregate(b, ["gruppe"])
    alike = True
    for ind in INDICATORS:
        v_in = indicator_value(movers, ind)["tilflyttere"]
        v_out = indicator_value(movers, ind)["fraflyttere"]
        if ind.kind == "andel":
            diff = Fraction(int(movers.loc["tilflyttere", ind.numerator]), int(movers.loc["tilflyttere", ind.base])) - \
                Fraction(int(movers.loc["fraflyttere", ind.numerator]), int(movers.loc["fraflyttere", ind.base]))
            alike &= abs(diff) < MOVERS_ALIKE_PP
            figs.append(Figure(f"register.flyttere.forskel.{ind.code}", diff, "procentpoint",
                               f"{ind.label}: tilflyttere minus fraflyttere, hele perioden", src, decimals=1))
        else:
            rel = Fraction(float(v_in / v_out)).limit_denominator(10**6) - 1
            alike &= abs(rel) < MOVERS_ALIKE_INCOME
            figs.append(Figure(f"register.flyttere.forskel.{ind.code}", float(v_in - v_out), "beloeb",
                               f"{ind.label}: tilflyttere minus fraflyttere, hele perioden", src))
    figs.append(Figure("register.flyttere_ligner", alike, "udsagn",
                       "til- og fraflyttere adskiller sig med under 5 procentpoint på hvert forhold "
                       "og under 10 pct. i indkomst", src))

    # Moves between two almene afdelinger.
    fl = t.flytninger
    between = int(fl.loc[(fl["fra"] == "almen afdeling") & (fl["til"] == "almen afdeling"), "flytninger"].sum())
    figs.append(share("register.flytninger.almen_til_almen", between, int(fl["flytninger"].sum()),
                      definition="andel af alle flytninger til og fra afdelingerne, der går fra én almen "
                                 "boligafdeling til en anden (flytninger inden for en afdeling er ikke med)",
                      source=t.paths["flytninger"], population=f"flytninger {first}–{last}"))

    # How much the afdelinger that used the tools let through them: the spread.
    used = afd[afd["afdeling_id"].isin(treated_ids) & (afd["udlejninger"] > 0)]
    via = (used["udlejninger_via_redskab"] / used["udlejninger"]).sort_values()
    for name, q in (("p10", 0.1), ("p90", 0.9)):
        value = Fraction(float(via.quantile(q, interpolation="nearest"))).limit_denominator(10**6)
        figs.append(Figure(f"register.redskabsbrug.{name}", value, "andel",
                           f"{int(q * 100)}. percentil af andelen af udlejninger via {with_words} blandt "
                           "afdelinger, der brugte redskaberne", t.paths["afdelinger"], base=len(used)))
    facts = {"register_redskaber": tool_names, "indikatorer": [i.label for i in INDICATORS]}
    return figs, tables, facts
