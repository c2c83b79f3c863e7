"""Write a project table as the statistics programs do: SPSS .sav, Stata .dta, SAS .sas7bdat, Parquet.

Answer columns become numeric codes with value labels (SPSS, Stata), as survey platforms export
them; "Ved ikke" is code 8 and declared a user-missing value in SPSS, as is common. SAS gets the
answers as text (its labels live in a separate format catalogue), Parquet gets the types DuckDB
infers from the CSV. pyreadstat cannot write SAS data sets, so the ReadStat library inside it
is called directly for that (its C API: readstat.h, ``readstat_begin_writing_sas7bdat``).
"""

from __future__ import annotations

import ctypes
import glob
import math
import os
from pathlib import Path

import pandas as pd
import pyreadstat

from hæfte.contract import CATEGORICAL
from helpers import read_rows

MISSING_CODE = 8  # "Ved ikke" in SPSS exports, declared user-missing


def _codes(values: set[str]) -> dict[str, int] | None:
    """Codes for an answer column (not the 1/0 multiple-choice ones, whose codes are the answers)."""
    for kind, allowed in CATEGORICAL.items():
        if kind != "valg" and values and values <= set(allowed) - {""}:
            answers = [a for a in allowed if a]
            return {a: (MISSING_CODE if a == "Ved ikke" else i + 1) for i, a in enumerate(answers)}
    return None


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return None


def frame_of(csv_path: Path, extra_labels: dict | None = None, codes: dict | None = None):
    """The table with answer columns coded, and the value labels: (frame, labels, missing).

    ``extra_labels`` adds labels ({column: {code: label}}); ``codes`` puts a code in a cell
    ({(row, column): code}, rows as the CSV's spreadsheet rows)."""
    rows = read_rows(csv_path)
    header, body = rows[0], rows[1:]
    data, labels, missing = {}, {}, {}
    for i, name in enumerate(header):
        cells = [r[i] for r in body]
        filled = {c for c in cells if c != ""}
        coding = _codes(filled)
        if coding:
            data[name] = [float(coding[c]) if c else math.nan for c in cells]
            labels[name] = {float(v): k for k, v in coding.items()}
            if "Ved ikke" in coding:
                missing[name] = [float(MISSING_CODE)]
        elif all(_number(c) is not None for c in filled) and filled:
            data[name] = [_number(c) if c else math.nan for c in cells]
        else:
            data[name] = cells
    for name, extra in (extra_labels or {}).items():
        labels[name] = {**labels.get(name, {}), **extra}
    for (row, name), code in (codes or {}).items():
        data[name][row - 2] = float(code)
    return pd.DataFrame(data), labels, missing


def write_sav(csv_path: Path, extra_labels: dict | None = None, codes: dict | None = None) -> Path:
    frame, labels, missing = frame_of(csv_path, extra_labels, codes)
    out = csv_path.with_suffix(".sav")
    pyreadstat.write_sav(frame, str(out), variable_value_labels=labels, missing_ranges=missing)
    return out


def write_dta(csv_path: Path) -> Path:
    frame, labels, _ = frame_of(csv_path)
    out = csv_path.with_suffix(".dta")
    pyreadstat.write_dta(frame, str(out), variable_value_labels={k: {int(c): v for c, v in m.items()}
                                                                for k, m in labels.items()})
    return out


def write_parquet(csv_path: Path) -> Path:
    import duckdb

    out = csv_path.with_suffix(".parquet")
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', header = true)) TO '{out}' (FORMAT parquet)")
    con.close()
    return out


# ---------------------------------------------------------------- SAS, through ReadStat's C API
_WRITER = ctypes.CFUNCTYPE(ctypes.c_ssize_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p)
_STRING, _DOUBLE = 0, 5  # readstat_type_t


def _readstat():
    so = glob.glob(os.path.join(os.path.dirname(pyreadstat.__file__), "_readstat_writer*"))[0]
    lib = ctypes.CDLL(so)
    p = ctypes.c_void_p
    lib.readstat_writer_init.restype = p
    lib.readstat_set_data_writer.argtypes = [p, _WRITER]
    lib.readstat_add_variable.restype = p
    lib.readstat_add_variable.argtypes = [p, ctypes.c_char_p, ctypes.c_int, ctypes.c_size_t]
    lib.readstat_begin_writing_sas7bdat.argtypes = [p, p, ctypes.c_long]
    for name in ("readstat_begin_row", "readstat_end_row", "readstat_end_writing", "readstat_writer_free"):
        getattr(lib, name).argtypes = [p]
    lib.readstat_insert_double_value.argtypes = [p, p, ctypes.c_double]
    lib.readstat_insert_string_value.argtypes = [p, p, ctypes.c_char_p]
    lib.readstat_insert_missing_value.argtypes = [p, p]
    return lib


def write_sas7bdat(csv_path: Path) -> Path:
    rows = read_rows(csv_path)
    header, body = rows[0], rows[1:]
    numeric = [all(_number(r[i]) is not None for r in body if r[i]) for i in range(len(header))]
    lib, out = _readstat(), bytearray()

    def sink(data, size, _ctx):
        out.extend(ctypes.string_at(data, size))
        return size

    callback = _WRITER(sink)
    writer = lib.readstat_writer_init()
    assert lib.readstat_set_data_writer(writer, callback) == 0
    variables = []
    for i, name in enumerate(header):
        width = 8 if numeric[i] else max([len(r[i].encode()) for r in body] + [1])
        variables.append(lib.readstat_add_variable(writer, name.upper().encode(), _DOUBLE if numeric[i] else _STRING,
                                                   width))
    assert lib.readstat_begin_writing_sas7bdat(writer, None, len(body)) == 0
    for r in body:
        lib.readstat_begin_row(writer)
        for i, variable in enumerate(variables):
            if numeric[i] and r[i] == "":
                lib.readstat_insert_missing_value(writer, variable)
            elif numeric[i]:
                lib.readstat_insert_double_value(writer, variable, float(r[i]))
            else:
                lib.readstat_insert_string_value(writer, variable, r[i].encode())
        lib.readstat_end_row(writer)
    status = lib.readstat_end_writing(writer)
    lib.readstat_writer_free(writer)
    assert status == 0, status
    target = csv_path.with_suffix(".sas7bdat")
    target.write_bytes(bytes(out))
    return target


WRITERS = {".sav": write_sav, ".dta": write_dta, ".sas7bdat": write_sas7bdat, ".parquet": write_parquet}


def convert(csv_path: Path, suffix: str) -> Path:
    """Replace a table's CSV by the same table in another format."""
    out = WRITERS[suffix](csv_path)
    csv_path.unlink()
    return out
