"""The bad-input corpus: each case breaks a copy of the project in one way.

Each entry: (name, command, mutation). The expected one-line message of each case is in
``test_bad_input.py``. Mutations take the project folder and change files in it.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

from helpers import read_rows, set_cell, write_rows
from stat_files import convert, write_sav

K = "data/survey/kommuner.csv"
H = "data/survey/helhedsplaner.csv"
B = "data/register/beboere.csv"
F = "data/register/flytninger.csv"
A = "data/register/afdelinger.csv"
P = "data/fakta/program.yaml"
C = "data/fakta/cases.yaml"
CB = "data/kodebog.csv"
T = "templates/02_resultater.md.j2"


def cell(rel, row, column, value):
    return lambda root: set_cell(root / rel, row, column, value)


def replace(rel, old, new, count=1):
    def mutate(root: Path):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return mutate


def append(rel, text):
    def mutate(root: Path):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return mutate


def rows(rel, change):
    def mutate(root: Path):
        path = root / rel
        write_rows(path, change(read_rows(path)))
    return mutate


def drop_column(name):
    return lambda r: [[c for i, c in enumerate(row) if i != r[0].index(name)] for row in r]


def write_bytes(rel, data: bytes):
    return lambda root: (root / rel).write_bytes(data)


def mojibake(root: Path):
    path = root / K
    path.write_text(path.read_text(encoding="utf-8").replace("København", "KÃ¸benhavn"), encoding="utf-8")


def tab_delimited(root: Path):
    path = root / K
    write_rows(path, read_rows(path), delimiter="\t")


def xlsx_corrupt(root: Path):
    (root / K).unlink()
    (root / K).with_suffix(".xlsx").write_bytes(b"PK\x03\x04 broken")


def xlsx_broken_xml(root: Path):
    import zipfile

    (root / K).unlink()
    with zipfile.ZipFile((root / K).with_suffix(".xlsx"), "w") as archive:
        archive.writestr("[Content_Types].xml", "not xml")
        archive.writestr("xl/workbook.xml", "<<")


def header_only(root: Path):
    path = root / K
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def cells(rel, *changes):
    """Several cells at once: (row, column, value), rows as a spreadsheet numbers them."""
    def mutate(root: Path):
        for row, column, value in changes:
            set_cell(root / rel, row, column, value)
    return mutate


def then(*mutations):
    def mutate(root: Path):
        for m in mutations:
            m(root)
    return mutate


def reencode(rel, encoding, bom=b""):
    def mutate(root: Path):
        path = root / rel
        path.write_bytes(bom + path.read_text(encoding="utf-8").encode(encoding))
    return mutate


def raw_bytes(rel, old: bytes, new: bytes):
    def mutate(root: Path):
        path = root / rel
        data = path.read_bytes()
        assert old in data, old
        path.write_bytes(data.replace(old, new, 1))
    return mutate


def danish_export(rel):
    """Excel's Danish 'CSV (semikolonsepareret)': semicolons, decimal comma, Windows-1252."""
    def mutate(root: Path):
        path = root / rel
        rows = [[c.replace(".", ",") if c.replace(".", "").isdigit() else c for c in r] for r in read_rows(path)]
        write_rows(path, rows, delimiter=";", encoding="cp1252")
    return mutate


def in_format(rel, suffix):
    return lambda root: convert(root / rel, suffix)


def workbook(rel, change=None, sheet_title="Ark1"):
    """The table as an .xlsx workbook (numbers as numbers), changed by ``change(book, sheet)``."""
    def mutate(root: Path):
        from openpyxl import Workbook

        path = root / rel
        rows = read_rows(path)
        book = Workbook()
        sheet = book.active
        sheet.title = sheet_title
        for n, row in enumerate(rows):
            sheet.append([float(v) if n and v.replace(".", "", 1).isdigit() else v for v in row])
        if change:
            change(book, sheet)
        path.unlink()
        book.save(path.with_suffix(".xlsx"))
    return mutate


def spss(labels=None, codes=None):
    """kommuner.csv as SPSS writes it, with extra value labels and codes put in cells."""
    def mutate(root: Path):
        write_sav(root / K, labels, codes)
        (root / K).unlink()
    return mutate


def drop_years(rel, *years):
    return rows(rel, lambda r: [row for row in r if row[r[0].index("aar")] not in {str(y) for y in years}])


