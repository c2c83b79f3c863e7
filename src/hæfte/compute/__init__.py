"""Compute every statistic of the booklet into one read-only ``Results``.

In:  ``Tables`` from ``validate``.
Out: ``Results`` (figures, tables, orderings, facts). All statistics are gathered before
     anything is rendered or written, as mkdocs gathers its files before building.
"""

from __future__ import annotations

from hæfte.compute import attitudes, facts, goals, social_mix, tools
from hæfte.compute.common import Computed
from hæfte.resultset import Results
from hæfte.validate import Tables

# In the order the catalogue lists their figures.
STEPS = (facts.compute, tools.compute, goals.compute, attitudes.compute, social_mix.compute)


def compute(data: Tables) -> Results:
    computed = sum((step(data) for step in STEPS), Computed())
    by_id = {}
    for figure in computed.figures:
        if figure.id in by_id:
            raise ValueError(f"figure id {figure.id} computed twice")
        by_id[figure.id] = figure
    tables = (*computed.tables, tools.figure_1(data, by_id))
    return Results(figures=by_id, tables={table.id: table for table in tables}, orderings=dict(computed.orderings),
                   facts=dict(computed.facts))
