"""The data contract: malformed files stop the run with one line naming file, row and column."""

import pytest

from hæfte import pipeline
from hæfte.errors import DataError
from hæfte.project import Project
from helpers import read_rows, run_cli, set_cell, write_rows

KOMMUNER = "data/survey/kommuner.csv"


def error_of(root) -> str:
    with pytest.raises(DataError) as info:
        pipeline.results(Project.find(root))
    return str(info.value)


def test_unknown_category_names_file_row_and_column(copy_project):
    set_cell(copy_project / KOMMUNER, 5, "ka_pt", "Måske")
    result = run_cli("figures", cwd=copy_project)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == ("fejl: data/survey/kommuner.csv, række 5, kolonne 'ka_pt': ukendt værdi 'Måske' "
                             "(gyldige: 'Ja', 'Nej', 'Ved ikke' eller tom)\n")


def test_verbose_shows_the_traceback(copy_project):
    set_cell(copy_project / KOMMUNER, 5, "ka_pt", "Måske")
    result = run_cli("--verbose", "figures", cwd=copy_project)
    assert result.returncode == 2
    assert "Traceback" in result.stderr and "DataError" in result.stderr


def test_missing_column(copy_project):
    rows = read_rows(copy_project / KOMMUNER)
    i = rows[0].index("saeraftale")
    write_rows(copy_project / KOMMUNER, [r[:i] + r[i + 1:] for r in rows])
    assert error_of(copy_project) == "data/survey/kommuner.csv, række 1, kolonne 'saeraftale': kolonnen mangler"


def test_unexpected_column(copy_project):
    rows = read_rows(copy_project / KOMMUNER)
    write_rows(copy_project / KOMMUNER, [r + (["noter"] if n == 0 else [""]) for n, r in enumerate(rows)])
    assert error_of(copy_project) == ("data/survey/kommuner.csv, række 1, kolonne 'noter': "
                                      "uventet kolonne (ikke i datakontrakten)")


def test_duplicate_id(copy_project):
    set_cell(copy_project / KOMMUNER, 10, "kommune_nr", "3")
    assert error_of(copy_project) == ("data/survey/kommuner.csv, række 10, kolonne 'kommune_nr': "
                                      "dubleret nøgle '3' (også i række 4)")


def test_duplicate_composite_key(copy_project):
    path = copy_project / "data/register/flytninger.csv"
    set_cell(path, 2, "til", "anden bolig")
    assert error_of(copy_project) == ("data/register/flytninger.csv, række 3, kolonne 'til': dubleret nøgle "
                                      "'2004/almen afdeling/anden bolig' (aar, fra, til) (også i række 2)")


def test_text_in_a_number_column(copy_project):
    set_cell(copy_project / KOMMUNER, 7, "indbyggere", "mange")
    assert error_of(copy_project) == ("data/survey/kommuner.csv, række 7, kolonne 'indbyggere': "
                                      "'mange' er ikke et heltal")


def test_decimal_comma_in_a_comma_file_gets_a_hint(copy_project):
    set_cell(copy_project / KOMMUNER, 3, "andel_almene_boliger", "22,1")
    assert error_of(copy_project) == ("data/survey/kommuner.csv, række 3, kolonne 'andel_almene_boliger': "
                                      "'22,1' er ikke et tal (decimalkomma i en kommasepareret fil?)")


def test_wrong_delimiter(copy_project):
    path = copy_project / KOMMUNER
    write_rows(path, read_rows(path), delimiter="\t")
    assert error_of(copy_project) == ("data/survey/kommuner.csv, række 1: kan ikke finde skilletegn: brug komma "
                                      "(UTF-8) eller semikolon (dansk Excel-eksport) (første række ser ud til at "
                                      "bruge tabulator)")


def test_share_out_of_range(copy_project):
    set_cell(copy_project / KOMMUNER, 2, "andel_almene_boliger", "120")
    assert error_of(copy_project) == ("data/survey/kommuner.csv, række 2, kolonne 'andel_almene_boliger': "
                                      "'120' er større end 100")


def test_count_exceeding_its_base(copy_project):
    path = copy_project / "data/register/beboere.csv"
    rows = read_rows(path)
    voksne = rows[5][rows[0].index("voksne")]
    set_cell(path, 6, "beskaeftigede", str(int(voksne) + 1))
    assert error_of(copy_project) == ("data/register/beboere.csv, række 6, kolonne 'beskaeftigede': "
                                      "større end antal voksne ('voksne')")


def test_case_municipality_missing_from_the_survey(copy_project):
    set_cell(copy_project / KOMMUNER, 47, "kommune", "Ishøj Kommune")
    assert error_of(copy_project) == ("data/fakta/cases.yaml, nøgle 'cases[4].kommune': case-kommunen 'Ishøj' "
                                      "findes ikke i kommuneskemaet (data/survey/kommuner.csv)")


def test_fact_file_with_a_wrong_key(copy_project):
    path = copy_project / "data/fakta/program.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("bevilling_kr:", "bevilling:"), encoding="utf-8")
    message = error_of(copy_project)
    assert message == "data/fakta/program.yaml, nøgle 'bevilling_kr': nøglen mangler (og 1 fejl mere i samme fil)"


def test_categorical_answers_are_normalised_for_case_and_spaces(copy_project, results):
    set_cell(copy_project / KOMMUNER, 2, "ka_perioden", " ja ")
    set_cell(copy_project / KOMMUNER, 3, "vurdering_samlet", "I NOGEN GRAD")
    again = pipeline.results(Project.find(copy_project))
    assert again["kommuner.ka.perioden"] == results["kommuner.ka.perioden"]
    assert again["kommuner.vurdering.samlet.positiv"] == results["kommuner.vurdering.samlet.positiv"]
