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


def tool_table(t: Tables, survey: str, long: bool = False) -> tuple[list[str], dict[str, str]]:
    """The tools a survey asks about, with their short names (lists, charts) or long ones (definitions)."""
    codes = codebook_items(t.codebook, "redskab", survey)
    labels = codebook_labels(t.codebook, "redskab") if long else short_labels(t.codebook, "redskab")
    return codes, {c: labels[c] for c in codes}


def ever_frame(frame: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: ever(frame[f"{c}_perioden"], frame[f"{c}_pt"]) for c in codes})


def survey_tool_figures(t: Tables, survey: str) -> Computed:
    frame = getattr(t, survey)
    codes, labels = tool_table(t, survey)
    _, long = tool_table(t, survey, long=True)
    period = t.program.periode
    source = t.paths[survey]
    who = SURVEY_LABELS[survey]
    figs: list[Figure] = []
    ever_all = ever_frame(frame, codes)
    values: dict[str, dict[str, Figure]] = {"perioden": {}, "nogensinde": {}}
    for c in codes:
        label = long[c]
        k, n = counts(yes_no(frame[f"{c}_perioden"]))
        values["perioden"][c] = share(
            f"{survey}.{c}.perioden", k, n, source=source,
            definition=f"andel {who}, der anvendte {label} i perioden {period.start}–{period.slut}",
            population=f"{who} med gyldigt svar (Ja/Nej)")
        k, n = counts(yes_no(frame[f"{c}_pt"]))
        figs.append(share(f"{survey}.{c}.pt", k, n, source=source,
                          definition=f"andel {who}, der anvender {label} i dag (spørgeskemaets 'p.t.')",
                          population=f"{who} med gyldigt svar (Ja/Nej)"))
        k, n = counts(ever_all[c])
        values["nogensinde"][c] = share(
            f"{survey}.{c}.nogensinde", k, n, source=source,
            definition=f"andel {who}, der anvendte {label} i perioden eller anvender det i dag",
            population=f"{who}, hvor brug kan afgøres (Ja til et af spørgsmålene eller Nej til begge)")
    for group in values.values():
        figs.extend(group.values())
    orderings = {
        f"{survey}.redskaber.{when}": Ordering(
            f"{survey}.redskaber.{when}",
            f"redskaberne efter andelen af {who}, der har brugt dem ({when})",
            tuple(sorted(((c, labels[c], f.value) for c, f in group.items()), key=lambda x: -x[2])))
        for when, group in values.items()
    }
    return Computed(figures=tuple(figs), orderings=orderings)


