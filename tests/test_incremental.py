"""Incremental builds: content hashes decide what is rebuilt."""

from hæfte.build import build
from hæfte.project import Project
from helpers import read_rows, set_cell


def step_names(report):
    return [name for name, _ in report.steps]


def test_nothing_changed_does_nothing(full_copy):
    project = Project.find(full_copy)
    build(project)
    pdf = (full_copy / "_output/haefte.pdf").stat().st_mtime_ns
    again = build(project)
    assert again.nothing_to_do and again.steps == []
    assert (full_copy / "_output/haefte.pdf").stat().st_mtime_ns == pdf


def test_touching_a_file_without_changing_it_does_nothing(full_copy):
    project = Project.find(full_copy)
    build(project)
    path = full_copy / "data/survey/kommuner.csv"
    path.write_bytes(path.read_bytes())  # new modification time, same content
    assert build(project).nothing_to_do


def test_a_template_edit_does_not_recompute_statistics_or_charts(full_copy):
    project = Project.find(full_copy)
    build(project)
    path = full_copy / "templates/11_konklusion.md.j2"
    path.write_text(path.read_text(encoding="utf-8").replace("perspektiver op", "perspektiver frem"), encoding="utf-8")
    names = step_names(build(project))
    assert names[:3] == ["data og statistik (uændret)", "tekstskabeloner (14 afsnit)", "figurer (0 af 3 tegnet)"]
    assert "PDF (WeasyPrint)" in names and "figurkatalog-PDF (uændret)" in names


def test_a_data_change_rebuilds_what_it_affects(full_copy):
    project = Project.find(full_copy)
    build(project)
    path = full_copy / "data/survey/helhedsplaner.csv"
    rows = read_rows(path)
    col = rows[0].index("vurdering_samlet")
    row = next(i for i, r in enumerate(rows) if r[col] == "I høj grad")
    set_cell(path, row + 1, "vurdering_samlet", "I nogen grad")  # Figur 2 changes, the text does not
    names = step_names(build(project))
    assert names[0] == "data og statistik (275 tal)"
    assert "figurer (1 af 3 tegnet)" in names  # only Figur 2's data changed
    assert "PDF (WeasyPrint)" in names
