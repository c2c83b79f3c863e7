"""Facts about the programme, the study design and the case municipalities.

In:  validated fact models (program, cases, publication) and the survey tables.
Out: figures such as ``program.bevilling`` ("2,2 mia. kr."), ``kommuner.antal`` (46) and
     ``cases.<kommune>.<fakta>``; facts for the templates (case texts' lists, names).
"""

from __future__ import annotations

from fractions import Fraction

from hæfte import format as fmt
from hæfte.compute.common import Computed
from hæfte.compute.common import labels as codebook_labels
from hæfte.project import fact_source
from hæfte.resultset import Figure
from hæfte.validate import Tables

SOURCE_PROGRAM = fact_source("program")
SOURCE_CASES = fact_source("cases")


def slug(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa", "-": "_", " ": "_"})
    return name.translate(table).lower()


def _case_figure(fid: str, key: str, value, kommune: str) -> Figure:
    definition = f"{kommune}: {key.replace('_', ' ')} (fra casebeskrivelsen)"
    common = dict(definition=definition, source=SOURCE_CASES, population=f"interview i {kommune}")
    if key.endswith("_aar"):
        return Figure(fid, int(value), "aar", **common)
    if key.endswith("_pct"):
        return Figure(fid, Fraction(int(value), 100), "andel", **common)
    if isinstance(value, int):
        return Figure(fid, value, "antal", **common)
    if isinstance(value, list):
        return Figure(fid, fmt.words(value), "tekst", **common)
    return Figure(fid, str(value), "tekst", **common)


def compute(t: Tables) -> Computed:
    p = t.program
    figs = [
        Figure("program.bevilling", p.bevilling_kr, "beloeb", f"{p.udbyder}s samlede bevilling i programmet",
               SOURCE_PROGRAM, population=p.navn),
        Figure("program.periode", (p.periode.start, p.periode.slut), "periode", "programmets periode",
               SOURCE_PROGRAM, population=p.navn),
        Figure("program.periode_kort", fmt.period_short(p.periode.start, p.periode.slut), "tekst",
               "programperioden i kort form, som i navnet på midlerne", SOURCE_PROGRAM),
        Figure("program.start", p.periode.start, "aar", "programmets første år", SOURCE_PROGRAM),
        Figure("program.slut", p.periode.slut, "aar", "programmets sidste år", SOURCE_PROGRAM),
        Figure("kommuner.antal", len(t.kommuner), "antal", "antal kommuner, der har besvaret kommuneskemaet",
               t.paths["kommuner"], population="alle svarende kommuner", base=len(t.kommuner)),
        Figure("helhedsplaner.antal", len(t.helhedsplaner), "antal",
               "antal besvarelser fra forretningsførere (én pr. helhedsplan)", t.paths["helhedsplaner"],
               population="helhedsplaner støttet af programmets midler", base=len(t.helhedsplaner)),
        Figure("cases.antal", len(t.cases.cases), "antal", "antal case-kommuner", SOURCE_CASES),
    ]
    labels = codebook_labels(t.codebook, "redskab")  # long forms: the case texts name the agreements in full
    survey = t.kommuner.set_index("kommune")
    survey_tools = [c for c in labels if f"{c}_pt" in survey.columns]
    for c in survey_tools:
        using = [case.kommune for case in t.cases.cases if survey.loc[case.kommune, f"{c}_pt"] == "Ja"]
        figs.append(Figure(f"cases.pt.{c}", len(using), "antal",
                           f"antal case-kommuner, der ifølge kommuneskemaet anvender {labels[c]} i dag",
                           t.paths["kommuner"], population="case-kommunerne", base=len(t.cases.cases)))
    cases = []
    for case in sorted(t.cases.cases, key=lambda c: c.nummer):
        s = slug(case.kommune)
        for key, value in case.fakta.items():
            figs.append(_case_figure(f"cases.{s}.{key}", key, value, case.kommune))
        cases.append({
            "kommune": case.kommune, "slug": s, "nummer": case.nummer,
            "interviewede": list(case.interviewede),
            "redskaber": [labels[r] for r in case.redskaber], "redskabskoder": list(case.redskaber),
            "fakta": dict(case.fakta),
            "bruger_pt": [labels[c] for c in survey_tools if survey.loc[case.kommune, f"{c}_pt"] == "Ja"],
        })
    facts = {
        "program": p.model_dump(), "publikation": t.publication.model_dump(), "cases": cases,
        "case_kommuner": [c["kommune"] for c in cases], "redskaber": labels,
    }
    return Computed(figures=tuple(figs), facts=facts)
