"""The data contract through the command line (its ``main``, in this process: the real process and
its exit status are tested in test_faults.py and test_cli.py); the full bad-input corpus is in
test_bad_input.py."""

import pytest

from hæfte import pipeline
from hæfte.errors import DataError
from hæfte.project import Project
from helpers import run_main, set_cell

KOMMUNER = "data/survey/kommuner.csv"


def test_unknown_category_names_file_row_and_column(copy_project):
    set_cell(copy_project / KOMMUNER, 5, "ka_pt", "Måske")
    result = run_main("figures", cwd=copy_project)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == ("fejl: data/survey/kommuner.csv, række 5, kolonne 'ka_pt': ukendt værdi 'Måske' "
                             "(gyldige: 'Ja', 'Nej', 'Ved ikke' eller tom)\n")


def test_verbose_shows_the_traceback(copy_project):
    set_cell(copy_project / KOMMUNER, 5, "ka_pt", "Måske")
    result = run_main("--verbose", "figures", cwd=copy_project)
    assert result.returncode == 2
    assert "Traceback" in result.stderr and "DataError" in result.stderr


def test_categorical_answers_are_normalised_for_case_and_spaces(copy_project, results):
    set_cell(copy_project / KOMMUNER, 2, "ka_perioden", " ja ")
    set_cell(copy_project / KOMMUNER, 3, "vurdering_samlet", "I NOGEN GRAD")
    again = pipeline.results(Project.find(copy_project))
    assert again["kommuner.ka.perioden"] == results["kommuner.ka.perioden"]
    assert again["kommuner.vurdering.samlet.positiv"] == results["kommuner.vurdering.samlet.positiv"]


def test_a_table_checked_before_is_checked_again_when_a_cell_changes(copy_project):
    # validate keeps a checked table, and pipeline the statistics, for their exact inputs
    # (hæfte.memo): a saved file is checked and computed anew
    project = Project.find(copy_project)
    assert pipeline.results(project)["kommuner.ka.pt"].display == "87\u00a0pct."  # 39/45
    first = pipeline.tables(project)
    assert first.kommuner.loc[5, ["kommune", "ka_pt"]].tolist() == ["Odense", "Ja"]
    first.kommuner.loc[5, "kommune"] = "Ændret af den, der kaldte"  # the caller's copy
    assert pipeline.tables(project).kommuner.loc[5, "kommune"] == "Odense"
    set_cell(copy_project / KOMMUNER, 5, "ka_pt", "Måske")
    with pytest.raises(DataError) as info:
        pipeline.tables(project)
    assert str(info.value) == ("data/survey/kommuner.csv, række 5, kolonne 'ka_pt': ukendt værdi 'Måske' "
                               "(gyldige: 'Ja', 'Nej', 'Ved ikke' eller tom)")
    set_cell(copy_project / KOMMUNER, 5, "ka_pt", "nej ")
    assert pipeline.tables(project).kommuner.loc[5, "ka_pt"] == "Nej"
    now = pipeline.results(project)["kommuner.ka.pt"]
    assert (now.numerator, now.base, now.display) == (38, 45, "84\u00a0pct.")
    # the facts are plain dicts: a caller's change stays with that caller
    pipeline.results(project).facts["publikation"]["titel"] = "Ændret i en notebook"
    assert pipeline.results(project).facts["publikation"]["titel"] != "Ændret i en notebook"


# ---------------------------------------------------------------- the number rule, cell by cell
from decimal import Decimal  # noqa: E402

from hæfte.rawtable import Percent  # noqa: E402
from hæfte.validate import plain_number  # noqa: E402


@pytest.mark.parametrize("written,decimal_comma,percent,read", [
    ("236400", False, False, "236400"),
    ("236.4", False, False, "236.4"),
    ("0.125", False, False, "0.125"),          # a leading zero is never a thousands group
    ("236.400", True, False, "236400"),        # Danish export: dot between thousands
    ("1.234.567,5", True, False, "1234567.5"),
    ("20,4", True, False, "20.4"),
    ("539 500", False, False, "539500"),       # spaces between thousands, in either convention
    ("539 500,5", True, False, "539500.5"),
    ("\u22123", False, False, "-3"),           # typographic minus
    ("20,4 %", True, True, "20.4"),
    ("20.4%", False, True, "20.4"),
    (Percent("20.400"), False, True, "20.4"),  # an Excel cell formatted as percent
    (539500.0, False, False, "539500"),        # numbers a format typed are never ambiguous
    (1.234, False, False, "1.234"),
    (Decimal("20.40"), False, False, "20.4"),
])
def test_numbers_read(written, decimal_comma, percent, read):
    assert plain_number(written, decimal_comma, percent) == read