def link_out(rel):
    """Move a data file or folder out of the project and leave a symlink to it."""
    def mutate(root: Path):
        inside, outside = root / rel, root.parent / "udenfor" / Path(rel).name
        outside.parent.mkdir(exist_ok=True)
        shutil.move(inside, outside)
        inside.symlink_to(outside)
    return mutate


CASES = [
    ("tabulator som skilletegn", "figures", tab_delimited),
    ("dobbeltkodet UTF-8", "figures", mojibake),
    ("tom fil", "figures", write_bytes(K, b"")),
    ("kun overskrift", "figures", header_only),
    ("ødelagt xlsx", "figures", xlsx_corrupt),
    ("manglende kolonne", "figures", rows(K, drop_column("saeraftale"))),
    ("uventet kolonne", "figures", rows(K, lambda r: [row + (["noter"] if i == 0 else [""]) for i, row in enumerate(r)])),
    ("ukendt svar", "figures", cell(K, 5, "ka_pt", "Måske")),
    ("stavefejl i svar", "figures", cell(K, 6, "fu_perioden", "Jaa")),
    ("ukendt vurdering", "figures", cell(H, 4, "vurdering_samlet", "Meget")),
    ("ukendt flervalgsværdi", "figures", cell(K, 3, "maal_balance", "2")),
    ("dubleret id", "figures", cell(K, 10, "kommune_nr", "3")),
    ("dubleret helhedsplan", "figures", cell(H, 9, "helhedsplan_id", "HP001")),
    ("dubleret sammensat nøgle", "figures", cell(F, 2, "til", "anden bolig")),
    ("tekst i talkolonne", "figures", cell(K, 7, "indbyggere", "mange")),
    ("decimalkomma i kommafil", "figures", cell(K, 3, "andel_almene_boliger", "22,1")),
    ("negativt antal", "figures", cell(B, 4, "personer", "-3")),
    ("antal over sit grundlag", "figures", cell(B, 6, "beskaeftigede", "9999")),
    ("procent over 100", "figures", cell(K, 2, "andel_almene_boliger", "120")),
    ("år uden for området", "figures", cell(B, 8, "aar", "1970")),
    ("tom navnecelle", "figures", cell(K, 4, "kommune", "")),
    ("ragget række", "figures", replace(K, "\n3,", "\n3,ekstra,")),
    ("ukendt afdeling i beboere", "figures", cell(B, 12, "afdeling_id", "A9999")),
    ("ukendt helhedsplan i afdelinger", "figures", cell(A, 3, "helhedsplan_id", "HP999")),
    ("flytning mellem to andre boliger", "figures", cell(F, 3, "fra", "anden bolig")),
    ("case-kommune mangler i skemaet", "figures", cell(K, 47, "kommune", "Ishøj Kommune")),
    ("ukendt redskab i cases", "figures", replace(C, "  - tb\n", "  - xx\n")),
    ("faktafil med forkert nøgle", "figures", replace(P, "bevilling_kr:", "bevilling:")),
    ("faktafil med ugyldig YAML", "figures", append(P, "periode: [\n")),
    ("periode baglæns", "figures", replace(P, "slut: 2010", "slut: 2001")),
    ("titel på 300 tegn", "figures", replace("data/fakta/publikation.yaml",
                                            "titel: Evaluering af brugen af anvisnings- og udlejningsredskaber",
                                            "titel: " + "Evaluering " * 30)),
    ("kodebog med ugyldig gruppe", "figures", cell(CB, 3, "gruppe", "Redskab")),
    ("manglende tabel", "figures", lambda root: (root / F).unlink()),
    ("både csv og xlsx", "figures", lambda root: (root / K).with_suffix(".xlsx").write_bytes(b"")),
    ("syntaksfejl i skabelon", "build", append(T, "\n{% if kommuner.antal %}\nuafsluttet\n")),
    ("ukendt variabel i skabelon", "build", replace(T, "Her følger", "Her følger {{ kommuner.ka.perioen }}")),
    ("ukendt filter i skabelon", "build", replace(T, "Her følger", "Her følger {{ kommuner.antal | ukendt }}")),
    ("skabelon i uendelig løkke", "build", append(T, "\n{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n")),
    ("skabelon med kæmpestreng", "build", append(T, '\n{{ "x" * 100000000 }}\n')),
    ("skabelon, der skriver for meget", "build", append(T, '\n{% for i in range(99999) %}{{ "abcdefghijklmnopqrstuvwxyz" }}{% endfor %}\n')),
    ("billede fra /etc/passwd", "build", append("templates/11_konklusion.md.j2", '\n<img src="file:///etc/passwd" alt="x">\n')),
    ("billede fra nettet", "build", append("templates/11_konklusion.md.j2", "\n![logo](https://example.org/logo.png)\n")),
    ("sti ud af projektet", "build", append("templates/11_konklusion.md.j2", "\n![x](../../etc/hosts)\n")),
    ("typografi henter fra disken", "build", append("styles/print.css", '\nh1 { background: url("file:///etc/passwd"); }\n')),
    # ---- numbers (issue 10 §1): never a silent wrong number
    ("tusindtalspunktum i kommafil (tal)", "figures", cell(B, 2, "husstandsindkomst_gns", "236.400")),
    ("tusindtalspunktum i kommafil (heltal)", "figures", cell(K, 2, "indbyggere", "539.500")),
    ("decimalpunktum i dansk eksport", "figures", then(danish_export(K), raw_bytes(K, b";22,1;", b";22.1;"))),
    # Python's int() and float() read these; the contract's numbers are plain digits
    ("understregning i heltal", "figures", cell(K, 7, "indbyggere", "10_00")),
    ("understregning i dansk eksport", "figures", then(danish_export(K), raw_bytes(K, b";22,1;", b";1_0.5;"))),
    ("tal uden heltalsdel i dansk eksport", "figures", then(danish_export(K), raw_bytes(K, b";22,1;", b";,5;"))),
    ("tal med eksponent fra Excel", "figures", cell(K, 3, "indbyggere", "3.109E+05")),
    ("indkomst uden for det plausible", "figures", cell(B, 3, "husstandsindkomst_median", "2198")),
    ("indbyggertal uden for det plausible", "figures", cell(K, 4, "indbyggere", "190")),
    ("personer uden for det plausible", "figures", cell(B, 5, "personer", "1557000")),
    ("flytninger uden for det plausible", "figures", cell(F, 2, "flytninger", "4301000")),
    ("udlejninger uden for det plausible", "figures", cell(A, 2, "udlejninger", "193000")),
    ("procenttegn i en tælling", "figures", cell(B, 2, "personer", "20%")),
    ("typografisk minus i et antal", "figures", cell(B, 4, "personer", "\u22123")),
    ("arabiske cifre i et antal", "figures", cell(B, 6, "voksne", "\u0661\u0662")),
    ("NaN fra en eksport", "figures", cell(B, 7, "husstandsindkomst_gns", "NaN")),
    # ---- keys: case, spaces and Unicode form do not make two identities
    ("id med små bogstaver", "figures", cell(H, 9, "helhedsplan_id", "hp001")),
    ("navn i NFD-form", "figures", cell(K, 10, "kommune", unicodedata.normalize("NFD", "København"))),
    ("id med hårdt mellemrum", "figures", cell(A, 3, "afdeling_id", "A0001\u00a0")),
    ("navn med andre bogstaver og mellemrum", "figures", cells(K, (6, "kommune", "Ny By"), (7, "kommune", "NY\u00a0 by"))),
    ("sammensat nøgle med små bogstaver", "figures", cells(B, (5, "afdeling_id", "a0001"), (5, "aar", "2004"))),
    # ---- text cells: nothing hidden, nothing that could start a Markdown block
    ("NUL-byte i en celle", "figures", raw_bytes(K, b"Aarhus", b"Aar\x00hus")),
    ("kontroltegn i en celle", "figures", raw_bytes(K, b"Aalborg", b"Aal\x1bborg")),
    ("retningsskift i et navn", "figures", cell(K, 5, "kommune", "Esbjerg\u202e")),
    ("nul-bredde mellemrum i et id", "figures", cell(H, 3, "helhedsplan_id", "HP\u200b002")),
    ("erstatningstegn i et navn", "figures", cell(K, 7, "kommune", "Frederiksberg\ufffd")),
    ("anførselstegn, der ikke lukkes", "figures", raw_bytes(K, b"\n5,Esbjerg", b'\n5,"Esbjerg')),
    ("felt over CSV-grænsen", "figures", cell(K, 8, "kommune", '"' + "x" * 200_000)),
    ("felt over 1.000 tegn", "figures", cell(H, 4, "helhedsplan", "Helhedsplan " * 100)),
    # ---- character sets and line structure
    ("tvetydigt tegnsæt", "figures", then(cell(F, 2, "fra", "almen afdeling\u2019"), reencode(F, "cp1252"))),
    ("ukendt tegnsæt", "figures", then(reencode(K, "cp1252"), raw_bytes(K, b"Vejle", b"Vej\x81le"))),
    ("ugyldig UTF-16", "figures", lambda root: (root / F).write_bytes(b"\xff\xfe" + (root / F).read_text().encode("utf-16-le") + b"\x00\xd8")),
    ("faktafil i Windows-1252", "figures", reencode(C, "cp1252")),
    ("kontroltegn i en overskrift", "figures", raw_bytes(F, b"aar,fra", b"aar\x07,fra")),
    ("kolonne to gange", "figures", rows(F, lambda r: [["aar", "fra", "fra", "flytninger"]] + r[1:])),
    ("kolonne uden overskrift", "figures", rows(F, lambda r: [["aar", "fra", "", "flytninger"]] + r[1:])),
    ("skilletegn i sep-linjen", "figures", lambda root: (root / F).write_text("sep=|\n" + (root / F).read_text())),
    # ---- Excel workbooks
    ("xlsx med ødelagt XML", "figures", xlsx_broken_xml),
    ("flere synlige ark", "figures", workbook(F, lambda book, sheet: book.create_sheet("Noter"))),
    ("skjult ark med tabellens navn", "figures", workbook(F, lambda book, sheet: setattr(book.create_sheet("flytninger"), "sheet_state", "hidden"))),
    ("formel uden gemt resultat", "figures", workbook(F, lambda book, sheet: sheet.__setitem__("D3", "=D2*2"))),
    ("flettede celler", "figures", workbook(F, lambda book, sheet: sheet.merge_cells("A2:A4"))),
    ("dato i en årskolonne", "figures", workbook(F, lambda book, sheet: setattr(sheet["A5"], "number_format", "dd-mm-yyyy"))),
    ("procentformat i en tælling", "figures", workbook(F, lambda book, sheet: setattr(sheet["D4"], "number_format", "0%"))),
    ("Excel-fejl i en celle", "figures", workbook(F, lambda book, sheet: sheet.__setitem__("D8", "#DIV/0!"))),
    ("skjult kolonne", "figures", workbook(F, lambda book, sheet: setattr(sheet.column_dimensions["B"], "hidden", True))),
    ("skjult række", "figures", workbook(F, lambda book, sheet: setattr(sheet.row_dimensions[6], "hidden", True))),
    ("tal som tekst med tusindtalspunktum", "figures", workbook(F, lambda book, sheet: sheet.__setitem__("D7", "3.633"))),
    # ---- register years agree with each other and with the programme period
    ("flytninger mangler et år", "figures", drop_years(F, 2013)),
    ("flytninger har et år for meget", "figures", append(F, "2014,almen afdeling,almen afdeling,4000\n")),
    ("hul i beboernes år", "figures", drop_years(B, 2008)),
    ("registeret dækker ikke programperioden", "figures", replace(P, "slut: 2010", "slut: 2014")),
    # ---- data files stay inside the project (issue 10 §2)
    ("datamappe som symlink ud af projektet", "figures", link_out("data/register")),
    ("datafil som symlink ud af projektet", "figures", link_out(K)),
    ("faktafil som symlink ud af projektet", "figures", link_out(P)),
    # ---- statistics formats (issue 12 §3): same contract, same errors, rows as the format counts them
    ("både sav og csv", "figures", lambda root: write_sav(root / K)),
    ("SPSS-kode uden kategori", "figures", spss(codes={(4, "vurdering_ka"): 5})),
    ("SPSS-etiket uden for kontrakten", "figures", spss({"vurdering_samlet": {9.0: "Uoplyst"}}, {(6, "vurdering_samlet"): 9})),
    ("Stata: antal uden for det plausible", "figures", then(cell(B, 11, "voksne", "-1"), in_format(B, ".dta"))),
    ("SAS: ukendt gruppe", "figures", then(cell(B, 7, "gruppe", "indvandrere"), in_format(B, ".sas7bdat"))),
    ("Parquet: tekst i talkolonne", "figures", then(cell(F, 4, "flytninger", "mange"), in_format(F, ".parquet"))),
    ("ødelagt SPSS-fil", "figures", lambda root: ((root / K).unlink(), (root / K).with_suffix(".sav").write_bytes(b"$FL2 broken"))),
    ("ødelagt Parquet-fil", "figures", lambda root: ((root / F).unlink(), (root / F).with_suffix(".parquet").write_bytes(b"PAR1 broken PAR1"))),
]