def largest_and_rest(t: Tables) -> Computed:
    """The largest municipalities (by inhabitants) against the others, and the almene halves."""
    k = t.kommuner
    codes, labels = tool_table(t, "kommuner")
    ever_all = ever_frame(k, codes)
    n_large = t.program.stoerste_kommuner
    largest = k.sort_values(["indbyggere", "kommune_nr"], ascending=[False, True]).index[:n_large]
    is_large = k.index.isin(largest)
    source = t.paths["kommuner"]
    figs = [Figure("kommuner.stoerste.antal", n_large, "antal",
                   "antal kommuner i gruppen 'landets største' (efter indbyggere)", source)]
    for c in codes:
        for name, mask, who in (("stoerste", is_large, "de største kommuner"),
                                ("oevrige", ~is_large, "de øvrige kommuner")):
            kk, n = counts(ever_all.loc[mask, c])
            figs.append(share(f"kommuner.{c}.nogensinde_{name}", kk, n, source=source,
                              definition=f"andel af {who}, der har brugt eller bruger {labels[c]}",
                              population=f"{who} med gyldigt svar"))
    # number of tools ever used per municipality, under the valid-answer rule of every other
    # figure: only municipalities whose use of every tool can be decided count
    valid = ever_all.notna().all(axis=1).to_numpy()
    used = ever_all.fillna(False).sum(axis=1).astype(int)
    ranked = k.sort_values(["andel_almene_boliger", "kommune_nr"], ascending=[False, True]).index
    most = k.index.isin(ranked[: len(k) // 2])
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
    return Computed(figures=tuple(figs), facts={"stoerste_kommuner": list(k.loc[largest, "kommune"])})


def special_agreements(t: Tables) -> Computed:
    k = t.kommuner
    source = t.paths["kommuner"]
    kk, n = counts(yes_no(k["saeraftale"]))
    full = k[(k["saeraftale"] == JA) & (k["anvisningsret_100"] == JA)]
    figs = [
        share("kommuner.saeraftale", kk, n, source=source,
              definition="andel af kommunerne, der i perioden havde en særaftale om udvidet anvisningsret",
              population="kommuner med gyldigt svar (Ja/Nej)"),
        Figure("kommuner.anvisningsret_100.antal", len(full), "antal",
               "antal kommuner med særaftale, der havde 100 pct. anvisningsret til ledige boliger",
               source, population="kommuner med særaftale", base=kk),
    ]
    return Computed(figures=tuple(figs), facts={"anvisningsret_100": sorted(full["kommune"])})


def combinations_in_plans(t: Tables) -> Computed:
    """Pairs of tools used together in the period, among the tools both surveys ask about."""
    h = t.helhedsplaner
    both = [c for c in codebook_items(t.codebook, "redskab", "helhedsplaner")
            if c in codebook_items(t.codebook, "redskab", "kommuner")]
    labels = short_labels(t.codebook, "redskab")
    used = pd.DataFrame({c: yes_no(h[f"{c}_perioden"]) for c in both})
    figs, ranked = [], []
    for a, b in combinations(both, 2):
        mask = used[a] & used[b]
        kk, n = counts(mask)
        f = share(f"helhedsplaner.kombination.{a}_{b}", kk, n, source=t.paths["helhedsplaner"],
                  definition=f"andel af helhedsplanerne, der i perioden brugte både {labels[a]} og {labels[b]}",
                  population="helhedsplaner med gyldigt svar på begge redskaber")
        figs.append(f)
        ranked.append((f"{a}_{b}", f"{labels[a]} og {labels[b]}", f.value))
    ranked.sort(key=lambda x: -x[2])
    order = Ordering("helhedsplaner.kombinationer", "par af redskaber brugt sammen i perioden, oftest først",
                     tuple(ranked))
    return Computed(figures=tuple(figs), orderings={order.id: order})


def figure_1(t: Tables, figures: dict[str, Figure]) -> Table:
    codes, labels = tool_table(t, "kommuner")
    p = t.program.periode
    rows = tuple((labels[c], figures[f"kommuner.{c}.perioden"], figures[f"kommuner.{c}.nogensinde"]) for c in codes)
    return Table("figur1", "Andelen af kommuner, der har brugt de enkelte udlejningsredskaber i perioden eller bruger dem i dag",
                 ("Redskab", f"Brugt i {p.start}–{p.slut}", "Brugt i perioden eller i dag"), rows,
                 source=t.paths["kommuner"])


def tool_lists(t: Tables) -> Computed:
    """The tools each survey asks about, for the text's lists, and how many the municipalities' has."""
    codes, labels = tool_table(t, "kommuner")
    plan_codes, plan_labels = tool_table(t, "helhedsplaner")
    facts = {
        "redskaber_kommuner": [labels[c] for c in codes],
        "redskaber_helhedsplaner": [plan_labels[c] for c in plan_codes],
        "redskaber_kun_helhedsplaner": {c: plan_labels[c] for c in plan_codes if c not in codes},
    }
    count = Figure("redskaber.antal", len(codes), "antal", "antal redskaber i kommuneskemaet", t.paths["kodebog"])
    return Computed(figures=(count,), facts=facts)


def compute(t: Tables) -> Computed:
    return (survey_tool_figures(t, "kommuner") + survey_tool_figures(t, "helhedsplaner") + largest_and_rest(t)
            + special_agreements(t) + combinations_in_plans(t) + tool_lists(t))
