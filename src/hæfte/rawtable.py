"""The raw table every reader hands on, and the text rules every format shares.

In:  the header and the rows a reader found (CSV, .xlsx, .sav, .sas7bdat, .dta, .parquet), each
     cell as text, as a number the format typed (``int``, ``float``, ``Decimal``, ``Percent``),
     or empty.
Out: ``RawTable`` with clean text cells, or a ``DataError`` naming file, row and column.

The rules (documented in data/README.md, "Normalisering"):
- line breaks and tabs inside a cell become one space; no-break and other Unicode spaces become
  a space; runs of spaces become one; spaces at either end go; text is put in Unicode form NFC.
  So a cell never carries a line into the Markdown, and "København" typed with a combining ring
  is the same name as the one typed with "å".
- NUL bytes, other control characters, invisible format characters (zero-width space, soft
  hyphen, direction overrides), the replacement character "�" and text that was UTF-8 read as
  Windows-1252 ("KÃ¸benhavn") are errors: they hide or change what a reader sees.
- a cell holds at most ``MAX_CELL`` characters (a longer one is nearly always an unclosed quote).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from hæfte import format as fmt
from hæfte.errors import DataError

MAX_CELL = 1000

# Every character a line can end with in some tool, and tabs: a cell holds one line.
_BREAKS = re.compile("[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_SPACES = re.compile(r"\s+")  # all Unicode white space, no-break spaces included
# UTF-8 text that was once read as Windows-1252 and saved again: "KÃ¸benhavn" for "København"
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf¦¸¥˜…†]")
HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


class Percent(Decimal):
    """A number a spreadsheet shows as a percentage, in percent: 0.204 shown as "20,4 %" is 20.4."""



@dataclass(frozen=True)
class RawTable:
    name: str
    path: str  # as shown to the user, relative to the project
    frame: pd.DataFrame  # text cells (str) or numbers the format typed; index = row as the user sees it
    decimal_comma: bool = False  # the Danish export writes 20,4 for 20.4
    header_row: int | None = 1  # the row of column names, where the format has one
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # column -> code -> value label


def too_long(length: int, lines: bool = False) -> str:
    hint = " (mangler et afsluttende anførselstegn?)" if lines else ""
    return f"et felt er {fmt.number(length)} tegn langt; højst {fmt.number(MAX_CELL)} tegn{hint}"


def character_name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def clean_text(value: str) -> str | tuple[str]:
    """The cell as hæfte reads it, or a 1-tuple with the problem when the cell can't be read."""
    if value.isascii() and value.isprintable():  # the common case, checked fast
        text = " ".join(value.split())
        return text if len(text) <= MAX_CELL else (too_long(len(text)),)
    text = _SPACES.sub(" ", _BREAKS.sub(" ", value)).strip()
    for ch in text:
        if ch == "\x00":
            return ("cellen indeholder et NUL-tegn (byte 0); filen er beskadiget eller i et andet tegnsæt",)
        if ch == "\ufffd":
            return ("cellen indeholder erstatningstegnet '\ufffd': tegn er gået tabt ved en tidligere "
                    "konvertering; gem filen på ny fra kilden",)
        if unicodedata.category(ch) == "Cc":
            return (f"cellen indeholder kontroltegnet {character_name(ch)}, som ikke hører hjemme i data",)
        if unicodedata.category(ch) in HIDDEN_CATEGORIES:
            return (f"cellen indeholder det usynlige tegn {character_name(ch)}, som ikke hører hjemme i data",)
    m = _MOJIBAKE.search(text)
    if m:
        return (f"'{text}' ligner dobbeltkodet tekst (UTF-8, der er læst som Windows-1252 og gemt igen); "
                "gem filen på ny fra kilden",)
    text = unicodedata.normalize("NFC", text)
    if len(text) > MAX_CELL:
        return (too_long(len(text), "\n" in value),)
    return text


