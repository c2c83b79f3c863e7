"""The data contract through the real command line; the full bad-input corpus is in test_bad_input.py."""

import pytest

from hæfte import pipeline
from hæfte.errors import DataError
from hæfte.project import Project
from helpers import run_cli, set_cell

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













def test_categorical_answers_are_normalised_for_case_and_spaces(copy_project, results):
    set_cell(copy_project / KOMMUNER, 2, "ka_perioden", " ja ")
    set_cell(copy_project / KOMMUNER, 3, "vurdering_samlet", "I NOGEN GRAD")
    again = pipeline.results(Project.find(copy_project))
    assert again["kommuner.ka.perioden"] == results["kommuner.ka.perioden"]
    assert again["kommuner.vurdering.samlet.positiv"] == results["kommuner.vurdering.samlet.positiv"]
