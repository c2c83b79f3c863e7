"""Helpers for tests that edit data files and run the real command line."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hæfte", *args], cwd=cwd, capture_output=True, text=True)


def run_main(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command line's ``main`` in this process on the project at ``cwd``: its exit status and
    what it printed, as ``run_cli`` gives them, without a new interpreter importing everything
    again. For tests of what a command says and does; ``run_cli`` stays for the real process."""
    from hæfte import cli

    out, err = io.StringIO(), io.StringIO()
    code = 0
    here = os.getcwd()
    try:
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            cli.main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(["hæfte", *args], code, out.getvalue(), err.getvalue())


def data_error(root: Path) -> str:
    """The one-line message of the DataError that reading the project at ``root`` stops with."""
    import pytest

    from hæfte import pipeline
    from hæfte.errors import DataError
    from hæfte.project import Project

    with pytest.raises(DataError) as info:
        pipeline.results(Project.find(root))
    return str(info.value)


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set a cell by spreadsheet row number (header = row 1) and column name."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


AUDIT = """
import os, sys
def _net(event, args):
    local = event == "urllib.Request" and str(args[0]).startswith("file:")  # WeasyPrint reads files by URL
    if event.startswith(("socket.", "urllib.", "http.", "ftplib.", "smtplib.")) and event != "socket.__new__" and not local:
        with open(os.environ["HAEFTE_NETLOG"], "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {event} {args!r}\\n")
sys.addaudithook(_net)
"""


def offline(tmp_path, command: list[str], cwd, extra_env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, str]:
    """Run a command with no network at all (a network namespace of its own, where one can be
    made) and every Python process of it (the build, its worker) logging any use of the network
    through an audit hook loaded by sitecustomize."""
    hook = tmp_path / "netlog-hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(AUDIT, encoding="utf-8")
    log = tmp_path / "net.log"
    log.write_text("", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]),
           "HAEFTE_NETLOG": str(log), **(extra_env or {})}
    # the audit hook sees only Python; pandoc and any other program are cut off by the namespace
    assert shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"]).returncode == 0, \
        "unshare -rn (a network namespace of its own) is needed to run the build without network"
    result = subprocess.run(["unshare", "-rn", *command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    return result, log.read_text(encoding="utf-8")
