"""Keep the column tables of ``data/README.md`` equal to the schemas loading enforces.

In:  the project's codebook and program facts (they decide the survey columns).
Out: the generated Markdown between ``<!-- kontrakt:start -->`` and ``<!-- kontrakt:end -->``;
     ``write`` replaces that part of the README, ``is_current`` tells whether it is stale.
"""

from __future__ import annotations

import re

from hæfte import contract, pipeline
from hæfte.errors import ProjectError
from hæfte.project import Project

START, END = "<!-- kontrakt:start -->", "<!-- kontrakt:end -->"
_BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)


def generated(project: Project) -> str:
    tables = pipeline.tables(project)
    return contract.describe(tables.codebook, tables.program.register_redskaber)


def _readme(project: Project) -> str:
    path = project.data_dir / "README.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if START not in text or END not in text:
        raise ProjectError(f"data/README.md mangler markeringerne {START} og {END}")
    return text


def expected(project: Project) -> str:
    return _BLOCK.sub(lambda _: f"{START}\n{generated(project)}{END}", _readme(project))


def is_current(project: Project) -> bool:
    return expected(project) == _readme(project)


def write(project: Project) -> bool:
    new = expected(project)
    if new == _readme(project):
        return False
    (project.data_dir / "README.md").write_text(new, encoding="utf-8")
    return True
