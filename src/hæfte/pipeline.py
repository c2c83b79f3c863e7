"""The stages up to the results object, in one call: load → validate → compute.

In:  a ``Project``.
Out: ``Results`` (and the validated ``Tables`` for those who need the data itself).
"""

from __future__ import annotations

import copy

from hæfte.compute import compute
from hæfte.load import load
from hæfte.memo import Memo
from hæfte.project import Project
from hæfte.resultset import Results
from hæfte.validate import Tables, validate

# The statistics kept for the exact tables they were computed from (``hæfte.memo``): a notebook's
# rerun, and a file saved again in another encoding that reads to the same tables, are not
# computed twice. Figures, tables and orderings are read-only and shared; the facts are plain
# dicts and lists a caller could change, so each caller gets its own (a change made in a
# notebook would otherwise reach every later caller, and the build cache on disk).
_computed: Memo[Results] = Memo(size=8, copy=lambda kept: Results(kept.figures, kept.tables, kept.orderings,
                                                                  copy.deepcopy(dict(kept.facts))))


def tables(project: Project) -> Tables:
    return validate(load(project))


def results(project: Project) -> Results:
    """Every statistic, after disclosure control: a figure on too few persons stops the run."""
    from hæfte import disclosure

    t = tables(project)
    computed = _computed.get(t, lambda: compute(t))
    disclosure.check(computed, t.paths, t.program.diskretion_min)
    return computed
