"""New data arrives: a register year 2014 and a revised survey file; the booklet follows."""

import json

import hæfte
from hæfte import checker
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
    """New data as an analyst meets it: a register year and revised answers; a check that redoes
    only what they touch and names every figure and every rule-chosen word that moved; a lock
    that accepts them with a report for the editors; a check that passes; and the build that
    publishes the booklet the check laid out."""
    project = Project.find(full_copy)
    before = results  # the session's statistics of the same data
    assert build(project).nothing_to_do
    old_svg = (full_copy / "_output/web/figurer/socialmix.svg").read_bytes()

    add_register_year(full_copy, 2014)
    kommuner = full_copy / "data/survey/kommuner.csv"
    set_cell(kommuner, 10, "ka_perioden", "Ja")  # Viborg answered Nej/Nej to kommunal anvisning before
    set_cell(kommuner, 10, "oa_pt", "Ja")  # offentlig annoncering 11/45 -> 12/45
    for column in read_rows(kommuner)[0]:  # a user is not asked why it does not use the tool
        if column.startswith("grund_oa_"):
            set_cell(kommuner, 10, column, "")

    # the check first, as CI runs it: it computes and lays out the new booklet in a folder of its own
    progress: list[str] = []
    result = hæfte.check(project, echo=progress.append)
    steps = [line.rsplit(None, 2)[0].strip() for line in progress]
    # the statistics again, and only the charts whose data moved (Figur 2 is the organisations')
    assert steps[:3] == ["data og statistik (275 tal)", "tekstskabeloner (16 afsnit)", "figurer (2 af 3 tegnet)"]
    assert "PDF (WeasyPrint)" in steps
    assert not result.ok
    after = hæfte.results(project)  # as the check computed them (the build cache)
    locked = json.loads((full_copy / "figurer.lock.json").read_text(encoding="utf-8"))["figures"]
    expected = sorted(i for i in locked
                      if (before[i].display, before[i].base, before[i].numerator)
                      != (after[i].display, after[i].base, after[i].numerator))
    assert "register.periode" in expected and "kommuner.ka.perioden" in expected
    lines = checker.format_report(result).splitlines()  # what 'hæfte check' prints
    assert lines[0].endswith("tal afviger fra figurer.lock.json:")
    named = sorted(line.split()[0] for line in lines[1:] if line.startswith("  ")
                   and not line.strip().startswith(("tal ", "ord ")))
    assert named == expected
    row = next(line for line in lines if line.strip().startswith("kommuner.ka.perioden "))
    assert "78 pct. (36/46)" in row and "80 pct. (37/46)" in row and "(02_resultater.md.j2:16)" in row
    row = next(line for line in lines if "ord (brøk) kommuner.oa.nogensinde" in line)
    assert "knap hver fjerde" in row and "godt hver fjerde" in row and "08_brug.md.j2:" in row
    assert lines[-1].startswith("FEJL: ")

    locked = run_main("lock", cwd=full_copy)
    assert locked.returncode == 0, locked.stderr
    report = (full_copy / "_output/aendringer.md").read_text(encoding="utf-8")
    assert "### `kommuner.ka.perioden`: 78 pct. (36/46) → 80 pct. (37/46)" in report
    assert "- Nu: Blandt de adspurgte kommuner med boligområder, der har fået støtte fra Landsbyggefondens " \
           "2006-10-midler, har 80 pct. brugt kommunal anvisning i årene 2006–2010." in report
    again = run_main("check", cwd=full_copy)
    assert again.returncode == 0, again.stdout
    assert again.stdout.splitlines()[-1].startswith("OK: ")

    # the build publishes what the check laid out, without laying it out again
    steps = [name for name, _ in build(project).steps]
    assert steps == ["data og statistik (uændret)", "tekstskabeloner (uændret)", "figurer (0 af 3 tegnet)",
                     "webversion (lavet før)", "PDF (lavet før)", "figurkatalog-PDF (lavet før)"]
    text = plain((full_copy / "_output/haefte.md").read_text(encoding="utf-8"))
    assert "Oplysningerne dækker årene 2004–2014." in " ".join(text.split())
    assert "2004–2013" not in text
    assert (full_copy / "_output/web/figurer/socialmix.svg").read_bytes() != old_svg
