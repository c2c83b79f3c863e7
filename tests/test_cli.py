"""The command line: the figure catalogue as a table and as JSON, from the project folder."""

import json

from helpers import run_cli


def test_figures_json_lists_every_figure_with_provenance(project):
    result = run_cli("figures", "--json", cwd=project.root)
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    by_id = {r["id"]: r for r in records}
    assert len(records) >= 70
    ka = by_id["kommuner.ka.perioden"]
    assert ka["display"] == "78\u00a0pct."
    assert (ka["numerator"], ka["base"], ka["exact"]) == (36, 46, "36/46")
    assert ka["source"] == "data/survey/kommuner.csv"
    for record in records:
        assert set(record) >= {"id", "value", "display", "definition", "numerator", "base", "source"}


def test_figures_table(project):
    result = run_cli("figures", cwd=project.root)
    assert result.returncode == 0
    line = next(l for l in result.stdout.splitlines() if l.startswith("kommuner.ka.perioden "))
    assert "78 pct." in line and "36/46" in line and "data/survey/kommuner.csv" in line
    assert result.stdout.rstrip().endswith(" tal i kataloget")


def test_project_option(project, tmp_path):
    result = run_cli("--project", str(project.root), "figures", "--json", cwd=tmp_path)
    assert result.returncode == 0
    outside = run_cli("figures", cwd=tmp_path)
    assert outside.returncode == 2
    assert outside.stderr.startswith("fejl: ") and "er ikke et hæfte-projekt" in outside.stderr
