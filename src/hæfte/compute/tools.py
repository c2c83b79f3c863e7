"""Use of the allocation and letting tools, in municipalities and helhedsplaner.

In:  the two validated survey tables and the codebook.
Out: shares per tool (in the programme period, now, ever), the comparisons (the largest
     municipalities vs the others, the half with most almene boliger vs the rest), the
     combinations in helhedsplaner, særaftaler, orderings and Figur 1's data.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations

import pandas as pd

from hæfte.compute.common import SURVEY_LABELS, Computed, counts, ever, labels as codebook_labels, short_labels, yes_no
from hæfte.contract import JA, codebook_items
from hæfte.resultset import Figure, Ordering, Table, share
from hæfte.validate import Tables


def tool_table(data: Tables, survey: str, long: bool = False) -> tuple[list[str], dict[str, str]]:
    """The tools a survey asks about, with their short names (lists, charts) or long ones (definitions)."""
    codes = codebook_items(data.codebook, "redskab", survey)
    labels = codebook_labels(data.codebook, "redskab") if long else short_labels(data.codebook, "redskab")
    return codes, {c: labels[c] for c in codes}


def ever_frame(frame: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: ever(frame[f"{c}_perioden"], frame[f"{c}_pt"]) for c in codes})


def survey_tool_figures(data: Tables, survey: str) -> Computed:
    frame = getattr(data, survey)
    codes, labels = tool_table(data, survey)
    _, long = tool_table(data, survey, long=True)
    period = data.program.periode
    source = data.paths[survey]
    who = SURVEY_LABELS[survey]
    figs: list[Figure] = []
    ever_all = ever_frame(frame, codes)
    values: dict[str, dict[str, Figure]] = {"perioden": {}, "nogensinde": {}}
    for code in codes:
        label = long[code]
        k, n = counts(yes_no(frame[f"{code}_perioden"]))
        values["perioden"][code] = share(
            f"{survey}.{code}.perioden", k, n, source=source,
            definition=f"andel {who}, der anvendte {label} i perioden {period.start}–{period.slut}",
            population=f"{who} med gyldigt svar (Ja/Nej)")
        k, n = counts(yes_no(frame[f"{code}_pt"]))
        figs.append(share(f"{survey}.{code}.pt", k, n, source=source,
                          definition=f"andel {who}, der anvender {label} i dag (spørgeskemaets 'p.t.')",
                          population=f"{who} med gyldigt svar (Ja/Nej)"))
        k, n = counts(ever_all[code])
        values["nogensinde"][code] = share(
            f"{survey}.{code}.nogensinde", k, n, source=source,
            definition=f"andel {who}, der anvendte {label} i perioden eller anvender det i dag",
            population=f"{who}, hvor brug kan afgøres (Ja til et af spørgsmålene eller Nej til begge)")
    for group in values.values():
        figs.extend(group.values())
    orderings = {
        f"{survey}.redskaber.{when}": Ordering(
            f"{survey}.redskaber.{when}",
            f"redskaberne efter andelen af {who}, der har brugt dem ({when})",
            tuple(sorted(((code, labels[code], f.value) for code, f in group.items()), key=lambda x: -x[2])))
        for when, group in values.items()
    }
    return Computed(figures=tuple(figs), orderings=orderings)


def largest_and_rest(data: Tables) -> Computed:
    """The largest municipalities (by inhabitants) against the others, and the almene halves."""
    kommuner = data.kommuner
    codes, labels = tool_table(data, "kommuner")
    ever_all = ever_frame(kommuner, codes)
    n_large = data.program.stoerste_kommuner
    largest = kommuner.sort_values(["indbyggere", "kommune_nr"], ascending=[False, True]).index[:n_large]
    is_large = kommuner.index.isin(largest)
    source = data.paths["kommuner"]
    figs = [Figure("kommuner.stoerste.antal", n_large, "antal",
                   "antal kommuner i gruppen 'landets største' (efter indbyggere)", source)]
    for code in codes:
        for name, mask, who in (("stoerste", is_large, "de største kommuner"),
                                ("oevrige", ~is_large, "de øvrige kommuner")):
            kk, n = counts(ever_all.loc[mask, code])
            figs.append(share(f"kommuner.{code}.nogensinde_{name}", kk, n, source=source,
                              definition=f"andel af {who}, der har brugt eller bruger {labels[code]}",
                              population=f"{who} med gyldigt svar"))
    # number of tools ever used per municipality, under the valid-answer rule of every other
    # figure: only municipalities whose use of every tool can be decided count
    valid = ever_all.notna().all(axis=1).to_numpy()
    used = ever_all.fillna(False).sum(axis=1).astype(int)
    ranked = kommuner.sort_values(["andel_almene_boliger", "kommune_nr"], ascending=[False, True]).index
    most = kommuner.index.isin(ranked[: len(kommuner) // 2])
    groups = (("stoerste", is_large, "de største kommuner"), ("oevrige", ~is_large, "de øvrige kommuner"),
              ("flest_almene", most, "halvdelen af kommunerne med den største andel almene boliger"),
              ("faerrest_almene", ~most, "halvdelen af kommunerne med den mindste andel almene boliger"))
    for name, mask, who in groups:
        counted = mask & valid
        total, n = int(used[counted].sum()), int(counted.sum())
        figs.append(Figure(f"kommuner.redskaber_gns.{name}", Fraction(total, n), "gennemsnit",
                           f"gennemsnitligt antal af de {len(codes)} redskaber, som {who} har brugt i perioden eller "
                           f"bruger i dag: tælleren er summen af redskaber over kommunerne, grundlaget antallet af "
                           f"kommuner", source, population=f"{who} med gyldigt svar om alle {len(codes)} redskaber",
                           numerator=total, base=n, decimals=1))
    return Computed(figures=tuple(figs), facts={"stoerste_kommuner": list(kommuner.loc[largest, "kommune"])})


def special_agreements(data: Tables) -> Computed:
    kommuner = data.kommuner
    source = data.paths["kommuner"]
    kk, n = counts(yes_no(kommuner["saeraftale"]))
    full = kommuner[(kommuner["saeraftale"] == JA) & (kommuner["anvisningsret_100"] == JA)]
    figs = [
        share("kommuner.saeraftale", kk, n, source=source,
              definition="andel af kommunerne, der i perioden havde en særaftale om udvidet anvisningsret",
              population="kommuner med gyldigt svar (Ja/Nej)"),
        Figure("kommuner.anvisningsret_100.antal", len(full), "antal",
               "antal kommuner med særaftale, der havde 100 pct. anvisningsret til ledige boliger",
               source, population="kommuner med særaftale", base=kk),
    ]
    return Computed(figures=tuple(figs), facts={"anvisningsret_100": sorted(full["kommune"])})


def combinations_in_plans(data: Tables) -> Computed:
    """Pairs of tools used together in the period, among the tools both surveys ask about."""
    plans = data.helhedsplaner
    both = [c for c in codebook_items(data.codebook, "redskab", "helhedsplaner")
            if c in codebook_items(data.codebook, "redskab", "kommuner")]
    labels = short_labels(data.codebook, "redskab")
    used = pd.DataFrame({c: yes_no(plans[f"{c}_perioden"]) for c in both})
    figs, ranked = [], []
    for a, b in combinations(both, 2):
        # both answers valid: Kleene's '&' would count a »Nej« beside a blank as a valid »no«
        mask = (used[a] & used[b]).where(used[a].notna() & used[b].notna())
        kk, n = counts(mask)
        f = share(f"helhedsplaner.kombination.{a}_{b}", kk, n, source=data.paths["helhedsplaner"],
                  definition=f"andel af helhedsplanerne, der i perioden brugte både {labels[a]} og {labels[b]}",
                  population="helhedsplaner med gyldigt svar på begge redskaber")
        figs.append(f)
        ranked.append((f"{a}_{b}", f"{labels[a]} og {labels[b]}", f.value))
    ranked.sort(key=lambda x: -x[2])
    order = Ordering("helhedsplaner.kombinationer", "par af redskaber brugt sammen i perioden, oftest først",
                     tuple(ranked))
    return Computed(figures=tuple(figs), orderings={order.id: order})


def figure_1(data: Tables, figures: dict[str, Figure]) -> Table:
    codes, labels = tool_table(data, "kommuner")
    period = data.program.periode
    rows = tuple((labels[c], figures[f"kommuner.{c}.perioden"], figures[f"kommuner.{c}.nogensinde"]) for c in codes)
    return Table("figur1", "Andelen af kommuner, der har brugt de enkelte udlejningsredskaber i perioden eller bruger dem i dag",
                 ("Redskab", f"Brugt i {period.start}–{period.slut}", "Brugt i perioden eller i dag"), rows,
                 source=data.paths["kommuner"])


def tool_lists(data: Tables) -> Computed:
    """The tools each survey asks about, for the text's lists, and how many the municipalities' has."""
    codes, labels = tool_table(data, "kommuner")
    plan_codes, plan_labels = tool_table(data, "helhedsplaner")
    facts = {
        "redskaber_kommuner": [labels[c] for c in codes],
        "redskaber_helhedsplaner": [plan_labels[c] for c in plan_codes],
        "redskaber_kun_helhedsplaner": {c: plan_labels[c] for c in plan_codes if c not in codes},
    }
    count = Figure("redskaber.antal", len(codes), "antal", "antal redskaber i kommuneskemaet", data.paths["kodebog"])
    return Computed(figures=(count,), facts=facts)


def compute(data: Tables) -> Computed:
    return (survey_tool_figures(data, "kommuner") + survey_tool_figures(data, "helhedsplaner") + largest_and_rest(data)
            + special_agreements(data) + combinations_in_plans(data) + tool_lists(data))
