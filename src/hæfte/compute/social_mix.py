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
from hæfte.compute import panel as panel_model
from hæfte.compute.common import Computed, labels
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


@dataclass(frozen=True)
class Panel:
    """The register data as every step below reads it: the residents' cells, each marked with
    whether its afdeling used the tools ("med"/"uden"), and the words and years that describe them."""

    residents: pd.DataFrame
    treated_ids: frozenset[str]
    first: int
    last: int
    source: str
    tool_names: list[str]

    @property
    def with_words(self) -> str:
        return " eller ".join(self.tool_names)


def panel_of(data: Tables) -> Panel:
    afdelinger = data.afdelinger
    tools = data.program.register_redskaber
    treated_ids = frozenset(afdelinger.loc[(afdelinger[tools] == JA).any(axis=1), "afdeling_id"])
    residents = _with_values(data.beboere)
    residents["redskaber"] = np.where(residents["afdeling_id"].isin(treated_ids), "med", "uden")
    return Panel(residents, treated_ids, int(residents["aar"].min()), int(residents["aar"].max()),
                 data.paths["beboere"], [labels(data.codebook, "redskab")[code] for code in tools])


def design(data: Tables, panel: Panel) -> Computed:
    """The years and the two groups of afdelinger compared."""
    source, afdelinger = panel.source, data.paths["afdelinger"]
    # the afdelinger compared are those with residents in the register: one without rows (left
    # out of the export, or every cell withheld) is in no estimate and is not counted either
    present = set(panel.residents["afdeling_id"])
    treated, untreated = len(panel.treated_ids & present), len(present - panel.treated_ids)
    both = f"{afdelinger}, {source}"
    return Computed(figures=(
        Figure("register.periode", (panel.first, panel.last), "periode", "årene i registeranalysen", source),
        Figure("register.start", panel.first, "aar", "første år i registeranalysen", source),
        Figure("register.slut", panel.last, "aar", "sidste år i registeranalysen", source),
        Figure("register.indikatorer.antal", len(INDICATORS), "antal", "antal forhold, det sociale mix måles på",
               source),
        Figure("register.afdelinger.med", treated, "antal",
               f"antal boligafdelinger med beboere i registerdata, der har brugt {panel.with_words}", both),
        Figure("register.afdelinger.uden", untreated, "antal",
               f"antal boligafdelinger med beboere i registerdata, der ikke har brugt {panel.with_words}", both),
    ))


def series_tables(panel: Panel) -> Computed:
    """Each indicator per year, group and comparison group: the data of the social-mix chart."""
    by_year = _aggregate(panel.residents, ["gruppe", "redskaber", "aar"])
    tables = []
    for group in GRUPPER:
        rows = []
        for year in range(panel.first, panel.last + 1):
            for indicator in INDICATORS:
                cells = []
                for side in ("med", "uden"):
                    key = (group, side, year)
                    cells.append(None if key not in by_year.index else _figure(
                        f"register.serie.{group}.{indicator.code}.{side}.{year}", by_year.loc[key], indicator,
                        f"{indicator.label} blandt {GROUP_LABELS[group]} i {year}, afdelinger {side} "
                        f"{panel.with_words}", panel.source, f"{GROUP_LABELS[group]} i afdelingerne"))
                rows.append((year, indicator.label, *cells))
        tables.append(Table(f"socialmix.{group}",
                            f"Det sociale mix blandt {GROUP_LABELS[group]}, {panel.first}–{panel.last}",
                            ("År", "Forhold", f"Med {panel.with_words}", "Uden redskaberne"), tuple(rows),
                            source=panel.source))
    return Computed(tables=tuple(tables))


