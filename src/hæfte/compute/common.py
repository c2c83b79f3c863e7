"""Shared counting rules for the survey statistics.

In:  answer columns of the validated survey tables.
Out: boolean series with missing values (``pd.NA``) and (numerator, base) pairs, and
     ``Computed``, what every compute step returns.

The convention, used for every percentage: a share is taken over those who gave a valid
answer to that item. For tool use, "Ja" and "Nej" are valid; "Ved ikke" and blank are not.
"Ever used" is Ja if either item is Ja, Nej if both are Nej, otherwise missing. On the
five-point scale "Ved ikke" is a valid answer and stays in the base (it is a bar of Figur 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import pandas as pd

from hæfte.contract import JA, LIKERT, NEJ, codebook_labels
from hæfte.resultset import Figure, Ordering, Table

SURVEY_LABELS = {"kommuner": "kommuner", "helhedsplaner": "helhedsplaner (forretningsførernes svar)"}


@dataclass(frozen=True)
class Computed:
    """What one compute step adds to the results. Steps add up with ``+`` (in order); a name
    computed twice is a bug in hæfte, not in the data, and stops the sum."""

    figures: tuple[Figure, ...] = ()
    orderings: Mapping[str, Ordering] = field(default_factory=dict)
    tables: tuple[Table, ...] = ()
    facts: Mapping[str, Any] = field(default_factory=dict)

    def __add__(self, other: "Computed") -> "Computed":
        for kind in ("orderings", "facts"):
            twice = getattr(self, kind).keys() & getattr(other, kind).keys()
            if twice:
                raise ValueError(f"{kind} computed twice: {sorted(twice)}")
        return Computed(self.figures + other.figures, {**self.orderings, **other.orderings},
                        self.tables + other.tables, {**self.facts, **other.facts})


def yes_no(series: pd.Series) -> pd.Series:
    """Ja -> True, Nej -> False, anything else -> missing."""
    return series.map({JA: True, NEJ: False}).astype("boolean")


def ticked(series: pd.Series) -> pd.Series:
    """Multiple choice: '1' -> True, '0' -> False, blank (not asked) -> missing."""
    return series.map({"1": True, "0": False}).astype("boolean")


def ever(period: pd.Series, now: pd.Series) -> pd.Series:
    a, b = yes_no(period), yes_no(now)
    out = pd.Series(pd.NA, index=period.index, dtype="boolean")
    out[(a == True) | (b == True)] = True  # noqa: E712 - nullable comparison
    out[(a == False) & (b == False)] = False  # noqa: E712
    return out


def counts(mask: pd.Series) -> tuple[int, int]:
    """(number True, number valid) of a boolean series with missing values."""
    valid = mask.dropna()
    return int(valid.sum()), int(len(valid))


def likert_valid(series: pd.Series) -> pd.Series:
    return series[series.isin([v for v in LIKERT if v])]


labels = codebook_labels  # the validation names the tools by it too (contract.py)


def short_labels(codebook: pd.DataFrame, group: str) -> dict[str, str]:
    """Code -> the short form prose builds lists from (column ``kort``; the long form where blank)."""
    rows = codebook[codebook["gruppe"] == group]
    short = rows["kort"] if "kort" in rows else rows["tekst"]
    return {k: (s if isinstance(s, str) and s.strip() else t) for k, s, t in zip(rows["kode"], short, rows["tekst"])}
