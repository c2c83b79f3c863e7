"""The generated part of the editors' guide (``templates/README.md``): every name a template
can use, made from the results object and the renderer, so the guide cannot go stale.

In:  the project (its data decide which figures exist).
Out: Markdown between ``<!-- variabler:start -->`` and ``<!-- variabler:end -->``.
"""

from __future__ import annotations

from hæfte import pipeline
from hæfte.generated import GeneratedSection
from hæfte.project import Project

START, END = "<!-- variabler:start -->", "<!-- variabler:end -->"

FILTERS = [
    ("liste", "a, b og c", "`{{ fakta.case_kommuner | liste }}`"),
    ("eller_liste", "a, b eller c", "`{{ navne | eller_liste }}`"),
    ("brøk", "knap hver fjerde, omkring 4 ud af 5 (regel: nærmeste simple brøk, ±5 procentpoint)", "`{{ kommuner.oa.nogensinde | brøk }}`"),
    ("flertal", "næsten alle / langt størstedelen / størstedelen / halvdelen / under halvdelen; `flertal(\"over halvdelen\")` giver 'over halvdelen'", "`{{ [a, b] | flertal }}`"),
    ("hyppighed", "sjældent (alle ≤ 15 pct.) / tit (alle ≥ 20 pct.) / af og til", "`{{ tal_for(koder, 'kommuner.{}.nogensinde') | hyppighed }}`"),
    ("omkring", "omkring 40 pct. (nærmeste 10 procentpoint)", "`{{ register.flytninger.almen_til_almen | omkring }}`"),
    ("tal_ord", "fire (tal op til tolv som ord)", "`{{ cases.antal | tal_ord }}`"),
    ("ordenstal", "første, andet, tredje", "`{{ loop.index | ordenstal }}`"),
    ("få", "en enkelt, et par, nogle få", "`{{ x.numerator | få }}`"),
    ("romertal", "I, II, III, IV", "`{{ case.nummer | romertal }}`"),
    ("stort", "stort begyndelsesbogstav", "`{{ ... | stort }}`"),
    ("pct / tal / kr / årstal", "formatér et tal direkte", "`{{ x | pct(1) }}`"),
    ("at", "sætter 'at ' foran", "`{{ label | at }}`"),
    ("at_liste / eller_at_liste", "at-led, som man skriver dem: 'at A, at B, og at C'; fælles ord skrives én gang "
     "('at skaffe boliger til a, b eller c'); brug kodebogens korte former (rangordenernes labels); "
     "`infinitiv=True` for navnemåder uden komma: 'at skabe A, at øge B og at modvirke C'",
     "`{{ ku.labels[:2] | eller_at_liste }}`"),
]
FUNCTIONS = [
    ("figur(id, billedtekst)", "sætter en figur ind med nummer, billedtekst, kilde, datatabel og, hvor tallene ikke summerer "
     "på grund af afrunding, en anmærkning; id er figur1, figur2 eller socialmix. `nummereret=False` sætter den ind uden nummer"),
    ("figurnr(id)", "'figur N' for en nummereret figur, også før den står i teksten"),
    ("se(afsnit)", "'på side N' i PDF'en og 'i afsnittet »…«' på nettet; afsnit er id'et i en overskrift, fx brug"),
    ("tal(id)", "et tal ud fra dets id som tekst, fx tal('cases.' ~ case.slug ~ '.anvisningsret_pct')"),
    ("tal_for(koder, mønster)", "en liste af tal: tal_for(['ku', 'tb'], 'kommuner.{}.nogensinde')"),
    ("påstå(betingelse, tekst)", "erklærer en påstand, som fast tekst bygger på; 'hæfte check' fejler, hvis den ikke holder"),
]


def generated(project: Project) -> str:
    results = pipeline.results(project)
    lines = ["### Tal", "", "Skriv `{{ id }}` for at vise tallet; `.value`, `.numerator` og `.base` giver de rå værdier.", "",
             "| id | vises som | betydning |", "|---|---|---|"]
    for f in results.figures.values():
        lines.append(f"| `{f.id}` | {f.display.replace(chr(160), ' ')} | {f.definition} |")
    lines += ["", "### Rangordener", "", "`rangorden.<id>` har `.keys`, `.labels`, `.ranked`, `.top(n)`, "
              "`.select(koder)` og `.exclude(koder)`, størst først.", "", "| id | hvad |", "|---|---|"]
    for o in results.orderings.values():
        lines.append(f"| `rangorden.{o.id}` | {o.definition} |")
    lines += ["", "### Fakta", "", "`fakta.<nøgle>`: navne og lister fra data.", "", "| nøgle | indhold |", "|---|---|"]
    for key, value in results.facts.items():
        shown = value if isinstance(value, str) else type(value).__name__
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            shown = ", ".join(value)
        lines.append(f"| `fakta.{key}` | {str(shown)[:90]} |")
    lines += ["", "### Filtre", "", "| filter | giver | eksempel |", "|---|---|---|"]
    lines += [f"| `{name}` | {what} | {example} |" for name, what, example in FILTERS]
    lines += ["", "### Funktioner", "", "| funktion | hvad den gør |", "|---|---|"]
    lines += [f"| `{name}` | {what} |" for name, what in FUNCTIONS]
    return "\n".join(lines) + "\n"


SECTION = GeneratedSection("templates/README.md", START, END, generated)
is_current, write = SECTION.is_current, SECTION.write
