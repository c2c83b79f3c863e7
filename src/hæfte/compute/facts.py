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


def compute(data: Tables) -> Computed:
    program = data.program
    figs = [
        Figure("program.bevilling", program.bevilling_kr, "beloeb", f"{program.udbyder}s samlede bevilling i programmet",
               SOURCE_PROGRAM, population=program.navn),
        Figure("program.periode", (program.periode.start, program.periode.slut), "periode", "programmets periode",
               SOURCE_PROGRAM, population=program.navn),
        Figure("program.periode_kort", fmt.period_short(program.periode.start, program.periode.slut), "tekst",
               "programperioden i kort form, som i navnet på midlerne", SOURCE_PROGRAM),
        Figure("program.start", program.periode.start, "aar", "programmets første år", SOURCE_PROGRAM),
        Figure("program.slut", program.periode.slut, "aar", "programmets sidste år", SOURCE_PROGRAM),
        Figure("kommuner.antal", len(data.kommuner), "antal", "antal kommuner, der har besvaret kommuneskemaet",
               data.paths["kommuner"], population="alle svarende kommuner", base=len(data.kommuner)),
        Figure("helhedsplaner.antal", len(data.helhedsplaner), "antal",
               "antal besvarelser fra forretningsførere (én pr. helhedsplan)", data.paths["helhedsplaner"],
               population="helhedsplaner støttet af programmets midler", base=len(data.helhedsplaner)),
        Figure("cases.antal", len(data.cases.cases), "antal", "antal casekommuner", SOURCE_CASES),
    ]
    labels = codebook_labels(data.codebook, "redskab")  # long forms: the case texts name the agreements in full
    survey = data.kommuner.set_index("kommune")
    survey_tools = [code for code in labels if f"{code}_pt" in survey.columns]
    for code in survey_tools:
        using = [case.kommune for case in data.cases.cases if survey.loc[case.kommune, f"{code}_pt"] == "Ja"]
        figs.append(Figure(f"cases.pt.{code}", len(using), "antal",
                           f"antal casekommuner, der ifølge kommuneskemaet anvender {labels[code]} i dag",
                           data.paths["kommuner"], population="casekommunerne", base=len(data.cases.cases)))
    cases = []
    for case in sorted(data.cases.cases, key=lambda code: code.nummer):
        s = slug(case.kommune)
        for key, value in case.fakta.items():
            figs.append(_case_figure(f"cases.{s}.{key}", key, value, case.kommune))
        cases.append({
            "kommune": case.kommune, "slug": s, "nummer": case.nummer,
            "interviewede": list(case.interviewede),
            "redskaber": [labels[r] for r in case.redskaber], "redskabskoder": list(case.redskaber),
            "fakta": dict(case.fakta),
            "bruger_pt": [labels[code] for code in survey_tools if survey.loc[case.kommune, f"{code}_pt"] == "Ja"],
        })
    facts = {
        "program": program.model_dump(), "publikation": data.publication.model_dump(), "cases": cases,
        "case_kommuner": [code["kommune"] for code in cases], "redskaber": labels,
    }
    return Computed(figures=tuple(figs), facts=facts)
