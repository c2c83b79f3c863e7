"""Read the project's data files into raw tables of text, without judging their content.

In:  ``data/**/*.csv`` (UTF-8 with comma, or the Danish Excel export: semicolon, decimal comma,
     cp1252), ``data/**/*.xlsx`` and the fact files ``data/fakta/*.yaml``.
Out: ``RawTable`` (every cell as a stripped string, with the file and the dialect it came in)
     and plain dicts for the facts. ``validate`` turns them into typed tables.

Every cell stays text here so that ``validate`` can name the exact row and column of a bad
value; row numbers are those a spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from hæfte.errors import DataError
from hæfte.project import FACT_FILES, TABLE_FILES, Project


@dataclass(frozen=True)
class RawTable:
    name: str
    path: str  # as shown to the user, relative to the project
    frame: pd.DataFrame  # all cells are str; the index is the spreadsheet row number
    decimal_comma: bool  # the Danish export writes 20,4 for 20.4


@dataclass(frozen=True)
class RawData:
    tables: dict[str, RawTable]
    facts: dict[str, dict]
    files: dict[str, Path]  # every input file, for hashing and watching


def _decode(path: Path, shown: str) -> str:
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(shown, "filen er tom")
    try:
        return raw.decode("utf-8-sig")  # also strips a byte-order mark
    except UnicodeDecodeError:
        # Excel's Danish "CSV (semikolonsepareret)" export is Windows-1252.
        return raw.decode("cp1252")


# UTF-8 text that was once read as Windows-1252 and saved again: "KÃ¸benhavn" for "København"
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf¦¸¥˜…†]")


def _check_mojibake(text: str, shown: str) -> None:
    m = _MOJIBAKE.search(text)
    if m:
        row = text.count("\n", 0, m.start()) + 1
        start, end = m.start(), m.end()
        while start > 0 and text[start - 1] not in ",;\n\"":
            start -= 1
        while end < len(text) and text[end] not in ",;\n\"":
            end += 1
        raise DataError(shown, f"'{text[start:end]}' ligner dobbeltkodet tekst (UTF-8, der er "
                        "læst som Windows-1252 og gemt igen); gem filen på ny fra kilden", row=row)


def read_csv(path: Path, shown: str, name: str) -> RawTable:
    text = _decode(path, shown)
    _check_mojibake(text, shown)
    header = text.splitlines()[0]
    if ";" in header:
        delimiter, decimal_comma = ";", True
    elif "," in header:
        delimiter, decimal_comma = ",", False
    else:
        seen = next((d for d in ("\t", "|") if d in header), None)
        hint = f" (første række ser ud til at bruge {'tabulator' if seen == chr(9) else repr(seen)})" if seen else ""
        raise DataError(shown, "kan ikke finde skilletegn: brug komma (UTF-8) eller semikolon "
                        f"(dansk Excel-eksport){hint}", row=1)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    columns = [c.strip() for c in rows[0]]
    body = rows[1:]
    for i, row in enumerate(body, start=2):
        if len(row) != len(columns) and any(cell.strip() for cell in row):
            raise DataError(shown, f"rækken har {len(row)} felter, men overskriften har {len(columns)}", row=i)
    body = [r for r in body if any(cell.strip() for cell in r)]
    if not body:
        raise DataError(shown, "filen har kun en overskrift og ingen data")
    frame = pd.DataFrame([[c.strip() for c in r] for r in body], columns=columns, dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return RawTable(name, shown, frame, decimal_comma)


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(path: Path, shown: str, name: str) -> RawTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise DataError(shown, f"kan ikke læses som Excel-regneark (.xlsx): {type(exc).__name__}") from None
    sheet = book.worksheets[0]
    rows = [[_xlsx_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows or not any(rows[0]):
        raise DataError(shown, "regnearket er tomt")
    columns = rows[0]
    while columns and columns[-1] == "":
        columns = columns[:-1]
    body = [r[: len(columns)] for r in rows[1:]]
    numbered = [(i, r) for i, r in enumerate(body, start=2) if any(r)]
    if not numbered:
        raise DataError(shown, "regnearket har kun en overskrift og ingen data")
    frame = pd.DataFrame([r for _, r in numbered], columns=columns, dtype=object)
    frame.index = pd.Index([i for i, _ in numbered])
    return RawTable(name, shown, frame, decimal_comma=False)


def read_table(project: Project, name: str, path: Path | None = None) -> RawTable:
    path = path or project.table_path(name)
    shown = project.relative(path)
    if path.suffix == ".xlsx":
        return read_xlsx(path, shown, name)
    return read_csv(path, shown, name)


def read_facts(project: Project, name: str) -> dict:
    path = project.fact_path(name)
    shown = project.relative(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raise DataError(shown, f"ugyldig YAML: {getattr(exc, 'problem', exc)}", row=row) from None
    if not isinstance(data, dict):
        raise DataError(shown, "skal være en YAML-ordbog (nøgle: værdi)")
    return data


def load(project: Project) -> RawData:
    """Read every file of the data contract. Nothing is written."""
    files = {name: project.table_path(name) for name in TABLE_FILES}
    tables = {name: read_table(project, name, files[name]) for name in TABLE_FILES}
    facts = {name: read_facts(project, name) for name in FACT_FILES}
    files.update({f"fakta/{name}": project.fact_path(name) for name in FACT_FILES})
    return RawData(tables, facts, files)
