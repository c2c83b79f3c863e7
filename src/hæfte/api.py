"""The Python API for notebooks and scripts: the command line's steps, returning objects.

In:  a project, as a ``Project`` or as the path of its folder (a ``str`` or ``os.PathLike``).
Out: ``results`` → the read-only ``Results`` (``.to_frame()`` gives the figure catalogue as a
     pandas DataFrame); ``build`` → the build's ``Report`` (steps with their seconds, outputs);
     ``check`` → a ``CheckResult`` (``.ok``, drifted figures, stray numbers, typed digits).
     Nothing is printed; bad input raises a ``HaefteError`` subclass with the same one-line
     Danish message the command line prints.

The package exposes these as ``hæfte.results``, ``hæfte.build`` and ``hæfte.check``: plain
functions, since the modules that do the work are named apart from them (``resultset``,
``builder``, ``checker``).
"""

from __future__ import annotations

import os
from typing import Callable, Union

from hæfte.project import Project

ProjectLike = Union[Project, str, "os.PathLike[str]", None]


def as_project(project: ProjectLike) -> Project:
    """A ``Project`` from a ``Project``, a folder path, or ``None`` (the current folder)."""
    if isinstance(project, Project):
        return project
    return Project.find(os.fspath(project) if project is not None else None)


def results(project: ProjectLike):
    """Every statistic the booklet may quote, after the data contract and disclosure control.
    When the last build computed them from the same data, code and library versions, they are
    read from its cache (an exact copy, checked against its hash) instead of computed again."""
    from hæfte import pipeline
    from hæfte.cache import Cache, Keys

    found = as_project(project)
    cached = Cache(found).load("results", Keys.of(found).results)
    return cached if cached is not None else pipeline.results(found)


def build(project: ProjectLike, *, echo: Callable[[str], None] | None = None, **options):
    """Build the booklet as ``hæfte build`` does and return the report; ``echo`` receives the
    progress lines. ``options`` go to the builder: ``bleed=True`` (3 mm bleed and crop marks),
    ``incremental=False`` (rebuild everything)."""
    from hæfte.builder import build as run_build

    return run_build(as_project(project), echo=echo, **options)


def check(project: ProjectLike, *, echo: Callable[[str], None] | None = None):
    """``hæfte check`` as an object: ``.ok`` is False when a quoted figure drifted from
    ``figurer.lock.json``, a number has no source, a template has typed digits or a claim fails."""
    from hæfte.checker import check as run_check

    return run_check(as_project(project), echo)
