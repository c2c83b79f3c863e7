"""Helpers for tests that edit data files and run the real command line."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hæfte", *args], cwd=cwd, capture_output=True, text=True)


def data_error(root: Path) -> str:
    """The one-line message of the DataError that reading the project at ``root`` stops with."""
    import pytest

    from hæfte import pipeline
    from hæfte.errors import DataError
    from hæfte.project import Project

    with pytest.raises(DataError) as info:
        pipeline.results(Project.find(root))
    return str(info.value)


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set a cell by spreadsheet row number (header = row 1) and column name."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)
