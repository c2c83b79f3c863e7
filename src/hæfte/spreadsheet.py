"""Read an Excel workbook (.xlsx): one explicit sheet, every cell as Excel shows it or an error.

In:  ``data/**/<table>.xlsx``.
Out: a ``RawTable`` (numbers stay numbers, a percent-formatted number becomes ``Percent``), or a
     ``DataError`` naming the file, the spreadsheet row, the column and the cell (``D5``).

Which sheet: the visible sheet named as the table (``kommuner``, ``beboere``…), else the only
visible sheet; a hidden sheet is never read. What is refused rather than read as blank or as
a wrong number: formulas without a saved result, merged cells, hidden rows and columns (a
filter hides rows, and hidden data would still be counted), and dates (no column is a date:
Excel turns "2004" typed into a date cell into 1905-06-26).
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from hæfte.errors import DataError
from hæfte.rawtable import Percent, RawTable, make_table

_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _percent_format(number_format: str) -> bool:
    return "%" in re.sub(r'"[^"]*"|\\.', "", number_format or "")


def _choose_sheet(book, name: str, shown: str):
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    named = [ws for ws in book.worksheets if ws.title.strip().casefold() == name.casefold()]
    if named:
        if named[0].sheet_state != "visible":
            raise DataError(shown, f"arket '{named[0].title}' er skjult; hæfte læser aldrig skjulte ark: "
                            "vis arket, eller læg data i et synligt ark")
        return named[0]
    if len(visible) == 1:
        return visible[0]
    if not visible:
        raise DataError(shown, "arbejdsbogen har intet synligt ark")
    titles = ", ".join(f"'{ws.title}'" for ws in visible)
    raise DataError(shown, f"arbejdsbogen har flere synlige ark ({titles}): kald arket med data '{name}', "
                    "eller slet eller skjul de andre")


def _refuse_layout(sheet, shown: str, header: list) -> None:
    def column_name(index: int) -> str | None:
        return str(header[index - 1]) if 0 < index <= len(header) and header[index - 1] not in (None, "") else None

    for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        raise DataError(shown, f"cellerne {merged.coord} i arket '{sheet.title}' er flettet; hæfte læser ikke "
                        "flettede celler: ophæv fletningen og skriv værdien i hver celle",
                        row=merged.min_row, column=column_name(merged.min_col))
    for letter, dim in sorted(sheet.column_dimensions.items()):
        if dim.hidden and dim.min and dim.min <= sheet.max_column:
            raise DataError(shown, f"kolonne {letter} i arket '{sheet.title}' er skjult; vis den eller slet den",
                            row=1, column=column_name(dim.min))
    for row, dim in sorted(sheet.row_dimensions.items()):
        if dim.hidden and row <= sheet.max_row:
            raise DataError(shown, f"rækken er skjult i arket '{sheet.title}' (fx af et filter); vis den eller "
                            "slet den: skjulte rækker tælles med", row=row)


def _value(cell, shown: str, column: str | None):
    value = cell.value
    if cell.data_type == "e":  # '#DIV/0!', '#N/A', '#REF!': a formula that failed
        raise DataError(shown, f"cellen {cell.coordinate} viser Excel-fejlen {value}; ret formlen, eller skriv "
                        "værdien", row=cell.row, column=column)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (datetime, date, time, timedelta)):
        if isinstance(value, datetime) and value.time() == time(0):
            value = value.date()
        raise DataError(shown, f"cellen {cell.coordinate} er en dato eller et klokkeslæt ({value}); ingen kolonne "
                        "i datakontrakten er en dato: formatér cellen som tal eller tekst", row=cell.row, column=column)
    if isinstance(value, (int, float)):
        if _percent_format(cell.number_format):
            return Percent(Decimal(repr(value)) * 100)
        return value
    raise DataError(shown, f"cellen {cell.coordinate} har en værdi, hæfte ikke kan læse ({type(value).__name__})",
                    row=cell.row, column=column)


def _formulas_without_result(path: Path, sheet_title: str, values: dict, shown: str, header: list) -> None:
    """A formula Excel never calculated (a file written by a program) has no value to read."""
    with zipfile.ZipFile(path) as archive:
        if not any(_FORMULA.search(archive.read(n)) for n in archive.namelist() if n.startswith("xl/worksheets/")):
            return
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        formulas = [cell for row in book[sheet_title].iter_rows() for cell in row if cell.data_type == "f"]
    finally:
        book.close()
    for cell in formulas:
        if values.get(cell.coordinate) is None:
            column = header[cell.column - 1] if cell.column <= len(header) else None
            raise DataError(shown, f"cellen {cell.coordinate} har formlen '{cell.value}' uden et gemt resultat; "
                            "åbn og gem filen i Excel, eller indsæt værdierne i stedet for formlen",
                            row=cell.row, column=str(column) if column else None)


def _unreadable(exc: Exception) -> str:
    """Why a workbook can't be opened, in words that do not depend on which XML parser openpyxl
    found installed (the standard library's or lxml's)."""
    import zipfile

    if isinstance(exc, zipfile.BadZipFile):
        return "filen er ikke et gyldigt regneark (ødelagt zip-arkiv)"
    if type(exc).__name__ in ("ParseError", "XMLSyntaxError"):
        return "regnearkets XML er ødelagt"
    return type(exc).__name__


def read_xlsx(path: Path, shown: str, name: str) -> RawTable:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - whatever the parser meets in a broken file, the file is unreadable
        raise DataError(shown, f"kan ikke læses som Excel-regneark (.xlsx): {_unreadable(exc)}") from None
    sheet = _choose_sheet(book, name, shown)
    cells = [list(row) for row in sheet.iter_rows()]
    if not cells or all(c.value in (None, "") for c in cells[0]):
        raise DataError(shown, f"arket '{sheet.title}' er tomt, eller række 1 (overskrifterne) er tom")
    header = [c.value for c in cells[0]]
    _refuse_layout(sheet, shown, header)
    values = {c.coordinate: c.value for row in cells for c in row}
    _formulas_without_result(path, sheet.title, values, shown, header)
    rows = []
    for row in cells[1:]:
        rows.append((row[0].row, [_value(c, shown, str(header[i]) if i < len(header) and header[i] else None)
                                  for i, c in enumerate(row)]))
    return make_table(name, shown, header, rows)
