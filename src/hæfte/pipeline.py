"""The stages up to the results object, in one call: load → validate → compute.

In:  a ``Project``.
Out: ``Results`` (and the validated ``Tables`` for those who need the data itself).
"""

from __future__ import annotations

from hæfte.compute import compute
from hæfte.load import load
from hæfte.project import Project
from hæfte.resultset import Results
from hæfte.validate import Tables, validate


def tables(project: Project) -> Tables:
    return validate(load(project))


def results(project: Project) -> Results:
    """Every statistic, after disclosure control: a figure on too few persons stops the run."""
    from hæfte import disclosure

    t = tables(project)
    computed = compute(t)
    disclosure.check(computed, t.paths, t.program.diskretion_min)
    return computed
