"""Reading: UTF-8 CSV, the Danish Excel export (semicolon, decimal comma, cp1252) and .xlsx."""

import re

import pytest
from openpyxl import Workbook

from hæfte import pipeline
from hæfte.project import Project
from helpers import read_rows, write_rows

KOMMUNER = "data/survey/kommuner.csv"


def values(results):
    """Every figure's value and counts (the source file name differs between .csv and .xlsx)."""
    return {i: (f.value, f.numerator, f.base) for i, f in results.figures.items()}


def danish_export(rows):
    """What Excel's 'CSV (semikolonsepareret)' writes on a Danish machine."""
    return [[re.sub(r"^(\d+)\.(\d+)$", r"\1,\2", cell) for cell in row] for row in rows]


def test_danish_excel_export_gives_the_same_figures(copy_project, results):
    path = copy_project / KOMMUNER
    raw = path.read_bytes()
    write_rows(path, danish_export(read_rows(path)), delimiter=";", encoding="cp1252")
    assert path.read_bytes() != raw
    assert "København".encode("cp1252") in path.read_bytes()
    again = pipeline.results(Project.find(copy_project))
    assert again.figures == results.figures


def test_byte_order_mark_is_ignored(copy_project, results):
    path = copy_project / KOMMUNER
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert pipeline.results(Project.find(copy_project)).figures == results.figures


def test_thousands_separator_in_the_danish_export(copy_project, results):
    path = copy_project / KOMMUNER
    rows = danish_export(read_rows(path))
    i = rows[0].index("indbyggere")
    for row in rows[1:]:
        row[i] = f"{int(row[i]):,}".replace(",", ".")
    write_rows(path, rows, delimiter=";", encoding="cp1252")
    assert pipeline.results(Project.find(copy_project))["kommuner.stoerste.antal"].value == 4
    assert pipeline.results(Project.find(copy_project)).figures == results.figures


def test_xlsx_gives_the_same_figures(copy_project, results):
    path = copy_project / KOMMUNER
    rows = read_rows(path)
    book = Workbook()
    sheet = book.active
    numeric = {"kommune_nr", "indbyggere", "andel_almene_boliger"}
    for n, row in enumerate(rows):
        sheet.append([float(v) if n and rows[0][i] in numeric else v for i, v in enumerate(row)])
    book.save(path.with_suffix(".xlsx"))
    path.unlink()
    again = pipeline.results(Project.find(copy_project))
    assert values(again) == values(results)
    assert again["kommuner.ka.perioden"].source == "data/survey/kommuner.xlsx"








def test_a_folder_without_data_is_not_a_project(tmp_path):
    with pytest.raises(Exception) as info:
        Project.find(tmp_path)
    assert str(info.value).endswith("er ikke et hæfte-projekt: mappen 'data/' mangler (kør kommandoen i "
                                    "projektmappen eller brug --project MAPPE)")
