"""Attitudes to the tools on the five-point scale, and the reasons for not using them.

In:  ``vurdering_*`` (five-point scale) and ``grund_<tool>_*`` (multiple choice, asked of
     non-users) in both surveys, and the codebook with who was asked and each reason's type.
Out: positive (i høj / i nogen grad) and negative (i ringe grad / slet ikke) shares per item,
     Figur 2's distributions, a share per reason, and per reason type (behov, mulighed, …).
"""

from __future__ import annotations

import pandas as pd

from hæfte import format as fmt
from hæfte.compute.common import SURVEY_LABELS, Computed, counts, labels, likert_valid, short_labels, ticked
from hæfte.contract import LIKERT, LIKERT_NEGATIVE, LIKERT_POSITIVE, codebook_items, reason_groups
from hæfte.resultset import Ordering, Table, share
from hæfte.validate import Tables

SURVEY_SHORT = {"kommuner": "Kommuner", "helhedsplaner": "Boligorganisationer"}
REASON_TYPES = {"behov": "intet behov", "mulighed": "ikke muligt", "oensket": "ikke ønsket",
                "besvaer": "for besværligt", "virkning": "virker ikke"}


def _who(spurgt: str, labels: dict[str, str]) -> str:
    if spurgt.startswith("brugere:"):
        return f"som har brugt {labels[spurgt.split(':')[1]]}"
    if spurgt.startswith("ikke-brugere:"):
        return f"som ikke har brugt {labels[spurgt.split(':')[1]]}"
    return ""


def attitude_figures(data: Tables) -> Computed:
    """Shares per attitude item, the distributions of Figur 2, and the sums the distributions
    make: positive = i høj grad + i nogen grad, negative = i ringe grad + slet ikke, and all five
    answers = 100 pct. (``hæfte.rounding`` prints a note where the rounded parts disagree); the
    sums are the fact ``summer``."""
    codebook = data.codebook
    tools = labels(codebook, "redskab")
    figs, tables, sums = [], [], []
    items = codebook[codebook["gruppe"] == "vurdering"]
    for _, item in items.iterrows():
        code = item["kode"]
        distributions = {}
        for survey in ("kommuner", "helhedsplaner"):
            if item[survey] != "Ja":
                continue
            who = SURVEY_LABELS[survey]
            answers = likert_valid(getattr(data, survey)[f"vurdering_{code}"])
            n = len(answers)
            population = f"{who} {_who(item['spurgt'], tools)}".strip() + " med et svar (inkl. 'ved ikke')"
            for name, levels, word in (("positiv", LIKERT_POSITIVE, "i høj eller i nogen grad"),
                                       ("negativ", LIKERT_NEGATIVE, "i ringe grad eller slet ikke")):
                figs.append(share(f"{survey}.vurdering.{code}.{name}", int(answers.isin(levels).sum()), n,
                                  source=data.paths[survey], population=population,
                                  definition=f"andel {who}, der vurderer {word}, at {item['tekst']}"))
            distributions[survey] = [share(f"{survey}.vurdering.{code}.svar.{i}", int((answers == level).sum()), n,
                                           source=data.paths[survey], population=population,
                                           definition=f"andel {who}, der svarer '{level}' til: {item['tekst']}")
                                     for i, level in enumerate(v for v in LIKERT if v)]
            figs += distributions[survey]  # in the catalogue too: Figur 2's bars are quoted figures
            parts = [f.id for f in distributions[survey]]
            positive = [parts[i] for i, v in enumerate(v for v in LIKERT if v) if v in LIKERT_POSITIVE]
            negative = [parts[i] for i, v in enumerate(v for v in LIKERT if v) if v in LIKERT_NEGATIVE]
            sums += [{"total": None, "dele": parts},
                     {"total": f"{survey}.vurdering.{code}.positiv", "dele": positive},
                     {"total": f"{survey}.vurdering.{code}.negativ", "dele": negative}]
        rows = tuple((level, *(distributions[s][i] for s in distributions))
                     for i, level in enumerate(v for v in LIKERT if v))
        tables.append(Table(f"vurdering.{code}", f"Vurdering af, om {item['tekst']}",
                            ("Vurdering", *(SURVEY_SHORT[s] for s in distributions)), rows,
                            source=", ".join(data.paths[s] for s in distributions)))
    return Computed(figures=tuple(figs), tables=tuple(tables), facts={"summer": sums})


