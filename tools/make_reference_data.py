"""Make the reconstructed reference dataset (rekonstrueret referencedata) in ``data/``.

In:  nothing but the published figures of the booklet, written below as response patterns
     with counts (every count is either forced by a printed figure or a documented free choice).
Out: ``data/kodebog.csv``, ``data/survey/*.csv``, ``data/register/*.csv`` and ``data/fakta/*.yaml``.

The real survey and register microdata are confidential. This generator builds respondent-level
data whose statistics reproduce every figure printed in the booklet, under the per-item
valid-answer convention: each percentage is taken over those who gave a valid answer to that item.
Run it with ``python tools/make_reference_data.py [TARGET_DIR]``; it is deterministic (fixed seed,
fixed order), and a test checks that the committed files are exactly what it writes.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
SEED = 2017  # fixed seed for the survey shuffles and the register noise (a free choice of the reconstruction)
YEARS = range(2004, 2014)
AFDELINGER_UDEN_PLAN = 60  # almene afdelinger outside the helhedsplaner (free choice)

JA, NEJ, VI, TOM = "Ja", "Nej", "Ved ikke", ""
HOEJ, NOGEN, RINGE, SLET = "I høj grad", "I nogen grad", "I ringe grad", "Slet ikke"

# ---------------------------------------------------------------- codebook
# gruppe, kode, tekst (the long form, as asked), kommuner, helhedsplaner, spurgt, type, kort (the short
# form prose builds lists from: a goal or reason without its leading "at", a short label otherwise)
KODEBOG = [
    ("redskab", "ka", "kommunal anvisning", JA, JA, "alle", "", "kommunal anvisning"),
    ("redskab", "fu", "fleksibel udlejning", JA, JA, "alle", "", "fleksibel udlejning"),
    ("redskab", "ku", "kombineret udlejning", JA, JA, "alle", "", "kombineret udlejning"),
    ("redskab", "oa", "offentlig annoncering", JA, JA, "alle", "", "offentlig annoncering"),
    ("redskab", "tb", "muligheden for at lade boliger stå tomme", JA, JA, "alle", "", "tomme boliger"),
    ("redskab", "ff", "støtte til fremme af fraflytning", JA, JA, "alle", "", "fremme af fraflytning"),
    ("redskab", "bm", "beboermaksimum", NEJ, JA, "alle", "", "beboermaksimum"),
    ("maal", "balance", "at skabe en mere balanceret beboersammensætning", JA, JA, "alle", "",
     "skabe en mere balanceret beboersammensætning"),
    ("maal", "arbejde", "at øge andelen af beboere med tilknytning til arbejdsmarkedet", JA, JA, "alle", "",
     "øge andelen af beboere med tilknytning til arbejdsmarkedet"),
    ("maal", "ressourcesvage", "at modvirke en høj eller stigende andel ressourcesvage beboere", JA, JA, "alle", "",
     "modvirke en høj eller stigende andel ressourcesvage beboere"),
    ("maal", "etnisk", "at modvirke en høj eller stigende andel af beboere med etnisk minoritetsbaggrund", JA, JA,
     "alle", "", "modvirke en høj eller stigende andel af beboere med etnisk minoritetsbaggrund"),
    ("maal", "boernefamilier", "at hjælpe med at stille boliger til rådighed for udsatte børnefamilier", JA, JA, "alle", "",
     "skaffe boliger til udsatte børnefamilier"),
    ("maal", "akut", "at hjælpe med at stille boliger til rådighed for akut boligsøgende", JA, JA, "alle", "",
     "skaffe boliger til akut boligsøgende"),
    ("maal", "pendlere", "at hjælpe med at stille boliger til rådighed for pendlere", JA, JA, "alle", "",
     "skaffe boliger til pendlere"),
    ("maal", "tilflyttere", "at hjælpe med at stille boliger til rådighed for tilflyttere til kommunen", JA, JA, "alle", "",
     "skaffe boliger til tilflyttere"),
    ("maalgruppe", "flygtninge", "flygtninge", JA, NEJ, "brugere:ka", "", "flygtninge"),
    ("maalgruppe", "unge_sociale", "yngre borgere med sociale problemer", JA, NEJ, "brugere:ka", "",
     "yngre borgere med sociale problemer"),
    ("maalgruppe", "akut", "akut boligsøgende borgere", JA, NEJ, "brugere:ka", "", "akut boligsøgende borgere"),
    ("maalgruppe", "hjemloese", "hjemløse", JA, NEJ, "brugere:ka", "", "hjemløse"),
    ("maalgruppe", "psykisk_syge", "borgere med psykiske lidelser", JA, NEJ, "brugere:ka", "",
     "borgere med psykiske lidelser"),
    ("maalgruppe", "aeldre", "ældre borgere", JA, NEJ, "brugere:ka", "", "ældre borgere"),
    ("vurdering", "samlet", "den samlede brug af udlejningsredskaber har medvirket til at skabe en mere balanceret "
     "beboersammensætning", JA, JA, "alle", "balance", "den samlede brug af udlejningsredskaber"),
    ("vurdering", "ka", "kommunal anvisning har medvirket til at skabe en mere balanceret beboersammensætning",
     JA, JA, "brugere:ka", "balance", "kommunal anvisning"),
    ("vurdering", "fu", "fleksibel udlejning har medvirket til at skabe en mere balanceret beboersammensætning",
     JA, JA, "brugere:fu", "balance", "fleksibel udlejning"),
    ("vurdering", "fu_arbejde", "fleksibel udlejning er et vigtigt redskab til at øge andelen af beboere med "
     "tilknytning til arbejdsmarkedet", JA, JA, "alle", "arbejde", "fleksibel udlejning som redskab for arbejdsmarkedet"),
    ("grund_ku", "ikke_oensket", "man ikke har ønsket at bruge redskabet", JA, JA, "ikke-brugere:ku", "oensket",
     "man ikke har ønsket det"),
    ("grund_ku", "ikke_behov", "man ikke mener, der har været behov for det", JA, JA, "ikke-brugere:ku", "behov",
     "man ikke mener, der har været behov for det"),
    ("grund_ku", "ikke_muligt", "det ikke har været muligt, fordi boligområderne ikke har opfyldt kriterierne", JA, JA,
     "ikke-brugere:ku", "mulighed", "det ikke har været muligt, fordi boligområderne ikke har opfyldt kriterierne"),
    ("grund_ku", "ventelister", "der er for korte eller ingen ventelister", JA, JA, "ikke-brugere:ku", "mulighed",
     "ventelisterne er for korte eller mangler"),
    ("grund_ku", "besvaerligt", "kombineret udlejning er for besværligt administrativt", JA, JA, "ikke-brugere:ku",
     "besvaer", "det er for besværligt administrativt"),
    ("grund_ff", "ikke_behov", "der ikke er behov for det", JA, JA, "ikke-brugere:ff", "behov",
     "der ikke er behov for det"),
    ("grund_ff", "virker_ikke", "det ikke virker", JA, JA, "ikke-brugere:ff", "virkning", "det ikke virker"),
    ("grund_ff", "ikke_omfattet", "boligafdelingerne ikke er omfattet af ordningen", JA, JA, "ikke-brugere:ff",
     "mulighed", "afdelingerne ikke er omfattet af ordningen"),
    ("grund_ff", "ikke_oensket", "man ikke ønsker at anvende redskabet", JA, JA, "ikke-brugere:ff", "oensket",
     "man ikke ønsker det"),
    ("grund_ff", "besvaerligt", "det er for besværligt administrativt", JA, JA, "ikke-brugere:ff", "besvaer",
     "det er for besværligt administrativt"),
    ("grund_oa", "ikke_behov", "der ikke er behov for det", JA, JA, "ikke-brugere:oa", "behov",
     "der ikke er behov for det"),
    ("grund_oa", "ikke_omfattet", "den enkelte boligafdeling ikke er omfattet af ordningen", JA, JA, "ikke-brugere:oa",
     "mulighed", "afdelingen ikke er omfattet af ordningen"),
    ("grund_oa", "ikke_oensket", "man ikke ønsker at benytte offentlig annoncering", NEJ, JA, "ikke-brugere:oa",
     "oensket", "de ikke selv ønsker det"),
    ("grund_oa", "paavirker_ikke", "det ikke påvirker beboersammensætningen i boligafdelingerne", NEJ, JA,
     "ikke-brugere:oa", "virkning", "det ikke påvirker beboersammensætningen"),
    ("grund_oa", "besvaerligt", "offentlig annoncering er for besværlig at anvende i praksis", NEJ, JA,
     "ikke-brugere:oa", "besvaer", "det er for besværligt i praksis"),
    ("grund_oa", "kommunen_oensker_ikke", "kommunen ikke ønsker at benytte offentlig annoncering", NEJ, JA,
     "ikke-brugere:oa", "oensket", "kommunen ikke ønsker det"),
]


def items(gruppe: str, survey: str) -> list[str]:
    col = 3 if survey == "kommuner" else 4
    return [row[1] for row in KODEBOG if row[0] == gruppe and row[col] == JA]


# ---------------------------------------------------------------- municipalities
# name, inhabitants (approx. 2010, rounded), share of almene boliger in pct. of all dwellings (approx.)
KOMMUNER = [
    ("København", 539_500, 20.4), ("Aarhus", 310_900, 22.1), ("Aalborg", 199_200, 27.3),
    ("Odense", 190_200, 25.6), ("Esbjerg", 115_000, 21.8), ("Vejle", 107_900, 18.9),
    ("Frederiksberg", 100_200, 12.1), ("Randers", 95_000, 22.7), ("Viborg", 92_800, 14.2),
    ("Kolding", 89_400, 21.5), ("Silkeborg", 88_300, 15.3), ("Herning", 86_000, 17.8),
    ("Horsens", 83_400, 23.6), ("Roskilde", 82_800, 24.1), ("Næstved", 81_000, 19.2),
    ("Sønderborg", 76_400, 18.4), ("Slagelse", 77_000, 21.1), ("Holbæk", 69_300, 17.5),
    ("Hjørring", 66_000, 13.9), ("Gladsaxe", 65_500, 31.2), ("Guldborgsund", 62_400, 12.8),
    ("Helsingør", 61_300, 22.9), ("Frederikshavn", 61_000, 16.1), ("Aabenraa", 59_800, 15.7),
    ("Svendborg", 58_600, 19.7), ("Holstebro", 57_100, 20.3), ("Køge", 57_000, 24.9),
    ("Haderslev", 56_100, 14.6), ("Fredericia", 50_300, 26.2), ("Hvidovre", 50_000, 32.8),
    ("Kalundborg", 48_700, 15.1), ("Høje-Taastrup", 48_200, 36.9), ("Greve", 47_900, 20.6),
    ("Ballerup", 47_900, 30.4), ("Hillerød", 48_300, 23.3), ("Skive", 46_800, 13.4),
    ("Lolland", 45_900, 11.2), ("Thisted", 44_800, 10.9), ("Rødovre", 36_400, 31.8),
    ("Brøndby", 34_300, 50.3), ("Ringsted", 32_800, 20.0), ("Nyborg", 31_300, 16.8),
    ("Albertslund", 27_800, 48.1), ("Herlev", 26_900, 32.4), ("Glostrup", 21_400, 33.2),
    ("Ishøj", 21_300, 45.0),
]
ANVISNINGSRET_100 = ["Albertslund", "Ballerup", "Hvidovre", "Ishøj"]

# Tool answers per municipality: (periode, p.t.) for ka fu ku oa tb ff.
# The four case municipalities follow their agreements in the case texts (Odense's list does not
# name offentlig annoncering, so Odense has Nej there: the reference data takes the case list
# as the fact and reads "de fire kommuner bruger primært offentlig annoncering ..." as a statement
# about how annoncering is used where it is used).
FIXED_TOOLS = {
    "København": dict(ka=(JA, JA), fu=(JA, JA), ku=(JA, JA), oa=(JA, JA), tb=(NEJ, NEJ), ff=(JA, JA)),
    "Aarhus": dict(ka=(JA, JA), fu=(JA, JA), ku=(NEJ, NEJ), oa=(JA, JA), tb=(NEJ, NEJ), ff=(NEJ, NEJ)),
    "Aalborg": dict(ka=(JA, JA), fu=(JA, JA), ku=(JA, JA), oa=(JA, JA), tb=(JA, JA), ff=(NEJ, NEJ)),
    "Odense": dict(ka=(JA, JA), fu=(JA, JA), ku=(NEJ, NEJ), oa=(NEJ, NEJ), tb=(NEJ, NEJ), ff=(JA, JA)),
    "Ishøj": dict(ka=(JA, JA), fu=(JA, JA), ku=(NEJ, NEJ), oa=(NEJ, NEJ), tb=(JA, NEJ), ff=(NEJ, NEJ)),
}


def kommune_tool_patterns() -> dict[str, dict[str, tuple[str, str]]]:
    """Assign the tool answers so that every published municipal figure holds.

    KA: 36 Ja in the period; 3 more Ja only now; 6 Nej/Nej; 1 Nej/blank -> 36/46, ever 39/45.
    FU: 21 Ja in the period; 4 Nej/Ja; 17 Nej/Nej; 1 Nej/blank; 3 blank or Ved ikke in both
        -> 21/43, ever 25/42 (four largest 4/4, the others 21/38).
    OA: 8 Ja; 3 Nej/Ja; 34 Nej/Nej; 1 blank -> 8/45, ever 11/45.
    KU, TB, FF: rarely used (free choice: 4/5, 3/3, 3/5 of 46 in the period/ever).
    Item non-response sits on four municipalities (free choice), all in the lower half by share
    of almene boliger, as are the municipalities without KA or FU (so the tools are more often
    used where the almene sector is large, as the booklet finds).
    """
    by_share = sorted((k for k in KOMMUNER if k[0] not in FIXED_TOOLS), key=lambda k: -k[2])
    names = [k[0] for k in by_share]  # 41 names, largest almene share first
    patterns = {name: dict(ka=(JA, JA), fu=(JA, JA), ku=(NEJ, NEJ), oa=(NEJ, NEJ), tb=(NEJ, NEJ),
                           ff=(NEJ, NEJ)) for name in names}
    patterns.update({k: dict(v) for k, v in FIXED_TOOLS.items()})
    low = names[::-1]  # smallest almene share first
    partial = low[0:4]  # the four municipalities with item non-response
    # KA: 36 Ja in the period. Fixed five are Ja; of the 41 others 31 Ja, 3 Nej/Ja, 6 Nej/Nej, 1 Nej/blank.
    ka_no = low[4:10]
    ka_now_only = low[10:13]
    for n in ka_no:
        patterns[n]["ka"] = (NEJ, NEJ)
    for n in ka_now_only:
        patterns[n]["ka"] = (NEJ, JA)
    patterns[partial[0]]["ka"] = (NEJ, TOM)
    # FU: fixed five Ja. Others: 16 Ja, 4 Nej/Ja, 17 Nej/Nej, 1 Nej/blank, 3 missing in both.
    fu_nn = low[4:21]
    fu_now_only = low[21:25]
    for n in fu_nn:
        patterns[n]["fu"] = (NEJ, NEJ)
    for n in fu_now_only:
        patterns[n]["fu"] = (NEJ, JA)
    patterns[partial[0]]["fu"] = (NEJ, TOM)
    patterns[partial[1]]["fu"] = (VI, VI)
    patterns[partial[2]]["fu"] = (TOM, TOM)
    patterns[partial[3]]["fu"] = (VI, NEJ)
    # OA: Ja for København, Aarhus, Aalborg + 5 more; 3 Nej/Ja; 1 missing; the rest Nej/Nej.
    for n in names[0:5]:
        patterns[n]["oa"] = (JA, JA)
    for n in names[5:8]:
        patterns[n]["oa"] = (NEJ, JA)
    patterns[partial[1]]["oa"] = (TOM, TOM)
    # The rarely used tools (free choice).
    for n in names[0:2]:
        patterns[n]["ku"] = (JA, JA)
    patterns[names[2]]["ku"] = (NEJ, JA)
    patterns[names[3]]["tb"] = (JA, NEJ)
    for n in names[4:6]:
        patterns[n]["ff"] = (JA, JA)
    patterns[names[6]]["ff"] = (NEJ, JA)
    patterns[names[7]]["ff"] = (NEJ, JA)
    return patterns


def ever(pair: tuple[str, str]) -> str:
    if JA in pair:
        return JA
    if pair == (NEJ, NEJ):
        return NEJ
    return TOM


def spread(names: list[str], count: int, offset: int = 0) -> set[str]:
    """Pick ``count`` names evenly spread over the list, deterministically."""
    if count <= 0:
        return set()
    step = len(names) / count
    return {names[(int(i * step) + offset) % len(names)] for i in range(count)}


def likert(names: list[str], counts: tuple[int, int, int, int, int], seed: int) -> dict[str, str]:
    """Hand out the five answers in the given counts over the names, in a seeded random order."""
    answers = [HOEJ] * counts[0] + [NOGEN] * counts[1] + [RINGE] * counts[2] + [SLET] * counts[3] + [VI] * counts[4]
    assert len(answers) == len(names), (len(answers), len(names))
    np.random.default_rng(SEED + seed).shuffle(answers)
    return dict(zip(names, answers))


def make_kommuner() -> list[dict[str, str]]:
    patterns = kommune_tool_patterns()
    order = [k[0] for k in KOMMUNER]
    partial = sorted((k for k in KOMMUNER if k[0] not in FIXED_TOOLS), key=lambda k: k[2])[:4]
    partial = [k[0] for k in partial]
    tools = items("redskab", "kommuner")
    users = {t: [n for n in order if ever(patterns[n][t]) == JA] for t in tools}
    non_users = {t: [n for n in order if ever(patterns[n][t]) == NEJ] for t in tools}

    # Særaftale on extended anvisningsret: 17 of 46 (R: 37 pct.), the four with 100 pct. among them.
    saer = set(ANVISNINGSRET_100) | set([n for n in users["ka"] if n not in ANVISNINGSRET_100][:13])
    # Goals (all answered): the three main goals 37, 36, 35 of 46; the five others 17-18 of 46.
    goal_counts = dict(balance=37, arbejde=36, ressourcesvage=35, etnisk=18, boernefamilier=17,
                       akut=18, pendlere=17, tilflyttere=17)
    goals = {g: spread(order, c, i) for i, (g, c) in enumerate(goal_counts.items())}
    # Target groups of KA, asked of the 39 who ever used KA (free choice except "over halvdelen").
    mg_counts = dict(flygtninge=25, unge_sociale=22, akut=21, hjemloese=14, psykisk_syge=11, aeldre=5)
    mg = {g: spread(users["ka"], c, i) for i, (g, c) in enumerate(mg_counts.items())}
    # Attitudes. samlet: all asked, one blank (25/45 positive); ka: KA users (22/39);
    # fu: FU users (19/25); fu_arbejde: all asked, four blank (38/42).
    answered_samlet = [n for n in order if n != partial[2]]
    answered_arbejde = [n for n in order if n not in partial]
    vurd = {
        "samlet": likert(answered_samlet, (6, 19, 11, 4, 5), 1),
        "ka": likert(users["ka"], (5, 17, 10, 4, 3), 2),
        "fu": likert(users["fu"], (7, 12, 3, 1, 2), 3),
        "fu_arbejde": likert(answered_arbejde, (20, 18, 2, 0, 2), 4),
    }
    # Reasons for non-use (multiple choice, asked of non-users): free choice, with "ikke behov"
    # and "ikke muligt/omfattet" most frequent and administrative burden rare.
    reason_counts = {
        "ku": dict(ikke_oensket=9, ikke_behov=16, ikke_muligt=12, ventelister=5, besvaerligt=3),
        "ff": dict(ikke_behov=18, virker_ikke=3, ikke_omfattet=14, ikke_oensket=6, besvaerligt=0),
        "oa": dict(ikke_behov=17, ikke_omfattet=12),
    }
    reasons = {t: {r: spread(non_users[t], c, i) for i, (r, c) in enumerate(rc.items())}
               for t, rc in reason_counts.items()}

    rows = []
    for nr, (name, pop, share) in enumerate(KOMMUNER, start=1):
        row = {"kommune_nr": str(nr), "kommune": name, "indbyggere": str(pop),
               "andel_almene_boliger": f"{share:.1f}"}
        for t in tools:
            row[f"{t}_perioden"], row[f"{t}_pt"] = patterns[name][t]
        row["saeraftale"] = JA if name in saer else NEJ
        row["anvisningsret_100"] = (JA if name in ANVISNINGSRET_100 else NEJ) if name in saer else TOM
        for g in items("maal", "kommuner"):
            row[f"maal_{g}"] = "1" if name in goals[g] else "0"
        for g in items("maalgruppe", "kommuner"):
            row[f"maalgruppe_{g}"] = ("1" if name in mg[g] else "0") if name in users["ka"] else TOM
        for v in items("vurdering", "kommuner"):
            row[f"vurdering_{v}"] = vurd[v].get(name, TOM)
        for t in ("ku", "ff", "oa"):
            for r in items(f"grund_{t}", "kommuner"):
                row[f"grund_{t}_{r}"] = ("1" if name in reasons[t][r] else "0") if name in non_users[t] else TOM
        rows.append(row)
    return rows


# ---------------------------------------------------------------- helhedsplaner
BOLIGORGANISATIONER = [
    "KAB", "Lejerbo", "AAB", "FSB", "Civica", "Arbejdernes Boligforening Odense",
    "Himmerlands Boligforening", "Boligkontoret Danmark", "DAB", "Domea", "Vejle Boligforening",
    "Østjysk Bolig", "Brabrand Boligforening", "Boligselskabet Sjælland", "3B", "AKB",
]


def make_helhedsplaner() -> list[dict[str, str]]:
    """114 helhedsplaner with no item non-response.

    Tool use in the period, as blocks of helhedsplaner (KA, FU, OA columns):
      KA+FU 50, KA+OA 6, FU+OA 3, OA only 6, KA only 32, FU only 11, none of the three 6
      -> KA 88, FU 64, OA 15, KA&FU 50 (44 pct.), KA&OA 6 (5 pct.), no KA+FU+OA triple.
    Now-only users: KA 5, FU 7, OA 3 -> ever 93, 71, 18 (82, 62, 16 pct.).
    Rare tools (free choice, every pair with another tool under 6): KU 7 -> ever 9, TB 3 -> 4,
    FF 6 -> 8; beboermaksimum 14 in the period and 28 ever (25 pct., "bruges også tit").
    """
    blocks = [("ka fu", 50), ("ka oa", 6), ("fu oa", 3), ("oa", 6), ("ka", 32), ("fu", 11), ("", 6)]
    tools = items("redskab", "helhedsplaner")
    rows_tools: list[dict[str, list[str]]] = []
    block_of: list[str] = []
    for used, count in blocks:
        for _ in range(count):
            rows_tools.append({t: [JA if t in used.split() else NEJ, NEJ] for t in tools})
            block_of.append(used)
    for r in rows_tools:  # users in the period mostly still use the tool now
        for t in ("ka", "fu", "oa"):
            if r[t][0] == JA:
                r[t][1] = JA
    idx = {b: [i for i, x in enumerate(block_of) if x == b] for b, _ in blocks}
    # now-only users, placed among non-users in the period
    for i in (idx["fu"][:3] + idx["oa"][:1] + idx[""][:1]):
        rows_tools[i]["ka"][1] = JA
    for i in (idx["ka"][:5] + idx["ka oa"][:1] + idx[""][1:2]):
        rows_tools[i]["fu"][1] = JA
    for i in (idx["ka"][5:7] + idx["fu"][3:4]):
        rows_tools[i]["oa"][1] = JA
    # rare tools in the period: (block, positions)
    rare = {
        "ku": idx["ka"][10:13] + idx["fu"][5:7] + idx[""][2:4],
        "tb": idx["ka"][13:14] + idx["fu"][7:9],
        "ff": idx["ka"][14:17] + idx["oa"][1:3] + idx[""][4:5],
        "bm": idx["ka"][17:22] + idx["fu"][9:11] + idx["oa"][3:6] + idx["fu oa"][0:1] + idx[""][5:6]
              + idx["fu"][4:5] + idx["oa"][0:1],
    }
    for t, rows_ in rare.items():
        for i in rows_:
            rows_tools[i][t] = [JA, JA]
    rare_now_only = {"ku": idx["ka oa"][2:4], "tb": idx["ka fu"][0:1], "ff": idx["ka fu"][1:3],
                     "bm": idx["ka fu"][3:17]}
    for t, rows_ in rare_now_only.items():
        for i in rows_:
            rows_tools[i][t][1] = JA

    n = len(rows_tools)
    ever_ = {t: [i for i in range(n) if JA in rows_tools[i][t]] for t in tools}
    never = {t: [i for i in range(n) if JA not in rows_tools[i][t]] for t in tools}
    everyone = list(range(n))
    goal_counts = dict(balance=92, arbejde=88, ressourcesvage=85, etnisk=41, boernefamilier=30,
                       akut=36, pendlere=19, tilflyttere=25)
    goal_names = [str(i) for i in everyone]
    goals = {g: spread(goal_names, c, i) for i, (g, c) in enumerate(goal_counts.items())}
    vurd = {
        "samlet": likert(goal_names, (14, 45, 30, 12, 13), 5),
        "ka": likert([str(i) for i in ever_["ka"]], (4, 12, 45, 26, 6), 7),
        "fu": likert([str(i) for i in ever_["fu"]], (22, 38, 6, 2, 3), 8),
        "fu_arbejde": likert(goal_names, (55, 52, 4, 1, 2), 6),
    }
    reason_counts = {
        "ku": dict(ikke_oensket=20, ikke_behov=38, ikke_muligt=30, ventelister=12, besvaerligt=8),
        "ff": dict(ikke_behov=40, virker_ikke=9, ikke_omfattet=35, ikke_oensket=15, besvaerligt=2),
        "oa": dict(ikke_behov=35, ikke_omfattet=30, ikke_oensket=12, paavirker_ikke=7, besvaerligt=6,
                   kommunen_oensker_ikke=5),
    }
    reasons = {t: {r: spread([str(i) for i in never[t]], c, 3 * k) for k, (r, c) in enumerate(rc.items())}
               for t, rc in reason_counts.items()}

    kommune_names = [k[0] for k in KOMMUNER]
    rows = []
    for i in everyone:
        key = str(i)
        row = {"helhedsplan_id": f"HP{i + 1:03d}", "helhedsplan": f"Helhedsplan {i + 1}",
               "boligorganisation": BOLIGORGANISATIONER[(i * 7) % len(BOLIGORGANISATIONER)],
               "kommune": kommune_names[(i * 11) % len(kommune_names)]}
        for t in tools:
            row[f"{t}_perioden"], row[f"{t}_pt"] = rows_tools[i][t]
        for g in items("maal", "helhedsplaner"):
            row[f"maal_{g}"] = "1" if key in goals[g] else "0"
        for v in items("vurdering", "helhedsplaner"):
            row[f"vurdering_{v}"] = vurd[v].get(key, TOM)
        for t in ("ku", "ff", "oa"):
            for r in items(f"grund_{t}", "helhedsplaner"):
                row[f"grund_{t}_{r}"] = ("1" if key in reasons[t][r] else "0") if i in never[t] else TOM
        rows.append(row)
    return rows


# ---------------------------------------------------------------- register aggregates
def make_register(kommuner: list[dict[str, str]], helhedsplaner: list[dict[str, str]]):
    """Aggregates per boligafdeling and year, with no effect of the tools by construction.

    The afdelinger follow the helhedsplaner: every helhedsplan covers one afdeling, every third
    two; ``AFDELINGER_UDEN_PLAN`` more almene afdelinger outside the helhedsplaner complete the
    comparison. An afdeling has used kommunal anvisning (fleksibel udlejning) in the period only
    if its helhedsplan reports that tool in the period; in a helhedsplan that reports it, the
    first afdeling has used it and a second one does so with probability 0.7 (free choice). The
    afdelinger outside the helhedsplaner have no survey answer about the tools and are recorded
    as not having used them. The cross-table checks of the data contract hold by construction.

    Every afdeling gets its own level on each indicator; all afdelinger share one common trend.
    In- and out-movers are drawn around the same levels (they resemble each other). Moves
    between two almene afdelinger are about 40 pct. of all moves.
    """
    rng = np.random.default_rng(SEED)
    kommune_names = [k["kommune"] for k in kommuner]
    plan_afd = []  # (helhedsplan row or None, position within the plan)
    for i, hp in enumerate(helhedsplaner):
        plan_afd += [(hp, 0)] + ([(hp, 1)] if i % 3 == 0 else [])
    plan_afd += [(None, 0)] * AFDELINGER_UDEN_PLAN
    afdelinger, beboere = [], []
    for a, (hp, position) in enumerate(plan_afd):
        second_uses = rng.uniform() < 0.7
        use = {t: hp is not None and hp[f"{t}_perioden"] == JA and (position == 0 or second_uses)
               for t in ("ka", "fu")}
        uses = use["ka"] or use["fu"]
        kommune = hp["kommune"] if hp else kommune_names[(a * 7) % len(kommune_names)]
        lettings = int(rng.integers(40, 400))
        via = int(round(lettings * rng.uniform(0.05, 0.85))) if uses else 0
        afdelinger.append({
            "afdeling_id": f"A{a + 1:04d}", "afdeling": f"Afdeling {a + 1}", "kommune": kommune,
            "helhedsplan_id": hp["helhedsplan_id"] if hp else TOM,
            "ka": JA if use["ka"] else NEJ, "fu": JA if use["fu"] else NEJ,
            "udlejninger": str(lettings), "udlejninger_via_redskab": str(via),
        })
        size = int(rng.integers(200, 1500))
        base = dict(udd=rng.uniform(0.40, 0.60), besk=rng.uniform(0.38, 0.58),
                    iv=rng.uniform(0.15, 0.55), ind=rng.uniform(190_000, 260_000))
        for y_i, year in enumerate(YEARS):
            trend = dict(udd=0.004 * y_i, besk=-0.002 * y_i, iv=0.005 * y_i, ind=1.02 ** y_i)
            for gruppe, frac, shift in (("beboere", 1.0, 0.0), ("tilflyttere", 0.12, -0.01),
                                         ("fraflyttere", 0.11, 0.0)):
                personer = max(int(round(size * frac * rng.uniform(0.9, 1.1))), 8)
                voksne = int(round(personer * rng.uniform(0.55, 0.65)))
                husstande = max(int(round(personer / rng.uniform(1.9, 2.3))), 1)
                p_udd = min(max(base["udd"] + trend["udd"] + shift, 0.0), 1.0)
                p_besk = min(max(base["besk"] + trend["besk"] + shift, 0.0), 1.0)
                p_iv = min(max(base["iv"] + trend["iv"], 0.0), 1.0)
                mean_income = base["ind"] * trend["ind"] * (0.97 if gruppe != "beboere" else 1.0)
                noise = 0.02 if gruppe == "beboere" else 0.05
                gns = mean_income * rng.normal(1.0, noise)
                beboere.append({
                    "afdeling_id": f"A{a + 1:04d}", "aar": str(year), "gruppe": gruppe,
                    "personer": str(personer), "voksne": str(voksne),
                    "kompetencegivende_uddannelse": str(rng.binomial(voksne, p_udd)),
                    "beskaeftigede": str(rng.binomial(voksne, p_besk)),
                    "ikke_vestlig_oprindelse": str(rng.binomial(personer, p_iv)),
                    "husstande": str(husstande),
                    "husstandsindkomst_gns": str(int(round(gns, -2))),
                    "husstandsindkomst_median": str(int(round(gns * rng.uniform(0.88, 0.95), -2))),
                })
    flytninger = []
    for year in YEARS:
        total = int(rng.integers(9_000, 11_000))
        almen = int(round(total * rng.uniform(0.38, 0.42)))
        ud = int(round((total - almen) * rng.uniform(0.48, 0.52)))
        for fra, til, n in (("almen afdeling", "almen afdeling", almen),
                            ("almen afdeling", "anden bolig", ud),
                            ("anden bolig", "almen afdeling", total - almen - ud)):
            flytninger.append({"aar": str(year), "fra": fra, "til": til, "flytninger": str(n)})
    return afdelinger, beboere, flytninger


# ---------------------------------------------------------------- facts
PROGRAM = {
    "navn": "Landsbyggefondens 2006-10-midler",
    "udbyder": "Landsbyggefonden",
    "formaal": "boligsociale indsatser og huslejestøtte over hele landet",
    "bevilling_kr": 2_200_000_000,
    "periode": {"start": 2006, "slut": 2010},
    "evaluator": ["SFI", "Rambøll Management"],
    "register_redskaber": ["ka", "fu"],
    "stoerste_kommuner": 4,
    "diskretion_min": 5,
    # The smallest difference in the social mix that would matter (a judgement stated before the
    # analysis): within these margins "stort set ingen forskel" may be written, if shown.
    "aekvivalensgraense": {"procentpoint": 2, "kr": 10_000},
}
CASES = {
    "cases": [
        {"kommune": "København", "nummer": 1,
         "interviewede": ["Københavns Kommune", "KAB", "Lejerbo"],
         "redskaber": ["ka", "fu", "ku", "oa", "ff"],
         "fakta": {"deleboliger_fra_aar": 2015, "udsat_graense_pct": 40}},
        {"kommune": "Odense", "nummer": 2,
         "interviewede": ["Odense Kommune", "Civica", "Arbejdernes Boligforening Odense"],
         "redskaber": ["ka", "fu", "ff"],
         "fakta": {"boligomraade_uden_aendring": "Vollsmose"}},
        {"kommune": "Aalborg", "nummer": 3,
         "interviewede": ["Aalborg Kommune", "Himmerlands Boligforening"],
         "redskaber": ["ka", "fu", "ku", "tb", "oa"],
         "fakta": {"samarbejdspartnere": ["Aalborg Teater", "Aalborg Universitet"]}},
        {"kommune": "Ishøj", "nummer": 4,
         "interviewede": ["Ishøj Kommune", "AAB"],
         "redskaber": ["ka", "tb"],
         "fakta": {"anvisningsret_pct": 100}},
    ],
    "note": ("Reference data follow each case's own list of agreements. Odense's list does not name "
             "offentlig annoncering, so Odense is recorded without it."),
}
# What the reconstruction does not know about the real publication is written null (unknown):
# the booklet is then built as a draft ("UDKAST"), and a release build refuses it.
PUBLIKATION = {
    "serie": None,
    "titel": "Evaluering af brugen af anvisnings- og udlejningsredskaber",
    "undertitel": "som led i Landsbyggefondens 2006-10-midler",
    "forfattere": None,
    "aar": None,
    "udgivelsesdato": None,
    "udgiver": "SFI – Det Nationale Forskningscenter for Velfærd",
    "isbn": None,
    "eisbn": None,
    "rapport": {"titel": None, "forfattere": None, "aar": None, "isbn": None, "url": None},
    "layout": None,
    "tryk": None,
    "url": None,
    "tilgaengelighedserklaering": None,
    "beskrivelse": ("Hvordan kommuner og boligorganisationer har brugt anvisnings- og udlejningsredskaber "
                    "under Landsbyggefondens 2006-10-midler, og om redskaberne har ændret beboersammensætningen."),
    "udgave": "Rekonstrueret udgave",
    "datagrundlag": "rekonstrueret referencedata",
    "sprog": "da",
}


# ---------------------------------------------------------------- writing
def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = header or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def write_yaml(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "# Rekonstrueret referencedata: skrevet af tools/make_reference_data.py\n"
    text += yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


def main(target: Path) -> None:
    kommuner = make_kommuner()
    helhedsplaner = make_helhedsplaner()
    afdelinger, beboere, flytninger = make_register(kommuner, helhedsplaner)
    header = ["gruppe", "kode", "tekst", "kommuner", "helhedsplaner", "spurgt", "type", "kort"]
    write_csv(target / "kodebog.csv", [dict(zip(header, r)) for r in KODEBOG], header)
    write_csv(target / "survey" / "kommuner.csv", kommuner)
    write_csv(target / "survey" / "helhedsplaner.csv", helhedsplaner)
    write_csv(target / "register" / "afdelinger.csv", afdelinger)
    write_csv(target / "register" / "beboere.csv", beboere)
    write_csv(target / "register" / "flytninger.csv", flytninger)
    write_yaml(target / "fakta" / "program.yaml", PROGRAM)
    write_yaml(target / "fakta" / "cases.yaml", CASES)
    write_yaml(target / "fakta" / "publikation.yaml", PUBLIKATION)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "data")
