"""The statistics formats (.sav, .dta, .sas7bdat, .parquet) give the booklet's figures exactly as the CSV does.

Every table of the project is converted; the errors for a bad value in each format are in the
bad-input corpus (tests/bad_input.py)."""

import pytest

from hæfte import pipeline
from hæfte.load import read_table
from hæfte.project import TABLE_FILES, Project
from stat_files import convert, write_sav


def values(results):
    """Every figure's value and counts (the source file name differs between formats)."""
    return {i: (f.value, f.numerator, f.base) for i, f in results.figures.items()}


@pytest.mark.parametrize("suffix", [".sav", ".dta", ".sas7bdat", ".parquet"])
def test_every_table_in_the_format_gives_the_same_figures(copy_project, results, suffix):
    for stem in TABLE_FILES.values():
        convert(copy_project / "data" / f"{stem}.csv", suffix)
    again = pipeline.results(Project.find(copy_project))
    assert values(again) == values(results)
    assert again["kommuner.ka.perioden"].value == results["kommuner.ka.perioden"].value
    assert again["kommuner.ka.perioden"].source == f"data/survey/kommuner{suffix}"
    assert again["register.periode"].source.startswith(f"data/register/beboere{suffix}")


def test_value_labels_are_read_as_the_answers(copy_project):
    path = write_sav(copy_project / "data/survey/kommuner.csv")
    (copy_project / "data/survey/kommuner.csv").unlink()
    raw = read_table(Project.find(copy_project), "kommuner")
    assert raw.header_row is None and raw.frame.index[0] == 1  # SPSS numbers cases from 1
    assert raw.labels["vurdering_samlet"] == {"1": "I høj grad", "2": "I nogen grad", "3": "I ringe grad",
                                              "4": "Slet ikke", "8": "Ved ikke"}
    assert raw.frame.loc[1, "kommune"] == "København" and raw.frame.loc[1, "indbyggere"] == 539500.0
    tables = pipeline.tables(Project.find(copy_project))
    assert tables.kommuner.loc[1, "vurdering_samlet"] == "I ringe grad"
    assert tables.kommuner.loc[1, "ka_perioden"] == "Ja"
    assert tables.paths["kommuner"] == "data/survey/kommuner.sav" and path.name == "kommuner.sav"


def test_a_user_missing_code_stays_an_answer(copy_project, project):
    """'Ved ikke' declared user-missing in SPSS (code 8) is an answer that counts in the base, not a blank."""
    write_sav(copy_project / "data/survey/kommuner.csv")
    (copy_project / "data/survey/kommuner.csv").unlink()
    from_sav = pipeline.tables(Project.find(copy_project)).kommuner["vurdering_ka"].value_counts().to_dict()
    from_csv = pipeline.tables(project).kommuner["vurdering_ka"].value_counts().to_dict()
    assert from_sav == from_csv
    assert from_sav["Ved ikke"] == 3
