"""Goals of regulating the resident mix, and the target groups of kommunal anvisning.

In:  multiple-choice columns ``maal_*`` (both surveys) and ``maalgruppe_*`` (municipalities).
Out: a share per goal and target group, orderings, and the main goals: those that at least
     ``MAIN_GOAL_SHARE`` of the municipalities ticked.
"""

from __future__ import annotations

from fractions import Fraction

from hæfte.compute.common import SURVEY_LABELS, Computed, counts, short_labels, ticked
from hæfte.contract import codebook_items
from hæfte.resultset import Figure, Ordering, share
from hæfte.validate import Tables

MAIN_GOAL_SHARE = Fraction(7, 10)  # a goal counts as a main goal when 70 pct. or more tick it


def compute(data: Tables) -> Computed:
    labels = {(g, k): txt for g, k, txt in zip(data.codebook["gruppe"], data.codebook["kode"], data.codebook["tekst"])}
    short = {(g, k): txt for g in ("maal", "maalgruppe") for k, txt in short_labels(data.codebook, g).items()}
    figs, orderings = [], {}
    by_id: dict[str, Figure] = {}
    for survey in ("kommuner", "helhedsplaner"):
        frame = getattr(data, survey)
        who = SURVEY_LABELS[survey]
        groups = [("maal", "målsætningen")] + ([("maalgruppe", "målgruppen")] if survey == "kommuner" else [])
        for group, noun in groups:
            ranked = []
            for code in codebook_items(data.codebook, group, survey):
                kk, n = counts(ticked(frame[f"{group}_{code}"]))
                population = who if group == "maal" else f"{who}, der har brugt kommunal anvisning"
                f = share(f"{survey}.{group}.{code}", kk, n, source=data.paths[survey],
                          definition=f"andel {who}, der har angivet {noun} '{labels[(group, code)]}'",
                          population=population)
                figs.append(f)
                by_id[f.id] = f
                ranked.append((code, short[(group, code)], f.value))
            ranked.sort(key=lambda x: -x[2])
            oid = f"{survey}.{group}"
            orderings[oid] = Ordering(oid, f"{noun} efter andelen af {who}, der har angivet den", tuple(ranked))
    main = [code for code, _, v in orderings["kommuner.maal"].ranked if v >= MAIN_GOAL_SHARE]
    figs.append(Figure("maal.hoved.antal", len(main), "antal",
                       f"antal målsætninger, som mindst {int(MAIN_GOAL_SHARE * 100)} pct. af kommunerne har angivet",
                       data.paths["kommuner"]))
    return Computed(figures=tuple(figs), orderings=orderings, facts={"hovedmaal": main})
