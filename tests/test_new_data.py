"""New data arrives: a register year 2014 and a revised survey file; the booklet follows."""

import json

from hæfte import pipeline
from hæfte.builder import build
from hæfte.project import Project
from hæfte.render import plain
from helpers import read_rows, run_main, set_cell, write_rows


def add_register_year(root, year: int) -> None:
    path = root / "data/register/beboere.csv"
    rows = read_rows(path)
    header, body = rows[0], rows[1:]
    aar = header.index("aar")
    last = [r for r in body if r[aar] == str(year - 1)]
    new = []
    for r in last:
        r = list(r)
        r[aar] = str(year)
        r[header.index("husstandsindkomst_gns")] = str(int(float(r[header.index("husstandsindkomst_gns")]) * 1.02))
        new.append(r)
    write_rows(path, [header] + body + new)
    path = root / "data/register/flytninger.csv"
    rows = read_rows(path)
    extra = [[str(year), r[1], r[2], str(int(r[3]) + 50)] for r in rows[1:] if r[0] == str(year - 1)]
    write_rows(path, rows + extra)


def test_the_booklet_follows_new_data(full_copy, results):
    project = Project.find(full_copy)
    before = results  # the session's statistics of the same data
    build(project)
    old_svg = (full_copy / "_output/web/figurer/socialmix.svg").read_bytes()

    add_register_year(full_copy, 2014)
    set_cell(full_copy / "data/survey/kommuner.csv", 10, "ka_perioden", "Ja")  # a revised answer (Viborg)
    after = pipeline.results(project)

    report = build(project)
    assert not report.nothing_to_do
    text = plain((full_copy / "_output/haefte.md").read_text(encoding="utf-8"))
    assert "Analysen bygger på beboerdata for områderne i årene 2004–2014" in " ".join(text.split())
    assert "2004–2013" not in text
    assert (full_copy / "_output/web/figurer/socialmix.svg").read_bytes() != old_svg

    locked = json.loads((full_copy / "figurer.lock.json").read_text(encoding="utf-8"))["figures"]
    expected = sorted(i for i in locked
                      if (before[i].display, before[i].base, before[i].numerator)
                      != (after[i].display, after[i].base, after[i].numerator))
    assert "register.periode" in expected and "kommuner.ka.perioden" in expected

    checked = run_main("check", cwd=full_copy)
    assert checked.returncode == 1
    named = sorted(line.split()[0] for line in checked.stdout.splitlines()[1:] if line.startswith("  ")
                   and not line.strip().startswith("tal "))
    assert named == expected

    assert run_main("lock", cwd=full_copy).returncode == 0
    again = run_main("check", cwd=full_copy)
    assert again.returncode == 0, again.stdout
