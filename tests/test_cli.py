"""The command line: the figure catalogue as a table and as JSON, global options before or
after the command, --stille, the documented exit statuses and output any console can show."""

import json
import os
import subprocess
import sys
from io import BytesIO, TextIOWrapper

import click
import pytest

from helpers import run_cli
from helpers import run_main as run_in_process
from hæfte import checker
from hæfte import cli

HÆFTE = os.path.join(os.path.dirname(sys.executable), "hæfte")


# The two catalogue tests run on a copy of the project with the session build's cache, as an
# analyst's project after a build: ``hæfte figures`` reads the statistics from it instead of
# computing them again (the computation itself: the ``results`` fixture, tests/test_compute_*.py).
def test_figures_json_lists_every_figure_with_provenance(cached_copy):
    """Through ``python -m hæfte`` in its own process: the module entry point is part of the
    product (the console script: test_the_name_is_written_in_the_console_code_page)."""
    result = run_cli("figures", "--json", cwd=cached_copy)
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


def test_figures_table(cached_copy, monkeypatch):
    monkeypatch.setattr("hæfte.pipeline.results", lambda project: pytest.fail("computed, although the build cached them"))
    result = run_in_process("figures", cwd=cached_copy)
    assert result.returncode == 0
    line = next(l for l in result.stdout.splitlines() if l.startswith("kommuner.ka.perioden "))
    assert "78 pct." in line and "36/46" in line and "data/survey/kommuner.csv" in line
    assert result.stdout.rstrip().endswith(" tal i kataloget")


def run_main(*args: str) -> int:
    with pytest.raises(SystemExit) as stop:
        cli.main(list(args))
        raise SystemExit(0)
    return stop.value.code


@pytest.fixture()
def computed(monkeypatch, results):
    """pipeline.results answered from the session's results, remembering which project was asked."""
    asked = []

    def fake(project):
        asked.append(project.root)
        return results

    monkeypatch.setattr("hæfte.pipeline.results", fake)
    monkeypatch.setattr("hæfte.cache.Cache.load", lambda self, kind, key: None)  # computed, not read from a build
    return asked