@pytest.mark.parametrize("written,decimal_comma,percent,reason", [
    ("236.400", False, False, "'236.400' ligner et tal med tusindtalspunktum, men i denne fil er punktum decimaltegn, "
                              "så det ville blive læst som 236,4: skriv 236400 uden tusindtalsskilletegn"),
    ("1.234.567", False, False, "'1.234.567' har punktum mellem tusinder, men i denne fil er punktum decimaltegn: "
                                "skriv 1234567 uden tusindtalsskilletegn"),
    ("20.4", True, False, "'20.4' har decimalpunktum, men filen er en dansk eksport (semikolon) med decimalkomma: "
                          "skriv 20,4"),
    ("5,395E+05", True, False, "'5,395E+05' er skrevet med eksponent; Excel skriver store tal sådan i for smalle "
                               "kolonner og mister cifre: formatér kolonnen som tal med alle cifre"),
    ("20 %", False, False, "'20 %' har et procenttegn, men kolonnen er ikke en andel i procent"),
    (Percent("2988"), False, False, "cellen er formateret som procent (2.988 %), men kolonnen er ikke en andel i "
                                    "procent"),
    ("\uff11\uff12", False, False, "'１２' indeholder andre tegn end cifrene 0–9"),
    ("NA", False, False, "'NA' er ikke et tal; kolonnen skal have en værdi i hver række"),
    (".", True, False, "'.' er ikke et tal; kolonnen skal have en værdi i hver række"),
])
def test_numbers_refused(written, decimal_comma, percent, reason):
    assert plain_number(written, decimal_comma, percent) == (reason,)


def _first_row(path, **wanted) -> int:
    """The spreadsheet row (header = row 1) of the first respondent with the wanted answers."""
    from helpers import read_rows

    rows = read_rows(path)
    head = rows[0]
    return next(i for i, r in enumerate(rows[1:], 2) if all(r[head.index(k)] == v for k, v in wanted.items()))


def test_an_answer_routed_past_is_refused(copy_project):
    """The assessment of kommunal anvisning is put to users only: from a kommune that used it
    neither in the period nor today it would enter the users' base (22/39 became 29/46)."""
    path = copy_project / "data/survey/kommuner.csv"
    row = _first_row(path, ka_perioden="Nej", ka_pt="Nej", vurdering_ka="")
    set_cell(path, row, "vurdering_ka", "I høj grad")
    with pytest.raises(DataError) as info:
        pipeline.results(Project.find(copy_project))
    assert str(info.value) == (
        f"data/survey/kommuner.csv, række {row}, kolonne 'vurdering_ka': et svar, der ikke skulle være der: "
        "spørgsmålet stilles kun til brugere af kommunal anvisning (kodebogens 'spurgt': brugere:ka), og "
        "respondenten har svaret »Nej« til at have brugt kommunal anvisning i perioden og i dag "
        "(ka_perioden og ka_pt)")


def test_a_reason_for_not_using_a_tool_from_a_user_is_refused(copy_project):
    path = copy_project / "data/survey/helhedsplaner.csv"
    row = _first_row(path, oa_perioden="Ja")
    from helpers import read_rows

    column = next(h for h in read_rows(path)[0] if h.startswith("grund_oa_"))
    set_cell(path, row, column, "1")
    with pytest.raises(DataError) as info:
        pipeline.results(Project.find(copy_project))
    assert str(info.value).startswith(f"data/survey/helhedsplaner.csv, række {row}, kolonne '{column}': et svar, der "
                                      "ikke skulle være der: spørgsmålet stilles kun til ikke-brugere af offentlig "
                                      "annoncering (kodebogens 'spurgt': ikke-brugere:oa), og respondenten har "
                                      "svaret »Ja« til at have brugt offentlig annoncering i perioden eller i dag")


def test_a_blank_use_answer_decides_nothing(copy_project, results):
    """A kommune that left its use of the tool blank may be a user: its assessment stands."""
    path = copy_project / "data/survey/kommuner.csv"
    row = _first_row(path, ka_perioden="Ja", vurdering_ka="I høj grad")
    set_cell(path, row, "ka_perioden", "")
    set_cell(path, row, "ka_pt", "")
    again = pipeline.results(Project.find(copy_project))
    assert again["kommuner.vurdering.ka.positiv"].base == results["kommuner.vurdering.ka.positiv"].base