def equivalence_settings(data: Tables, panel: Panel) -> Computed:
    """The equivalence margins, confidence levels and the years before and after, as the text states them."""
    margins, start, source = data.program.aekvivalensgraense, data.program.periode.start, panel.source
    return Computed(figures=(
        # written out as text: a margin is a size, shown without the sign a difference carries
        Figure("register.aekvivalensgraense.andel", fmt.pct_points(Fraction(str(margins.procentpoint)) / 100, 0,
                                                                  signed=False), "tekst",
               "ækvivalensgrænse for andelene: største forskel, der regnes for 'stort set ingen forskel'",
               data.paths["program"]),
        Figure("register.aekvivalensgraense.indkomst", margins.kr, "beloeb",
               "ækvivalensgrænse for husstandsindkomsten: største forskel, der regnes for 'stort set ingen forskel'",
               data.paths["program"]),
        Figure("register.konfidens.ki90", Fraction(9, 10), "andel", "konfidensniveauet i ækvivalenstesten "
               "(to ensidede test på 5 pct.-niveau giver et 90 pct.-konfidensinterval)", source),
        Figure("register.konfidens.ki95", Fraction(95, 100), "andel", "konfidensniveauet i testen for en forskel",
               source),
        Figure("register.foer.start", panel.first, "aar", "første år før programmet i registeranalysen", source),
        Figure("register.foer.slut", start - 1, "aar", "sidste år før programmet", source),
        Figure("register.efter.start", start, "aar", "første år med programmet (programmets start)", source),
    ))


def _estimate_figures(figure_id: str, comparison: panel_model.Comparison, indicator: Indicator, group: str,
                      definition: str, source: str) -> list[Figure]:
    kind = "procentpoint" if indicator.kind == "andel" else "beloeb"
    population = f"{comparison.afdelinger} afdelinger, {comparison.observations} afdelingsår"
    low, high = comparison.ci90
    return [
        Figure(figure_id, comparison.estimate, kind, definition + " (med 95 pct.-konfidensinterval)", source,
               population=population, base=comparison.afdelinger, decimals=1, ci=comparison.ci95),
        Figure(f"{figure_id}.ki90.nedre", low, kind, f"nedre grænse af 90 pct.-konfidensintervallet for {figure_id}",
               source, population=population, decimals=1),
        Figure(f"{figure_id}.ki90.oevre", high, kind, f"øvre grænse af 90 pct.-konfidensintervallet for {figure_id}",
               source, population=population, decimals=1),
        Figure(f"{figure_id}.udfald", comparison.outcome, "tekst",
               f"udfald for {indicator.label} blandt {GROUP_LABELS[group]}: 'stort set ingen forskel', når "
               f"90 pct.-intervallet ligger inden for ækvivalensgrænsen (TOST, 5 pct.), 'forskel', når "
               f"95 pct.-intervallet udelukker nul, ellers 'ingen sikker forskel'", source),
    ]


def differences(data: Tables, panel: Panel) -> Computed:
    """Difference in differences on the whole panel (``hæfte.compute.panel``); the residents' four
    indicators decide the words, the movers' estimates are in the catalogue."""
    margins, start = data.program.aekvivalensgraense, data.program.periode.start
    per_afdeling = _aggregate(panel.residents, ["gruppe", "afdeling_id", "aar"])
    model = (f"forskel-i-forskelle på panelet af afdelinger og år {panel.first}–{panel.last}: regression med "
             f"faste effekter for afdeling og år, uvægtet, standardfejl klynget på afdeling; effekten er, hvor "
             f"meget mere {{label}} blandt {{group}} ændrede sig fra {start} og frem i afdelinger med "
             f"{panel.with_words} end i de øvrige")
    figures, decisive = [], []
    for group in GRUPPER:
        for indicator in INDICATORS:
            values = indicator_value(per_afdeling.loc[group], indicator).rename("vaerdi").reset_index()
            if values["aar"].min() >= start or values["afdeling_id"].isin(panel.treated_ids).sum() < 2:
                continue  # no year before the programme, or too few afdelinger with the tools
            margin = float(margins.procentpoint) / 100 if indicator.kind == "andel" else float(margins.kr)
            comparison = panel_model.compare(values, set(panel.treated_ids), start, margin)
            if group == "beboere":
                decisive.append(comparison)
            figures += _estimate_figures(f"register.did.{group}.{indicator.code}", comparison, indicator, group,
                                         model.format(label=indicator.label, group=GROUP_LABELS[group]),
                                         panel.source)
    figures.append(Figure("register.sammenligning", panel_model.conclusion(decisive), "tekst",
                          "samlet udfald for alle beboere på de fire forhold: 'forskel', hvis ét forhold viser en "
                          "forskel; 'stort set ingen forskel', hvis alle fire er inden for ækvivalensgrænsen; "
                          "ellers 'ingen sikker forskel'", panel.source))
    return Computed(figures=tuple(figures))


