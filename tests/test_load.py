"""Reading: UTF-8 CSV, the Danish Excel export (semicolon, decimal comma, cp1252) and .xlsx."""

import re

import pytest
from openpyxl import Workbook

from hæfte import pipeline
from hæfte.errors import DataError
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


def test_csv_and_xlsx_side_by_side_is_an_error(copy_project):
    (copy_project / "data/survey/kommuner.xlsx").write_bytes(b"")
    with pytest.raises(Exception, match="data/survey/kommuner.csv og data/survey/kommuner.xlsx findes begge"):
        pipeline.results(Project.find(copy_project))


def test_corrupt_xlsx(copy_project):
    path = copy_project / KOMMUNER
    path.unlink()
    path.with_suffix(".xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(DataError) as info:
        pipeline.results(Project.find(copy_project))
    assert str(info.value) == "data/survey/kommuner.xlsx: kan ikke læses som Excel-regneark (.xlsx): BadZipFile"


def test_empty_file(copy_project):
    (copy_project / KOMMUNER).write_bytes(b"")
    with pytest.raises(DataError) as info:
        pipeline.results(Project.find(copy_project))
    assert str(info.value) == "data/survey/kommuner.csv: filen er tom"


def test_header_only(copy_project):
    path = copy_project / KOMMUNER
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        pipeline.results(Project.find(copy_project))
    assert str(info.value) == "data/survey/kommuner.csv: filen har kun en overskrift og ingen data"


def test_ragged_row(copy_project):
    path = copy_project / KOMMUNER
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3] + ",ekstra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        pipeline.results(Project.find(copy_project))
    assert str(info.value) == "data/survey/kommuner.csv, række 4: rækken har 49 felter, men overskriften har 48"


def test_missing_table(copy_project):
    (copy_project / "data/register/flytninger.csv").unlink()
    with pytest.raises(Exception) as info:
        pipeline.results(Project.find(copy_project))
    assert str(info.value) == ("data/register/flytninger.csv mangler (eller .xlsx): tabellen 'flytninger' er en "
                               "del af datakontrakten (se data/README.md)")


def test_a_folder_without_data_is_not_a_project(tmp_path):
    with pytest.raises(Exception) as info:
        Project.find(tmp_path)
    assert str(info.value).endswith("er ikke et hæfte-projekt: mappen 'data/' mangler (kør kommandoen i "
                                    "projektmappen eller brug --project MAPPE)")
