"""Read the project's data files into raw tables, without judging their content.

In:  every table of the data contract in one of six formats, ``data/**/<table>.csv`` (UTF-8 with
     comma, or the Danish Excel export: semicolon, decimal comma, Windows-1252), ``.xlsx``,
     ``.sav``, ``.sas7bdat``, ``.dta`` or ``.parquet``, and the fact files ``data/fakta/*.yaml``.
Out: ``RawTable`` (text cells cleaned by the shared rules of ``rawtable``; numbers a format typed
     stay numbers; the row numbers the user sees) and plain dicts for the facts. ``validate``
     turns them into typed tables.

The files are found first: a table file that is missing, doubled (``kommuner.csv`` and
``kommuner.sav``) or outside the project stops the run before a byte of data is read. The fact
files are small and read at once; each table is read the first time it is asked for, so
``validate``, which checks the tables one by one in the contract's order, stops at a broken table
before the bigger ones after it (the register data) are read.

Row numbers are those the user's tool shows: a spreadsheet's row for CSV and .xlsx (the header
is row 1), the case or observation number (1, 2, …) for the statistics formats. Every path goes
through ``Project.inside``: a data file or folder that is a symlink out of the project is refused.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from hæfte.errors import DataError
from hæfte.memo import Memo
from hæfte.project import FACT_FILES, TABLE_FILES, Project
from hæfte.rawtable import RawTable
from hæfte.spreadsheet import read_xlsx
from hæfte.statfiles import FORMATS, read_statfile
from hæfte.textfile import read_csv

__all__ = ["RawData", "RawTable", "TableFiles", "load", "read_facts", "read_table"]


class TableFiles(Mapping[str, RawTable]):
    """The contract's tables by name, each read from its file the first time it is asked for."""

    def __init__(self, project: Project, files: dict[str, Path]):
        self._project, self._files, self._read = project, files, {}

    def __getitem__(self, name: str) -> RawTable:
        if name not in self._read:
            self._read[name] = read_table(self._project, name, self._files[name])
        return self._read[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


@dataclass(frozen=True)
class RawData:
    tables: Mapping[str, RawTable]  # read on first use
    facts: dict[str, dict]
    paths: dict[str, str]  # table name -> its file as shown to the user


# CSV tables and fact files kept by the exact bytes they were read from (``hæfte.memo``): the
# preview's rebuild after one file is saved, a notebook's rerun and 'hæfte check' after a build
# read every file again, and parsing the register's CSV is most of that time (some 90 ms of
# 110). The bytes that are hashed are the bytes that are parsed, so a file saved during the read
# cannot give the old content's key the new content's table. The other formats are read by
# libraries that open the file themselves, so they are read every time. Each caller gets its own
# frame, value labels and facts to change. Twelve tables: the six and a few earlier versions of
# the ones being edited (the register's aggregate, the largest, is some 4 MB in memory).
_csv_tables: Memo[RawTable] = Memo(size=12, copy=lambda raw: dataclasses.replace(
    raw, frame=raw.frame.copy(), labels=copy.deepcopy(raw.labels)))
_fact_files: Memo[dict] = Memo(size=16, copy=copy.deepcopy)


def read_table(project: Project, name: str, path: Path | None = None) -> RawTable:
    path = path or project.table_path(name)
    shown = project.shown(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_xlsx(path, shown, name)
    if suffix in FORMATS:
        return read_statfile(path, shown, name)
    raw = path.read_bytes()
    return _csv_tables.get((raw, shown, name), lambda: read_csv(raw, shown, name))


def read_facts(project: Project, name: str) -> dict:
    path = project.fact_path(name)
    shown = project.shown(path)
    raw = path.read_bytes()
    return _fact_files.get((raw, shown), lambda: _parse_facts(raw, shown))


def _parse_facts(raw: bytes, shown: str) -> dict:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw[:exc.start].count(b"\n") + 1
        raise DataError(shown, f"filen er ikke UTF-8 (byte 0x{raw[exc.start]:02X}); gem den som UTF-8", row=row) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raise DataError(shown, f"ugyldig YAML: {getattr(exc, 'problem', exc)}", row=row) from None
    if not isinstance(data, dict):
        raise DataError(shown, "skal være en YAML-ordbog (nøgle: værdi)")
    return data


def load(project: Project) -> RawData:
    """Find every file of the data contract and read the fact files; the tables are read when
    first asked for. Nothing is written."""
    files = {name: project.table_path(name) for name in TABLE_FILES}
    facts = {name: read_facts(project, name) for name in FACT_FILES}
    return RawData(TableFiles(project, files), facts, {name: project.shown(path) for name, path in files.items()})
