"""The data contract's checks across tables: the register's afdelinger agree with the helhedsplaner.

Each check is tripped with data made for the purpose (one cell changed in a copy of the reference
data) and must stop with its exact message.
"""

from hæfte import pipeline
from hæfte.project import Project
from helpers import data_error as error_of, set_cell

AFDELINGER = "data/register/afdelinger.csv"



def test_reference_data_pass_the_cross_table_checks(project):
    t = pipeline.tables(project)
    plans_with_ka = set(t.helhedsplaner.loc[t.helhedsplaner["ka_perioden"] == "Ja", "helhedsplan_id"])
    afd_with_ka = set(t.afdelinger.loc[t.afdelinger["ka"] == "Ja", "helhedsplan_id"])
    assert len(plans_with_ka) == 88 and plans_with_ka == afd_with_ka  # H01: 88 of 114 plans


def test_every_afdelings_helhedsplan_exists(copy_project):
    set_cell(copy_project / AFDELINGER, 2, "helhedsplan_id", "HP999")
    assert error_of(copy_project) == ("data/register/afdelinger.csv, række 2, kolonne 'helhedsplan_id': "
                                      "helhedsplanen 'HP999' findes ikke i data/survey/helhedsplaner.csv")


def test_an_afdeling_uses_a_tool_only_if_its_plan_reports_it(copy_project):
    # A0076 belongs to HP057, which did not use kommunal anvisning in the period
    set_cell(copy_project / AFDELINGER, 77, "ka", "Ja")
    assert error_of(copy_project) == (
        "data/register/afdelinger.csv, række 77, kolonne 'ka': afdelingen har brugt kommunal anvisning, men dens "
        "helhedsplan 'HP057' har ikke brugt kommunal anvisning i perioden ifølge data/survey/helhedsplaner.csv "
        "(kolonne 'ka_perioden')")


def test_use_reported_in_a_plan_is_seen_in_one_of_its_afdelinger(copy_project):
    # HP002 reports kommunal anvisning; its only afdeling (A0003, row 4) is made to say it did not use it
    set_cell(copy_project / AFDELINGER, 4, "ka", "Nej")
    assert error_of(copy_project) == (
        "data/survey/helhedsplaner.csv, række 3, kolonne 'ka_perioden': helhedsplanen 'HP002' har brugt kommunal "
        "anvisning i perioden, men ingen af dens afdelinger har brugt det ifølge data/register/afdelinger.csv "
        "(kolonne 'ka')")


def test_afdelinger_outside_the_plans_are_not_compared(copy_project):
    path = copy_project / AFDELINGER
    rows = path.read_text(encoding="utf-8").splitlines()
    last = len(rows)  # the last afdelinger are outside the helhedsplaner
    assert rows[-1].split(",")[3] == ""
    set_cell(path, last, "ka", "Ja")
    assert pipeline.tables(Project.find(copy_project)).afdelinger.loc[last, "ka"] == "Ja"
