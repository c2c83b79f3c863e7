"""Read a CSV file: find its character set, its line endings and its delimiter, then its rows.

In:  the bytes of ``data/**/<table>.csv``.
Out: a ``RawTable`` of text cells, or a ``DataError`` naming the file and the row.

Character sets, by a rule that refuses rather than guesses (data/README.md, "Tegnsæt"):
1. A byte-order mark decides: UTF-8, UTF-16 (LE/BE) or UTF-32.
2. Without one, a file whose every other byte is 0 is UTF-16 (column names are ASCII, so the
   pattern is unmistakable); other NUL bytes are left for the cell check to name.
3. Valid UTF-8 is UTF-8.
4. Otherwise the file is an old 8-bit export: Windows-1252 (Excel's Danish "CSV
   (semikolonsepareret)") or the Danish DOS code page (cp865; cp850 has the same letters).
   Each is ruled out by bytes it cannot hold or would turn into characters no Danish data file
   has ("K›benhavn" is "København" in DOS; "K°benhavn" is it in Windows-1252). Exactly one must
   remain; if both or neither do, the file is refused with the row of the first such byte.
Line endings: CRLF, LF, CR alone (old Mac Excel) and any mix are all read as line ends.
An Excel "sep=;" first line names the delimiter and is not a row (Excel hides it too).
"""

from __future__ import annotations

import codecs
import csv
import io
import re

from hæfte import format as fmt
from hæfte.errors import DataError
from hæfte.rawtable import MAX_CELL, RawTable, make_table, too_long

# Windows-1252 bytes 0x80-0x9F that Danish text does use: € „ … ‘ ’ “ ” • – — ™
_CP1252_USED = frozenset(b"\x80\x84\x85\x91\x92\x93\x94\x95\x96\x97\x99")
# DOS bytes for letters (ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜøØ, £) and áíóúñÑªº¿: 0x80-0x9D, 0xA0-0xA8;
# cp850 and cp865 agree on all of them. Above 0xA8 DOS has box drawing and Greek letters.
_DOS_USED = frozenset(range(0x80, 0x9E)) | frozenset(range(0xA0, 0xA9))
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_NAMES = {"utf-32": "UTF-32", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16 (LE, uden BOM)",
          "utf-16-be": "UTF-16 (BE, uden BOM)"}
_SAVE_AS = "gem filen som CSV i UTF-8"


def _row_of(raw: bytes, position: int) -> int:
    before = raw[:position]
    return before.count(b"\n") + before.replace(b"\r\n", b"").count(b"\r") + 1


def _strict(raw: bytes, encoding: str, shown: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        bad = raw[exc.start:exc.end].hex(" ").upper()
        raise DataError(shown, f"filen er ikke gyldig {_NAMES[encoding]} (bytes {bad}); {_SAVE_AS}",
                        row=_row_of(raw, exc.start)) from None


def _utf16_without_bom(raw: bytes) -> str | None:
    if len(raw) % 2 or b"\x00" not in raw[:200]:
        return None
    even, odd = raw[0::2], raw[1::2]
    if even.count(0) == 0 and odd.count(0) > len(odd) // 3:
        return "utf-16-le"
    if odd.count(0) == 0 and even.count(0) > len(even) // 3:
        return "utf-16-be"
    return None


def _legacy(raw: bytes, shown: str) -> str:
    """Windows-1252 or Danish DOS, by the bytes each could not have written."""
    high = [(i, b) for i, b in enumerate(raw) if b >= 0x80]
    not_1252 = next(((i, b) for i, b in high if 0x80 <= b <= 0x9F and b not in _CP1252_USED), None)
    not_dos = next(((i, b) for i, b in high if b not in _DOS_USED), None)
    if not_1252 and not not_dos:
        return "cp865"
    if not_dos and not not_1252:
        return "cp1252"
    if not_1252 and not_dos:
        i, b = min(not_1252, not_dos)
        raise DataError(shown, f"tegnsættet kendes ikke: byten 0x{b:02X} er hverken UTF-8, Windows-1252 eller "
                        f"dansk DOS (cp865/cp850); {_SAVE_AS}", row=_row_of(raw, i))
    i, b = high[0]
    as_1252, as_dos = bytes([b]).decode("cp1252"), bytes([b]).decode("cp865")
    raise DataError(shown, f"tegnsættet kan ikke afgøres: byten 0x{b:02X} er '{as_1252}' i Windows-1252 og "
                    f"'{as_dos}' i dansk DOS (cp865), og filen har ingen æ, ø eller å, der afgør det; {_SAVE_AS}",
                    row=_row_of(raw, i))


def decode(raw: bytes, shown: str) -> str:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return _strict(raw, encoding, shown).lstrip("\ufeff")
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return _strict(raw, utf16, shown)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(_legacy(raw, shown))


_SEP_LINE = re.compile(r"sep=(.)\s*")


def read_csv(raw: bytes, shown: str, name: str) -> RawTable:
    if not raw.strip():
        raise DataError(shown, "filen er tom")
    text = decode(raw, shown).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n", 2)
    sep = _SEP_LINE.fullmatch(lines[0])
    if sep:
        text = text.split("\n", 1)[1] if len(lines) > 1 else ""
    header = text.split("\n", 1)[0]
    if not header.strip():
        raise DataError(shown, "første række er tom: overskrifterne skal stå i række 1", row=1)
    if sep:
        delimiter = sep.group(1)
    elif ";" in header:
        delimiter = ";"
    elif "," in header:
        delimiter = ","
    else:
        seen = next((d for d in ("\t", "|") if d in header), None)
        hint = f" (første række ser ud til at bruge {'tabulator' if seen == chr(9) else repr(seen)})" if seen else ""
        raise DataError(shown, "kan ikke finde skilletegn: brug komma (UTF-8) eller semikolon "
                        f"(dansk Excel-eksport){hint}", row=1)
    if delimiter not in ",;":
        raise DataError(shown, f"skilletegnet {delimiter!r} (fra 'sep=') understøttes ikke: brug komma eller "
                        "semikolon", row=1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for record in reader:
            rows.append(record)
    except csv.Error as exc:
        row = len(rows) + 1
        problem = (f"et felt er over {fmt.number(csv.field_size_limit())} tegn langt; højst {fmt.number(MAX_CELL)} "
                   "tegn (mangler et afsluttende anførselstegn?)" if "field larger" in str(exc) else f"ugyldig CSV: {exc}")
        raise DataError(shown, problem, row=row) from None
    columns = rows[0]
    body = list(enumerate(rows[1:], start=2))
    for i, record in body:
        if record and max(map(len, record)) > MAX_CELL:  # said first: an unclosed quote also makes the row ragged
            long = next(cell for cell in record if len(cell) > MAX_CELL)
            raise DataError(shown, too_long(len(long), "\n" in long), row=i)
        if len(record) != len(columns) and any(cell.strip() for cell in record):
            raise DataError(shown, f"rækken har {len(record)} felter, men overskriften har {len(columns)}", row=i)
    return make_table(name, shown, columns, body, decimal_comma=delimiter == ";")
