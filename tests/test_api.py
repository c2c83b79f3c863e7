"""The Python API: hæfte.Project, hæfte.results, hæfte.build, hæfte.check, returning objects;
the README's notebook example runs as a doctest."""

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import hæfte
from hæfte import api, checker
from hæfte.errors import ProjectError

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_example_runs(built):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## Python: hæfte i en notebook.*?```python\n(.*?)```", text, re.S).group(1)
    test = doctest.DocTestParser().get_doctest(example, {"mappe": str(built.root)}, "README.md", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False) == doctest.TestResults(failed=0, attempted=9)


def test_results_accepts_a_path_a_string_or_a_project(project, results, monkeypatch):
    asked = []
    monkeypatch.setattr("hæfte.pipeline.results", lambda p: asked.append(p) or results)
    monkeypatch.setattr("hæfte.cache.Cache.load", lambda self, kind, key: None)  # as if never built
    for given in (project, project.root, str(project.root)):
        assert hæfte.results(given) is results
    monkeypatch.chdir(project.root)
    assert hæfte.results(None) is results
    assert asked == [project] * 4


def test_a_project_made_from_a_string_is_the_project_found_there(project, monkeypatch):
    monkeypatch.chdir(project.root)
    made = hæfte.Project(".")
    assert made == project and made.data_dir == project.root / "data"


def test_results_of_a_built_project_come_from_its_cache_and_equal_a_computation(built, results, monkeypatch):
    monkeypatch.setattr("hæfte.pipeline.results", lambda p: pytest.fail("computed, although the build cached them"))
    cached = hæfte.results(built.root)
    assert cached.to_frame().equals(results.to_frame())
    assert cached["kommuner.ka.perioden"].display == "78\u00a0pct."


def test_results_to_frame_is_the_figure_catalogue(results):
    frame = results.to_frame()
    assert isinstance(frame, pd.DataFrame) and frame.index.name == "id"
    assert len(frame) == len(results.figures)
    row = frame.loc["kommuner.ka.perioden"]
    assert (row["display"], row["numerator"], row["base"], row["exact"]) == ("78\u00a0pct.", 36, 46, "36/46")
    assert row["source"] == "data/survey/kommuner.csv"
    assert str(frame["base"].dtype) == "Int64"  # counts stay whole numbers, missing where unknown
    assert frame.loc["program.bevilling", "display"] == "2,2\u00a0mia.\u00a0kr."
    assert pd.isna(frame.loc["program.bevilling", "base"])


def test_build_returns_the_report_and_prints_nothing(built, capsys):
    report = hæfte.build(built.root)
    assert report.nothing_to_do and report.outputs == {"pdf": built.output_dir / "haefte.pdf",
                                                       "web": built.output_dir / "web/index.html"}
    assert capsys.readouterr() == ("", "")
    lines = []
    hæfte.build(built, echo=lines.append)
    assert lines == ["  intet er ændret siden sidste bygning"]


def test_check_returns_the_check_result(project, monkeypatch):
    found = checker.CheckResult(stray_numbers=["web/index.html: 12"], quoted=55)
    seen = []
    monkeypatch.setattr("hæfte.checker.check", lambda p, echo=None: seen.append(p) or found)
    result = hæfte.check(str(project.root))
    assert result is found and not result.ok and seen == [project]


def test_bad_input_raises_the_danish_error(tmp_path):
    try:
        hæfte.results(tmp_path)
    except ProjectError as exc:
        assert str(exc).startswith(f"{tmp_path} er ikke et hæfte-projekt: mappen 'data/' mangler")
    else:
        raise AssertionError("no error")


def test_the_api_names_survive_importing_the_modules_that_do_the_work():
    # the modules are named apart from the API functions, so importing them in any order leaves
    # hæfte.build, hæfte.check and hæfte.results the plain functions of hæfte.api
    code = ("import hæfte.builder, hæfte.checker, hæfte.resultset\nimport hæfte\nfrom hæfte import api\n"
            "print(hæfte.build is api.build, hæfte.check is api.check, hæfte.results is api.results,"
            " hæfte.Project.__name__)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout == "True True True Project\n", result.stderr
    assert (hæfte.build, hæfte.check, hæfte.results) == (api.build, api.check, api.results)