def reason_figures(data: Tables) -> Computed:
    codebook = data.codebook
    figs, orderings = [], {}
    pooled: dict[str, list[pd.Series]] = {}
    offered: dict[str, dict[str, list[str]]] = {}  # reason type -> survey -> tools whose list had it
    for survey in ("kommuner", "helhedsplaner"):
        frame = getattr(data, survey)
        who = SURVEY_LABELS[survey]
        for group in reason_groups(codebook, survey):
            tool = group.split("_", 1)[1]
            tool_label = labels(codebook, "redskab")[tool]
            codes = codebook_items(codebook, group, survey)
            answers = pd.DataFrame({code: ticked(frame[f"{group}_{code}"]) for code in codes})
            asked = answers.notna().any(axis=1)
            answers = answers[asked]
            ranked = []
            short = short_labels(codebook, group)
            for code in codes:
                row = codebook[(codebook["gruppe"] == group) & (codebook["kode"] == code)].iloc[0]
                kk, n = counts(answers[code])
                figure = share(f"{survey}.grund.{tool}.{code}", kk, n, source=data.paths[survey],
                          definition=f"andel {who}, der som grund til ikke at bruge {tool_label} angiver: {row['tekst']}",
                          population=f"{who}, som ikke har brugt {tool_label}")
                figs.append(figure)
                ranked.append((code, short[code], figure.value))
            ranked.sort(key=lambda x: -x[2])
            orderings[f"{survey}.grunde.{tool}"] = Ordering(
                f"{survey}.grunde.{tool}", f"grunde til ikke at bruge {tool_label}, hyppigst først", tuple(ranked))
            types = codebook[codebook["gruppe"] == group].set_index("kode")["type"]
            for kind in dict.fromkeys(types[codes]):
                mask = answers[[code for code in codes if types[code] == kind]].fillna(False).any(axis=1)
                pooled.setdefault(kind, []).append(mask)
                offered.setdefault(kind, {}).setdefault(survey, []).append(tool_label)
    by_type = {}
    for kind, masks in pooled.items():
        joined = pd.concat(masks, ignore_index=True)
        where = "; ".join(f"{SURVEY_LABELS[s].split(' ')[0]} om {fmt.words(tools)}" for s, tools in offered[kind].items())
        by_type[kind] = share(f"grunde.samlet.{kind}", int(joined.sum()), len(joined), source=f"{data.paths['kommuner']}, {data.paths['helhedsplaner']}",
                          definition=f"andel af ikke-brugernes svar, der nævner mindst én grund af typen "
                                     f"'{REASON_TYPES.get(kind, kind)}'; ét svar er én kommune eller helhedsplan om ét "
                                     f"redskab, og grundlaget er kun svarene om de redskaber, hvor skemaet tilbød en "
                                     f"grund af typen ({where}), så grundlaget er forskelligt for hver type",
                          population="kommuner og helhedsplaner, der ikke har brugt redskabet")
    figs += by_type.values()
    ranked = sorted(((k, REASON_TYPES.get(k, k), figure.value) for k, figure in by_type.items()), key=lambda x: -x[2])
    orderings["grunde.samlet"] = Ordering("grunde.samlet", "typer af grunde til ikke-brug, hyppigst først", tuple(ranked))
    return Computed(figures=tuple(figs), orderings=orderings)


def compute(data: Tables) -> Computed:
    return attitude_figures(data) + reason_figures(data)