def columns_of(header: list, body: list[list], shown: str, header_row: int | None) -> tuple[list[str], list[list]]:
    """Clean column names; drop empty trailing columns a spreadsheet adds; refuse nameless or twice-named ones."""
    names = []
    for i, cell in enumerate(header):
        name = clean_text(str(cell)) if cell not in (None, "") else ""
        if isinstance(name, tuple):  # the name itself is not echoed: it holds what can't be shown
            raise DataError(shown, f"overskriften i kolonne nr. {i + 1}: {name[0]}", row=header_row)
        names.append(name)
    width = len(names)
    while width and names[width - 1] == "" and all(_empty(r[width - 1]) for r in body if len(r) >= width):
        width -= 1
    names = names[:width]
    for i, name in enumerate(names):
        if name == "":
            raise DataError(shown, f"kolonne nr. {i + 1} har ingen overskrift, men rummer data", row=header_row)
        if names.index(name) != i:
            raise DataError(shown, f"kolonnen står to gange (kolonne nr. {names.index(name) + 1} og {i + 1})",
                            row=header_row, column=name)
    return names, [r[:width] if len(r) > width else r for r in body]


def _empty(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


class _Unreadable(Exception):
    """The flat position of the first cell in reading order that can't be read, and the problem."""


def _clean_cells(grid: np.ndarray) -> np.ndarray:
    """Every cell as hæfte reads it (an empty cell is ""), or ``_Unreadable`` for the first cell in
    reading order (row, then column) that can't be read.

    Each distinct text is cleaned once: a table repeats a few values many times (years, codes,
    answers). Cells of text only (every CSV) are grouped by pandas in one pass; numbers a format
    typed are left as they are, cell by cell, as 1, 1.0 and Decimal("1") are equal keys that
    must stay apart."""
    cells = grid.ravel()  # row by row: reading order
    if pd.api.types.infer_dtype(cells, skipna=False) == "string":
        codes, texts = pd.factorize(cells)
        cleaned = [clean_text(text) for text in texts]
        bad = [k for k, v in enumerate(cleaned) if isinstance(v, tuple)]
        if bad:
            i = int(np.isin(codes, bad).argmax())
            raise _Unreadable(i, cleaned[codes[i]][0])
        return np.array(cleaned, dtype=object)[codes].reshape(grid.shape)
    known: dict[str, str | tuple[str]] = {}
    values = np.empty(len(cells), dtype=object)
    for i, cell in enumerate(cells):
        if isinstance(cell, str):
            value = known[cell] if cell in known else known.setdefault(cell, clean_text(cell))
            if isinstance(value, tuple):
                raise _Unreadable(i, value[0])
            values[i] = value
        else:
            values[i] = "" if cell is None else cell
    return values.reshape(grid.shape)


def make_table(name: str, shown: str, header: list, rows: list[tuple[int, list]], *, decimal_comma: bool = False,
               header_row: int | None = 1, labels: dict | None = None) -> RawTable:
    """A ``RawTable`` from numbered rows (row number as the user sees it, cells); text cells cleaned.

    Rows of nothing but empty cells are left out; the first cell that can't be read, in reading
    order, stops it with its row and column."""
    columns, bodies = columns_of(header, [cells for _, cells in rows], shown, header_row)
    width = len(columns)
    # a short row gets empty cells (a spreadsheet leaves trailing blanks out); one object array holds them all
    padded = [cells if len(cells) == width else cells + [""] * (width - len(cells)) for cells in bodies]
    grid = np.array(padded, dtype=object) if padded and width else np.empty((len(bodies), width), dtype=object)
    try:
        values = _clean_cells(grid)
    except _Unreadable as unreadable:
        position, problem = unreadable.args
        raise DataError(shown, problem, row=rows[position // width][0], column=columns[position % width]) from None
    keep = ~(values == "").all(axis=1)  # a number a format typed is never ""
    if not keep.any():
        raise DataError(shown, "filen har kun en overskrift og ingen data" if header_row else "filen har ingen data")
    frame = pd.DataFrame(values[keep], columns=columns, dtype=object)
    frame.index = pd.Index([n for (n, _), kept in zip(rows, keep) if kept])
    return RawTable(name, shown, frame, decimal_comma, header_row, labels or {})
