"""Read the files statistics programs write: SPSS .sav, SAS .sas7bdat, Stata .dta and Parquet.

In:  ``data/**/<table>.sav|.sas7bdat|.dta`` (pyreadstat) or ``.parquet`` (DuckDB).
Out: a ``RawTable`` whose rows are numbered 1, 2, … as SPSS's Data View, SAS's observation
     number and Stata's ``_n`` show them (Parquet has no row numbers of its own: the first record
     is 1); numbers stay numbers, value labels travel along for ``validate`` to map onto the
     contract's answer categories.

SPSS and SAS variable names are not case sensitive, so they are read in lower case. User-defined
missing values (SPSS) and special missing values (Stata .a–.z, SAS .A–.Z) are kept as their
codes, never turned into blanks: "Ved ikke" coded 8 and declared missing is still an answer,
and a code without a category is an error, not a silent gap.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from hæfte.errors import DataError
from hæfte.rawtable import RawTable, make_table

FORMATS = {".sav": "SPSS-fil (.sav)", ".sas7bdat": "SAS-datasæt (.sas7bdat)", ".dta": "Stata-fil (.dta)",
           ".parquet": "Parquet-fil (.parquet)"}
_CASE_INSENSITIVE = (".sav", ".sas7bdat")


def code_text(value) -> str:
    """A code as the contract writes it: 1.0 -> '1'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cell(value, shown: str, row: int, column: str):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (str, int, float, Decimal)):
        return value
    if isinstance(value, (datetime, date, time, timedelta)) or hasattr(value, "to_pydatetime"):
        raise DataError(shown, f"'{value}' er en dato eller et tidspunkt; ingen kolonne i datakontrakten er en "
                        "dato: gem variablen som tal eller tekst", row=row, column=column)
    raise DataError(shown, f"værdien har typen {type(value).__name__}, som hæfte ikke læser (kun tal og tekst)",
                    row=row, column=column)


def _readstat(path: Path, shown: str) -> tuple[list[str], list[list], dict]:
    try:
        import pyreadstat
    except ImportError:
        raise DataError(shown, "for at læse SPSS-, SAS- og Stata-filer skal pakken pyreadstat være installeret "
                        "(pip install pyreadstat)") from None
    suffix = path.suffix.lower()
    read = {".sav": pyreadstat.read_sav, ".dta": pyreadstat.read_dta, ".sas7bdat": pyreadstat.read_sas7bdat}[suffix]
    options = {"user_missing": True}
    if suffix != ".sas7bdat":
        options["apply_value_formats"] = False
    try:
        frame, meta = read(str(path), **options)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, OSError, ValueError, UnicodeError) as exc:
        raise DataError(shown, f"kan ikke læses som {FORMATS[suffix]}: {str(exc).replace(str(path), shown)}") from None
    columns = [str(c) for c in frame.columns]
    labels = {str(col): {code_text(k): str(v) for k, v in mapping.items()}
              for col, mapping in (meta.variable_value_labels or {}).items()}
    rows = [list(r) for r in frame.itertuples(index=False, name=None)]
    return columns, rows, labels


def _parquet(path: Path, shown: str) -> tuple[list[str], list[list], dict]:
    try:
        import duckdb
    except ImportError:
        raise DataError(shown, "for at læse Parquet skal pakken duckdb være installeret (pip install duckdb)") from None
    con = duckdb.connect()
    try:
        relation = con.read_parquet(str(path))
        columns, types = list(relation.columns), [str(t) for t in relation.types]
        for column, kind in zip(columns, types):
            if any(k in kind for k in ("[", "STRUCT", "MAP", "UNION", "BLOB")):
                raise DataError(shown, f"kolonnen har typen {kind}; hæfte læser kun tal og tekst", column=column)
        rows = [list(r) for r in relation.fetchall()]
    except duckdb.Error as exc:
        problem = str(exc).splitlines()[0].replace(f" in file '{path}'", "").replace(str(path), shown)
        raise DataError(shown, f"kan ikke læses som {FORMATS['.parquet']}: {problem}") from None
    finally:
        con.close()
    return columns, rows, {}


def read_statfile(path: Path, shown: str, name: str) -> RawTable:
    suffix = path.suffix.lower()
    columns, rows, labels = (_parquet if suffix == ".parquet" else _readstat)(path, shown)
    if suffix in _CASE_INSENSITIVE:
        columns = [c.lower() for c in columns]
        labels = {c.lower(): v for c, v in labels.items()}
    numbered = [(n, [_cell(v, shown, n, columns[i]) for i, v in enumerate(r)]) for n, r in enumerate(rows, start=1)]
    return make_table(name, shown, columns, numbered, header_row=None, labels=labels)
