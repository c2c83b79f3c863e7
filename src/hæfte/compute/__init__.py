"""Compute every statistic of the booklet into one read-only ``Results``.

In:  ``Tables`` from ``validate``.
Out: ``Results`` (figures, tables, orderings, facts). All statistics are gathered before
     anything is rendered or written, as mkdocs gathers its files before building.
"""

from __future__ import annotations

from hæfte.compute import attitudes, facts, goals, social_mix, tools
from hæfte.resultset import Results
from hæfte.validate import Tables


def compute(t: Tables) -> Results:
    figures, orderings, tables, all_facts = [], {}, [], {}
    f, fa = facts.compute(t)
    figures += f
    all_facts.update(fa)
    f, o, fa = tools.compute(t)
    figures += f
    orderings.update(o)
    all_facts.update(fa)
    f, o, fa = goals.compute(t)
    figures += f
    orderings.update(o)
    all_facts.update(fa)
    f, o, tb, fa = attitudes.compute(t)
    figures += f
    orderings.update(o)
    tables += tb
    all_facts.update(fa)
    f, tb, fa = social_mix.compute(t)
    figures += f
    tables += tb
    all_facts.update(fa)
    by_id = {}
    for fig in figures:
        if fig.id in by_id:
            raise ValueError(f"figure id {fig.id} computed twice")
        by_id[fig.id] = fig
    tables.append(tools.figure_1(t, by_id))
    return Results(figures=by_id, tables={tb.id: tb for tb in tables}, orderings=orderings, facts=all_facts)
