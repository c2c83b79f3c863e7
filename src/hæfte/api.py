"""The Python API for notebooks and scripts: the command line's steps, returning objects.

In:  a project, as a ``Project`` or as the path of its folder (a ``str`` or ``os.PathLike``).
Out: ``results`` → the read-only ``Results`` (``.to_frame()`` gives the figure catalogue as a
     pandas DataFrame); ``build`` → the build's ``Report`` (steps with their seconds, outputs);
     ``check`` → a ``CheckResult`` (``.ok``, drifted figures, stray numbers, typed digits).
     Nothing is printed; bad input raises a ``HaefteError`` subclass with the same one-line
     Danish message the command line prints.

The package exposes these as ``hæfte.results``, ``hæfte.build`` and ``hæfte.check``. Those names
are also the modules ``hæfte/results.py``, ``build.py`` and ``check.py``, and Python's import
system sets a package attribute to its submodule whenever that is imported, so a plain function
named ``hæfte.build`` would be replaced by the module as soon as any code imports it. Instead the
three modules are made callable (``callable_module``): ``hæfte.build(projekt)`` calls
``api.build`` and ``hæfte.build.Report`` is still the module's class.
"""

from __future__ import annotations

import os
import sys
import types
from typing import Callable, Union

from hæfte.project import Project

ProjectLike = Union[Project, str, "os.PathLike[str]", None]


def as_project(project: ProjectLike) -> Project:
    """A ``Project`` from a ``Project``, a folder path, or ``None`` (the current folder)."""
    if isinstance(project, Project):
        return project
    return Project.find(os.fspath(project) if project is not None else None)


def results(project: ProjectLike):
    """Every statistic the booklet may quote, after the data contract and disclosure control."""
    from hæfte import pipeline

    return pipeline.results(as_project(project))


def build(project: ProjectLike, *, echo: Callable[[str], None] | None = None, **options):
    """Build the booklet as ``hæfte build`` does and return the report; ``echo`` receives the
    progress lines. ``options`` go to the builder: ``bleed=True`` (3 mm bleed and crop marks),
    ``incremental=False`` (rebuild everything)."""
    from hæfte.build import build as run_build

    return run_build(as_project(project), echo=echo, **options)


def check(project: ProjectLike, *, echo: Callable[[str], None] | None = None):
    """``hæfte check`` as an object: ``.ok`` is False when a quoted figure drifted from
    ``figurer.lock.json``, a number has no source, a template has typed digits or a claim fails."""
    from hæfte.check import check as run_check

    return run_check(as_project(project), echo)


class _CallableModule(types.ModuleType):
    """A module that can be called: ``hæfte.build(projekt)`` runs the API function of that name."""

    def __call__(self, *args, **kwargs):
        return API[self.__name__.rpartition(".")[2]](*args, **kwargs)


API = {"results": results, "build": build, "check": check}


def callable_module(name: str) -> None:
    """Make the already imported module ``hæfte.<name>`` callable (allowed for any module since
    Python 3.5: a module's ``__class__`` may be set to a subclass of ``ModuleType``)."""
    module = sys.modules[f"hæfte.{name}"]
    if not isinstance(module, _CallableModule):
        module.__class__ = _CallableModule
