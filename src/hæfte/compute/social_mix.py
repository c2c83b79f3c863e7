"""The social mix in the almene boligafdelinger, from the register aggregates.

In:  ``afdelinger`` (which afdelinger used the tools that define the comparison),
     ``beboere`` (residents, in- and out-movers per afdeling and year) and ``flytninger``.
Out: the four indicators per year for afdelinger with and without the tools, a panel
     difference-in-differences estimate for each indicator and group with its equivalence test
     (``hæfte.compute.panel``: the evidence behind "stort set ingen forskel"), the comparison of
     in- and out-movers, the share of moves between two almene afdelinger and the spread in how
     much the afdelinger used the tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from hæfte import format as fmt
from hæfte.compute import panel
from hæfte.compute.common import labels
from hæfte.contract import GRUPPER, JA
from hæfte.resultset import Figure, Table, share
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

    # Difference in differences on the whole panel (hæfte.compute.panel); the residents' four
    # indicators decide the words, the movers' estimates are in the catalogue.
    margins = t.program.aekvivalensgraense
    start = t.program.periode.start
    per_afd = _aggregate(b, ["gruppe", "afdeling_id", "aar"])
    figs += [
        # written out as text: a margin is a size, shown without the sign a difference carries
        Figure("register.aekvivalensgraense.andel", fmt.pct_points(Fraction(str(margins.procentpoint)) / 100, 0,
                                                                  signed=False), "tekst",
               "ækvivalensgrænse for andelene: største forskel, der regnes for 'stort set ingen forskel'",
               t.paths["program"]),
        Figure("register.aekvivalensgraense.indkomst", margins.kr, "beloeb",
               "ækvivalensgrænse for husstandsindkomsten: største forskel, der regnes for 'stort set ingen forskel'",
               t.paths["program"]),
        Figure("register.konfidens.ki90", Fraction(9, 10), "andel", "konfidensniveauet i ækvivalenstesten "
               "(to ensidede test på 5 pct.-niveau giver et 90 pct.-konfidensinterval)", src),
        Figure("register.konfidens.ki95", Fraction(95, 100), "andel", "konfidensniveauet i testen for en forskel", src),
        Figure("register.foer.start", first, "aar", "første år før programmet i registeranalysen", src),
        Figure("register.foer.slut", start - 1, "aar", "sidste år før programmet", src),
        Figure("register.efter.start", start, "aar", "første år med programmet (programmets start)", src),
    ]
    decisive = []
    model = (f"forskel-i-forskelle på panelet af afdelinger og år {first}–{last}: regression med faste effekter "
             f"for afdeling og år, uvægtet, standardfejl klynget på afdeling; effekten er, hvor meget mere "
             f"{{label}} blandt {{gruppe}} ændrede sig fra {start} og frem i afdelinger med {with_words} end i de øvrige")
    for gruppe in GRUPPER:
        for ind in INDICATORS:
            values = indicator_value(per_afd.loc[gruppe], ind).rename("vaerdi").reset_index()
            if values["aar"].min() >= start or values["afdeling_id"].isin(treated_ids).sum() < 2:
                continue  # no year before the programme, or too few afdelinger with the tools
            margin = float(margins.procentpoint) / 100 if ind.kind == "andel" else float(margins.kr)
            c = panel.compare(values, treated_ids, start, margin)
            if gruppe == "beboere":
                decisive.append(c)
            kind = "procentpoint" if ind.kind == "andel" else "beloeb"
            fid = f"register.did.{gruppe}.{ind.code}"
            definition = model.format(label=ind.label, gruppe=GROUP_LABELS[gruppe])
            population = f"{c.afdelinger} afdelinger, {c.observations} afdelingsår"
            figs += [
                Figure(fid, c.estimate, kind, definition + " (med 95 pct.-konfidensinterval)", src,
                       population=population, base=c.afdelinger, decimals=1, ci=c.ci95),
                Figure(f"{fid}.ki90.nedre", c.ci90[0], kind, f"nedre grænse af 90 pct.-konfidensintervallet for {fid}",
                       src, population=population, decimals=1),
                Figure(f"{fid}.ki90.oevre", c.ci90[1], kind, f"øvre grænse af 90 pct.-konfidensintervallet for {fid}",
                       src, population=population, decimals=1),
                Figure(f"{fid}.udfald", c.outcome, "tekst",
                       f"udfald for {ind.label} blandt {GROUP_LABELS[gruppe]}: 'stort set ingen forskel', når "
                       f"90 pct.-intervallet ligger inden for ækvivalensgrænsen (TOST, 5 pct.), 'forskel', når "
                       f"95 pct.-intervallet udelukker nul, ellers 'ingen sikker forskel'", src),
            ]
    figs.append(Figure("register.sammenligning", panel.conclusion(decisive), "tekst",
                       "samlet udfald for alle beboere på de fire forhold: 'forskel', hvis ét forhold viser en "
                       "forskel; 'stort set ingen forskel', hvis alle fire er inden for ækvivalensgrænsen; "
                       "ellers 'ingen sikker forskel'", src))

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
    facts = {"register_redskaber": tool_names, "indikatorer": [i.label for i in INDICATORS],
             "indikator_koder": [i.code for i in INDICATORS]}
    return figs, tables, facts
