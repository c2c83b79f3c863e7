"""Totals and their parts that the reader sees together but that disagree through rounding.

In:  ``Results`` (``facts["summer"]``: the sums the statistics make, e.g. positive = i høj grad +
     i nogen grad, and all five answers = 100 pct.) and the ids of the figures a reader sees:
     those the text quotes and those a chart shows.
Out: the ``Mismatch``es, where the shown parts do not add up to the shown total (the text's
     56 pct. against the chart's 13 + 42), and the customary note a figure then carries.

Both the total and the parts are rounded by the one rule in ``format``; the difference is
never an error, only something a reader must be told.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from hæfte import format as fmt
from hæfte.resultset import Figure, Results

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Mismatch:
    total: str | None  # figure id; None: the parts are a whole distribution (100 pct.)
    parts: tuple[str, ...]
    shown_total: Decimal
    shown_sum: Decimal

    def describe(self, results: Results) -> str:
        total = "100 pct." if self.total is None else f"{self.total} {results[self.total].display}"
        parts = " + ".join(results[p].display for p in self.parts)
        return (f"{total} ≠ {parts} = {fmt.pct(self.shown_sum / 100)}").replace(fmt.NBSP, " ")


def mismatches(results: Results, shown: set[str]) -> list[Mismatch]:
    """The declared sums whose total and parts are all shown and whose rounded values disagree."""
    out = []
    for entry in results.facts.get("summer", []):
        total, parts = entry["total"], tuple(entry["dele"])
        if not all(p in shown for p in parts) or (total is not None and total not in shown):
            continue
        shown_sum = sum((results[p].percent for p in parts), Decimal(0))
        shown_total = HUNDRED if total is None else results[total].percent
        if shown_sum != shown_total:
            out.append(Mismatch(total, parts, shown_total, shown_sum))
    return out


def chart_figures(table) -> set[str]:
    """The ids of the figures a chart (its data table) shows."""
    return {cell.id for row in table.rows for cell in row if isinstance(cell, Figure)}


def for_chart(results: Results, table, quoted: set[str] | frozenset[str]) -> list[Mismatch]:
    """The mismatches a chart must carry the note for: its own figures are the parts."""
    mine = chart_figures(table)
    return [m for m in mismatches(results, mine | set(quoted)) if set(m.parts) <= mine]


def note(found: list[Mismatch]) -> str:
    """The customary note under a figure whose numbers do not add up because of rounding."""
    whole = any(m.total is None for m in found)
    totals = any(m.total is not None for m in found)
    if whole and totals:
        what = "til 100 eller til de samlede andele i teksten"
    elif whole:
        what = "til 100"
    elif totals:
        what = "til de samlede andele i teksten"
    else:
        return ""
    return f"Anm.: Procenterne er afrundede og summerer derfor ikke altid {what}."