@pytest.mark.parametrize("args", [
    ("--projekt", "{root}", "figures", "--json"),
    ("figures", "--json", "--projekt", "{root}"),
    ("figures", "--project", "{root}", "--json"),
    ("-p", "{root}", "figures", "--json"),
])
def test_global_options_before_or_after_the_command(args, computed, project, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run_main(*(a.format(root=project.root) for a in args)) == 0
    assert computed == [project.root]
    assert json.loads(capsys.readouterr().out)[0]["id"] == "program.bevilling"


def test_a_global_option_given_twice_differently_is_a_usage_error(computed, project, tmp_path, capsys):
    assert run_main("--projekt", str(project.root), "figures", "--projekt", str(tmp_path)) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert f"Invalid value for '--projekt' / '--project' / '-p': givet to gange med hver sin værdi ({project.root} og {tmp_path})" in err
    assert computed == []


def test_outside_a_project_is_bad_input_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run_main("figures") == 2
    assert capsys.readouterr().err == (f"fejl: {tmp_path} er ikke et hæfte-projekt: mappen 'data/' mangler "
                                       "(kør kommandoen i projektmappen eller brug --project MAPPE)\n")


ESCAPES = "\x1b[2J\x1b[H\x1b[32mbygget uden fejl\x1b[0m\u202e"  # clears the screen, prints a success
SHOWN = "\\x1b[2J\\x1b[H\\x1b[32mbygget uden fejl\\x1b[0m\\u202e"


def test_an_escape_sequence_in_an_error_is_printed_escaped(tmp_path):
    """An error names the folder, file or value it is about: what they hold is shown, never run
    by the terminal (a folder from an unpacked archive may be named anything)."""
    folder = tmp_path / f"hæfte{ESCAPES}"
    folder.mkdir()
    result = run_in_process("build", cwd=folder)
    assert (result.returncode, result.stderr) == (2, f"fejl: {tmp_path}/hæfte{SHOWN} er ikke et hæfte-projekt: mappen "
                                                     "'data/' mangler (kør kommandoen i projektmappen eller brug --project MAPPE)\n")


def test_an_escape_sequence_in_an_os_error_or_a_traceback_is_printed_escaped(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    denied = PermissionError(13, "Permission denied", f"data/{ESCAPES}.csv")
    monkeypatch.setattr("hæfte.api.results", lambda project: (_ for _ in ()).throw(denied))
    result = run_in_process("figures", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, f"fejl: data/{SHOWN}.csv: adgang nægtet (filen eller mappen er skrivebeskyttet eller ulæselig) (EACCES)\n")
    monkeypatch.setattr("hæfte.api.results", lambda project: (_ for _ in ()).throw(RuntimeError(ESCAPES)))
    result = run_in_process("figures", cwd=tmp_path)
    assert result.returncode == cli.EXIT_BUG
    assert f"\nRuntimeError: {SHOWN}\n" in result.stderr and "\x1b" not in result.stderr


def test_unknown_option_and_command_are_usage_errors_exit_64(capsys):
    # the wording after "Error:" is click's own and varies between its versions
    assert run_main("figures", "--nope") == 64
    err = capsys.readouterr().err
    assert err.startswith("Usage: hæfte figures [OPTIONS]\n") and "Error: No such option" in err and "--nope" in err
    assert run_main("byg") == 64
    err = capsys.readouterr().err
    assert err.startswith("Usage: hæfte [OPTIONS] COMMAND [ARGS]...\n") and "No such command" in err and "byg" in err


def test_check_failure_exit_1_and_its_report(monkeypatch, project, capsys):
    failed = checker.CheckResult(typed_digits=["templates/02_resultater.md.j2:3: i 2010 brugte"], quoted=55, unquoted=137)
    monkeypatch.setattr("hæfte.checker.check", lambda project, echo=None: failed)
    assert run_main("--stille", "check", "-p", str(project.root)) == cli.EXIT_CHECK_FAILED
    assert capsys.readouterr().out == ("tal skrevet direkte i teksten: templates/02_resultater.md.j2:3: i 2010 brugte\n"
                                       "FEJL: 55 citerede tal kontrolleret; 137 beregnede tal citeres ikke\n")
    monkeypatch.setattr("hæfte.checker.check", lambda project, echo=None: checker.CheckResult(quoted=55))
    assert run_main("check", "--stille", "-p", str(project.root)) == 0
    assert capsys.readouterr().out == ""  # --stille: nothing to say when all is well


def test_quiet_build_prints_nothing(monkeypatch, project, capsys):
    from hæfte.builder import Report

    calls = []
    monkeypatch.setattr("hæfte.builder.build", lambda project, echo=None, **options: calls.append((echo, options))
                        or Report(steps=[("x", 0.1)], outputs={"pdf": project.output_dir / "haefte.pdf"}))
    assert run_main("build", "--stille", "--beskaering", "-p", str(project.root)) == 0
    assert capsys.readouterr().out == ""
    assert calls == [(None, {"bleed": True, "release": False})]
    assert run_main("build", "-p", str(project.root)) == 0
    assert capsys.readouterr().out == (f"Bygger hæftet i {project.root}\nFærdig på 0.1 s:\n  pdf  _output/haefte.pdf\n")


def test_a_bug_is_exit_70_with_the_traceback(monkeypatch, project, capsys):
    def broken(project):
        raise RuntimeError("øv")

    monkeypatch.setattr("hæfte.pipeline.results", broken)
    monkeypatch.setattr("hæfte.cache.Cache.load", lambda self, kind, key: None)  # computed, not read from a build
    assert run_main("figures", "-p", str(project.root)) == cli.EXIT_BUG
    err = capsys.readouterr().err
    assert "RuntimeError: øv" in err and "Traceback (most recent call last)" in err
    assert err.endswith("fejl i hæfte selv (ikke i dine data): send gerne beskeden ovenfor til udviklerne\n")


def test_a_console_without_the_character_gets_a_question_mark_not_a_crash(monkeypatch):
    raw = BytesIO()
    stream = TextIOWrapper(raw, encoding="cp850")  # a Windows console's OEM code page: æ yes, – and ≥ no
    monkeypatch.setattr(sys, "stdout", stream)
    cli._never_crash_on_encoding()
    click.echo("hæfte – ≥ 90 pct.")
    stream.flush()
    assert raw.getvalue() == "hæfte ? ? 90 pct.\n".encode("cp850")


def test_the_name_is_written_in_the_console_code_page():
    for encoding in ("cp850", "cp1252", "utf-8"):
        result = subprocess.run([HÆFTE, "--version"], capture_output=True, env={**os.environ, "PYTHONIOENCODING": encoding})
        assert result.stdout == "hæfte, version 0.1.0\n".encode(encoding), encoding


def test_register_without_duckdb_says_how_to_install_it(monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "duckdb" else real(name, *a))
    assert run_main("register", "synth", "--personer", "10", "--ud", "x") == 2
    assert capsys.readouterr().err == ("fejl: registertrinnet kræver DuckDB: installér hæfte med "
                                       "pip install 'haefte[register]'\n")


@pytest.mark.parametrize("args", [["-h"], ["build", "-h"], ["register", "aggregate", "--help"]])
def test_help_is_danish_on_every_level(args):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli.cli, args)
    assert result.exit_code == 0
    assert "  -h, --help" in result.output and "vis denne hjælp og stop" in result.output
    assert "Show this message" not in result.output
