"""Keep the column tables of ``data/README.md`` equal to the schemas loading enforces.

In:  the project's codebook and program facts (they decide the survey columns).
Out: the generated Markdown between ``<!-- kontrakt:start -->`` and ``<!-- kontrakt:end -->``;
     ``write`` replaces that part of the README, ``is_current`` tells whether it is stale.
"""

from __future__ import annotations

from hæfte import contract, pipeline
from hæfte.generated import GeneratedSection
from hæfte.project import Project

START, END = "<!-- kontrakt:start -->", "<!-- kontrakt:end -->"


def generated(project: Project) -> str:
    tables = pipeline.tables(project)
    return contract.describe(tables.codebook, tables.program.register_redskaber)


SECTION = GeneratedSection("data/README.md", START, END, generated)
is_current, write = SECTION.is_current, SECTION.write
