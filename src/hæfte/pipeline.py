"""The stages up to the results object, in one call: load → validate → compute.

In:  a ``Project``.
Out: ``Results`` (and the validated ``Tables`` for those who need the data itself).
"""

from __future__ import annotations

from hæfte.compute import compute
from hæfte.load import load
from hæfte.memo import Memo
from hæfte.project import Project
from hæfte.resultset import Results
from hæfte.validate import Tables, validate

# The statistics kept for the exact tables they were computed from (``hæfte.memo``): a notebook's
# rerun, and a file saved again as another format or encoding that reads to the same tables, are
# not computed twice. ``Results`` is read-only, so the callers share one.
_computed: Memo[Results] = Memo(size=8)


def tables(project: Project) -> Tables:
    return validate(load(project))


def results(project: Project) -> Results:
    """Every statistic, after disclosure control: a figure on too few persons stops the run."""
    from hæfte import disclosure

    t = tables(project)
    computed = _computed.get(t, lambda: compute(t))
    disclosure.check(computed, t.paths, t.program.diskretion_min)
    return computed
