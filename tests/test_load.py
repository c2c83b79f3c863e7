"""Reading: UTF-8 CSV, the Danish Excel export (semicolon, decimal comma, cp1252), .xlsx, and
every export quirk that is read correctly (the ones refused are in the bad-input corpus)."""

import io
import re
import unicodedata
import zipfile

import pandas as pd
import pytest
from openpyxl import Workbook

from hæfte import pipeline
from hæfte.project import Project
from helpers import read_rows, set_cell, write_rows

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
    again = pipeline.results(Project.find(copy_project))
    assert again["kommuner.stoerste.antal"].value == 4
    assert again.figures == results.figures


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


# ---------------------------------------------------------------- quirks read correctly
@pytest.fixture(scope="module")
def reference(project):
    """The project's own typed tables, read once for the module: every quirk is compared with them."""
    return pipeline.tables(project)


def same_tables(copy_project, reference, *names):
    """The changed copy reads to exactly the typed tables of the project itself."""
    again = pipeline.tables(Project.find(copy_project))
    for name in names:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(reference, name))
    return again


@pytest.mark.parametrize("encoding,bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                          ("utf-16-le", b""), ("utf-16-be", b""), ("utf-32-le", b"\xff\xfe\x00\x00")])
def test_utf16_and_utf32_with_and_without_byte_order_mark(copy_project, reference, encoding, bom):
    path = copy_project / KOMMUNER
    path.write_bytes(bom + path.read_text(encoding="utf-8").encode(encoding))
    assert same_tables(copy_project, reference, "kommuner").kommuner.loc[2, "kommune"] == "København"


@pytest.mark.parametrize("codepage", ["cp865", "cp850"])
def test_danish_dos_code_pages(copy_project, reference, codepage):
    path = copy_project / KOMMUNER
    path.write_bytes(path.read_text(encoding="utf-8").encode(codepage))
    assert "København".encode(codepage) == b"K\x9bbenhavn"
    assert same_tables(copy_project, reference, "kommuner").kommuner.loc[2, "kommune"] == "København"


@pytest.mark.parametrize("ending", ["\r", "\r\n", "mixed"])
def test_line_endings(copy_project, reference, ending):
    path = copy_project / "data/register/beboere.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    ends = ["\r", "\r\n", "\n"] if ending == "mixed" else [ending]
    path.write_bytes("".join(line + ends[i % len(ends)] for i, line in enumerate(lines[:-1])).encode())
    same_tables(copy_project, reference, "beboere")


def test_excel_sep_line_and_empty_trailing_columns(copy_project, reference):
    path = copy_project / "data/register/flytninger.csv"
    rows = [r + ["", ""] for r in read_rows(path)]
    write_rows(path, rows, delimiter=";")
    path.write_bytes(b"sep=;\r\n" + path.read_bytes())
    same_tables(copy_project, reference, "flytninger")


def test_text_cells_are_one_line_in_nfc_with_plain_spaces(copy_project, project):
    path = copy_project / KOMMUNER
    set_cell(path, 2, "kommune", unicodedata.normalize("NFD", " København\u00a0"))
    set_cell(path, 6, "kommune", "Es\r\nbjerg")
    set_cell(path, 7, "kommune", "Vej\tle")
    helhed = copy_project / "data/survey/helhedsplaner.csv"
    set_cell(helhed, 2, "helhedsplan", "Helhedsplan\u2028\u00a0 1")
    set_cell(helhed, 3, "helhedsplan", "Plan\n\n# Overskrift\n\n<script>")
    again = pipeline.tables(Project.find(copy_project))
    assert again.helhedsplaner.loc[3, "helhedsplan"] == "Plan # Overskrift <script>"  # no Markdown block
    assert list(again.kommuner.loc[[2, 6, 7], "kommune"]) == ["København", "Es bjerg", "Vej le"]
    assert again.helhedsplaner.loc[2, "helhedsplan"] == "Helhedsplan 1"
    # the NFD spelling still matches the case kommune 'København' in cases.yaml
    assert again.cases.cases[0].kommune == again.kommuner.loc[2, "kommune"]


def test_danish_thousands_dot_and_decimal_comma_in_a_float_column(copy_project, reference):
    path = copy_project / "data/register/beboere.csv"
    rows = read_rows(path)
    i = rows[0].index("husstandsindkomst_gns")
    assert rows[1][i] == "216600"
    rows[1][i] = "216.600"
    rows[2][i] = "218.400,0"
    write_rows(path, rows, delimiter=";")
    again = same_tables(copy_project, reference, "beboere")
    assert again.beboere.loc[2, "husstandsindkomst_gns"] == 216600.0


@pytest.mark.parametrize("written,delimiter", [("20,4 %", ";"), ("20.4%", ","), ("20,4\u00a0%", ";"),
                                               ("20.4", ",")])
def test_percent_signs_in_a_share_column(copy_project, written, delimiter):
    path = copy_project / KOMMUNER
    rows = read_rows(path)
    if delimiter == ";":
        rows = danish_export(rows)
    rows[1][rows[0].index("andel_almene_boliger")] = written
    write_rows(path, rows, delimiter=delimiter)
    assert pipeline.tables(Project.find(copy_project)).kommuner.loc[2, "andel_almene_boliger"] == 20.4


def test_spaces_between_thousands(copy_project, reference):
    path = copy_project / KOMMUNER
    set_cell(path, 2, "indbyggere", "539 500")
    set_cell(path, 3, "indbyggere", "310\u00a0900")
    set_cell(path, 4, "indbyggere", "199\u202f200")
    same_tables(copy_project, reference, "kommuner")


# ---------------------------------------------------------------- Excel workbooks read correctly
def workbook_of(path, sheets=("flytninger",)):
    rows = read_rows(path)
    book = Workbook()
    book.remove(book.active)
    for title in sheets:
        sheet = book.create_sheet(title)
        for n, row in enumerate(rows if title == sheets[-1] else [["andet"], ["x"]]):
            sheet.append([int(v) if n and v.isdigit() else v for v in row])
    return book


def test_xlsx_reads_the_sheet_named_as_the_table_and_never_a_hidden_one(copy_project, reference):
    path = copy_project / "data/register/flytninger.csv"
    book = workbook_of(path, ("Forside", "Noter", "flytninger"))
    book["Noter"].sheet_state = "hidden"
    book.save(path.with_suffix(".xlsx"))
    path.unlink()
    same_tables(copy_project, reference, "flytninger")


def test_xlsx_reads_the_only_visible_sheet(copy_project, reference):
    path = copy_project / "data/register/flytninger.csv"
    book = workbook_of(path, ("Gammel", "Ark1"))
    book["Gammel"].sheet_state = "hidden"
    book.active = 1
    book.save(path.with_suffix(".xlsx"))
    path.unlink()
    same_tables(copy_project, reference, "flytninger")


def test_xlsx_percent_format_in_a_share_column_and_a_formula_with_its_result(copy_project, reference):
    path = copy_project / KOMMUNER
    rows = read_rows(path)
    book = Workbook()
    sheet = book.active
    col = rows[0].index("andel_almene_boliger")
    for n, row in enumerate(rows):
        cells = [float(v) if n and rows[0][i] in ("kommune_nr", "indbyggere") else v for i, v in enumerate(row)]
        if n:
            cells[col] = float(row[col]) / 100  # Excel holds 20,4 % as 0.204
        sheet.append(cells)
        if n:
            sheet.cell(n + 1, col + 1).number_format = "0.0%"
    target = path.with_suffix(".xlsx")
    book.save(target)
    path.unlink()
    # a formula Excel has calculated: its saved result is read ("=B2*1" with the value 539500)
    with zipfile.ZipFile(target) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    cell = re.search(r'<c r="C2"[^>]*><v>539500</v></c>', sheet_xml).group(0)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(cell, cell.replace("<v>", "<f>C2*1</f><v>")).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    again = same_tables(copy_project, reference, "kommuner")
    assert again.kommuner.loc[2, "andel_almene_boliger"] == 20.4
    assert again.kommuner.loc[2, "indbyggere"] == 539500


def test_a_symlink_inside_the_project_is_read(copy_project, reference):
    path = copy_project / KOMMUNER
    archive = copy_project / "data/arkiv/kommuner-2017.csv"
    archive.parent.mkdir()
    path.rename(archive)
    path.symlink_to(archive)
    again = same_tables(copy_project, reference, "kommuner")
    assert again.paths["kommuner"] == "data/survey/kommuner.csv"



def test_nothing_outside_the_project_is_hashed_either(copy_project):
    """The build hashes data files for its cache before it loads them: the same gate applies first."""
    from hæfte.cache import Keys
    from hæfte.errors import ProjectError

    outside = copy_project.parent / "udenfor.csv"
    outside.write_text("hemmeligt\n", encoding="utf-8")
    (copy_project / "data/arkiv.csv").symlink_to(outside)
    with pytest.raises(ProjectError) as info:
        Keys.of(Project.find(copy_project))
    assert str(info.value) == (f"data/arkiv.csv: datafilen fører uden for projektmappen (til {outside}); "
                               "hæfte læser kun filer inde i projektet")


def test_the_first_unreadable_cell_in_reading_order_is_named():
    # cells are cleaned column by column, once per distinct text; the error is still the first one a
    # reader meets: row 3 before row 4, whatever the column, and the same text fails in every row
    from hæfte.errors import DataError
    from hæfte.rawtable import make_table

    rows = [(2, ["A1", "ok", "ok"]), (3, ["A2", "ok", "x\u200by"]), (4, ["A3", "a\x00b", "x\u200by"])]
    with pytest.raises(DataError) as error:
        make_table("t", "data/t.csv", ["id", "b", "c"], rows)
    assert str(error.value) == ("data/t.csv, række 3, kolonne 'c': cellen indeholder det usynlige tegn U+200B "
                                "(ZERO WIDTH SPACE), som ikke hører hjemme i data")
    table = make_table("t", "data/t.csv", ["id", "b", "c"], [(2, ["A1", " Ja ", None]), (5, ["A2", " Ja", 7])])
    assert table.frame.to_dict("index") == {2: {"id": "A1", "b": "Ja", "c": ""}, 5: {"id": "A2", "b": "Ja", "c": 7}}


# ---------------------------------------------------------------- which error comes first
def test_files_are_checked_in_the_contracts_order_and_the_first_broken_one_stops_the_run(copy_project, monkeypatch):
    """A table that breaks its contract stops the run before the tables after it are read: a
    broken survey answer is reported, and the register file after it, which could not even be
    read, is not opened. A missing file is found before any table is read."""
    from hæfte import load
    from hæfte.errors import DataError, ProjectError

    set_cell(copy_project / KOMMUNER, 5, "ka_pt", "Måske")
    (copy_project / "data/register/beboere.csv").write_bytes(b"afdeling_id,aar\nA\x81\xf8,2004\n")  # no known charset
    opened, read = [], load.read_table

    def read_and_note(project, name, path=None):
        opened.append(name)
        return read(project, name, path)
    monkeypatch.setattr(load, "read_table", read_and_note)
    with pytest.raises(DataError) as info:
        pipeline.tables(Project.find(copy_project))
    assert str(info.value) == ("data/survey/kommuner.csv, række 5, kolonne 'ka_pt': ukendt værdi 'Måske' "
                               "(gyldige: 'Ja', 'Nej', 'Ved ikke' eller tom)")
    assert opened == ["kodebog", "kommuner"]
    (copy_project / "data/register/flytninger.csv").unlink()
    with pytest.raises(ProjectError) as missing:
        pipeline.tables(Project.find(copy_project))
    assert str(missing.value).startswith("data/register/flytninger.csv mangler")
    assert opened == ["kodebog", "kommuner"]  # the second run opened no table


# ---------------------------------------------------------------- files read before
def test_a_csv_file_read_before_is_not_parsed_again_until_a_byte_changes(copy_project, monkeypatch):
    """The preview's rebuild and a notebook's rerun read every file again: a CSV table or fact
    file with the same bytes is parsed once, each caller gets its own copy to change, and one
    changed byte is read anew."""
    from hæfte import load, textfile

    project = Project.find(copy_project)
    set_cell(copy_project / KOMMUNER, 2, "kommune", "Førsteby")  # bytes no other test reads
    parsed = []

    def parse_and_note(raw, shown, name):
        parsed.append(name)
        return textfile.read_csv(raw, shown, name)
    monkeypatch.setattr(load, "read_csv", parse_and_note)
    first = load.read_table(project, "kommuner")
    first.frame.loc[2, "kommune"] = "Ændret i en notebook"
    first.labels["ka_pt"] = {"Ja": "Ved ikke"}  # a code mapping tried out in a notebook
    again = load.read_table(project, "kommuner")
    assert parsed == ["kommuner"] and again.frame.loc[2, "kommune"] == "Førsteby" and again.labels == {}
    set_cell(copy_project / KOMMUNER, 2, "kommune", "Nyby")
    changed = load.read_table(project, "kommuner")
    assert parsed == ["kommuner", "kommuner"] and changed.frame.loc[2, "kommune"] == "Nyby"

    facts = load.read_facts(project, "program")
    facts["diskretion_min"] = 1
    assert load.read_facts(project, "program")["diskretion_min"] == 5