def movers(panel: Panel) -> Computed:
    """In-movers against out-movers over the whole period, and whether they are alike."""
    totals = _aggregate(panel.residents, ["gruppe"])
    figures, alike = [], True
    for indicator in INDICATORS:
        figure_id = f"register.flyttere.forskel.{indicator.code}"
        definition = f"{indicator.label}: tilflyttere minus fraflyttere, hele perioden"
        if indicator.kind == "andel":
            moved_in, moved_out = (Fraction(int(totals.loc[group, indicator.numerator]),
                                            int(totals.loc[group, indicator.base]))
                                   for group in ("tilflyttere", "fraflyttere"))
            alike &= abs(moved_in - moved_out) < MOVERS_ALIKE_PP
            figures.append(Figure(figure_id, moved_in - moved_out, "procentpoint", definition, panel.source,
                                  decimals=1))
        else:
            value = indicator_value(totals, indicator)
            moved_in, moved_out = value["tilflyttere"], value["fraflyttere"]
            relative = Fraction(float(moved_in / moved_out)).limit_denominator(10**6) - 1
            alike &= abs(relative) < MOVERS_ALIKE_INCOME
            figures.append(Figure(figure_id, float(moved_in - moved_out), "beloeb", definition, panel.source))
    figures.append(Figure("register.flyttere_ligner", alike, "udsagn",
                          "til- og fraflyttere adskiller sig med under 5 procentpoint på hvert forhold "
                          "og under 10 pct. i indkomst", panel.source))
    return Computed(figures=tuple(figures))


def moves_between(data: Tables, panel: Panel) -> Computed:
    """The share of moves that go from one almen afdeling to another."""
    moves = data.flytninger
    between = int(moves.loc[(moves["fra"] == "almen afdeling") & (moves["til"] == "almen afdeling"),
                            "flytninger"].sum())
    return Computed(figures=(share(
        "register.flytninger.almen_til_almen", between, int(moves["flytninger"].sum()),
        definition="andel af alle flytninger til og fra afdelingerne, der går fra én almen "
                   "boligafdeling til en anden (flytninger inden for en afdeling er ikke med)",
        source=data.paths["flytninger"], population=f"flytninger {panel.first}–{panel.last}"),))


def tool_use_spread(data: Tables, panel: Panel) -> Computed:
    """How much the afdelinger that used the tools let through them: the 10th and 90th percentile."""
    afdelinger = data.afdelinger
    used = afdelinger[afdelinger["afdeling_id"].isin(panel.treated_ids) & (afdelinger["udlejninger"] > 0)]
    via = (used["udlejninger_via_redskab"] / used["udlejninger"]).sort_values()
    figures = []
    for name, quantile in (("p10", 0.1), ("p90", 0.9)):
        value = Fraction(float(via.quantile(quantile, interpolation="nearest"))).limit_denominator(10**6)
        figures.append(Figure(f"register.redskabsbrug.{name}", value, "andel",
                              f"{int(quantile * 100)}. percentil af andelen af udlejninger via {panel.with_words} "
                              "blandt afdelinger, der brugte redskaberne", data.paths["afdelinger"], base=len(used)))
    return Computed(figures=tuple(figures))


def compute(data: Tables) -> Computed:
    panel = panel_of(data)
    facts = {"register_redskaber": panel.tool_names, "indikatorer": [i.label for i in INDICATORS],
             "indikator_koder": [i.code for i in INDICATORS]}
    return (design(data, panel) + series_tables(panel) + equivalence_settings(data, panel) + differences(data, panel)
            + movers(panel) + moves_between(data, panel) + tool_use_spread(data, panel) + Computed(facts=facts))
