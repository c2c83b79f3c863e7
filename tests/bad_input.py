"""The bad-input corpus: each case breaks a copy of the project in one way.

Each entry: (name, command, mutation). The expected one-line message of each case is in
``test_bad_input.py``. Mutations take the project folder and change files in it.
"""

from __future__ import annotations

from pathlib import Path

from helpers import read_rows, set_cell, write_rows

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


def header_only(root: Path):
    path = root / K
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


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
]
