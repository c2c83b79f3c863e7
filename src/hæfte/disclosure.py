"""Statistical disclosure control for the register figures before anything is published.

In:  ``Results``, the files the register tables were read from (``Tables.paths``) and the
     smallest number of persons a published figure may rest on (``diskretion_min`` in
     ``data/fakta/program.yaml``; default 5, never below Statistics Denmark's 3).
Out: nothing, or a ``DisclosureError`` naming the first figure that breaks a rule:

- primary: a count (numerator) or a base with 1 to min−1 persons;
- secondary: a share whose complement (base − numerator) has 1 to min−1 persons, since it can
  be recovered by subtracting the numerator from the base that is shown too;
- differencing: two bases of the same year, group and series that differ only in the indicator
  (the adults behind education and employment, all persons behind origin) and by 1 to min−1
  persons, since the persons in the one and not the other can be counted by subtraction.

What is register data is decided by its role in the data contract: the tables ``afdelinger``,
``beboere`` and ``flytninger`` and every figure or table computed from them, wherever those
files are and whatever they are called (a symlinked or renamed ``data/register`` is checked like
any other). ``small`` is the one definition of a disclosive count; ``hæfte register aggregate``
uses it too.
"""

from __future__ import annotations

from typing import Mapping

from hæfte import format as fmt
from hæfte.errors import DisclosureError
from hæfte.project import fact_source
from hæfte.resultset import Figure, Results

REGISTER_TABLES = ("afdelinger", "beboere", "flytninger")
STATISTICS_DENMARK_MIN = 3  # Danmarks Statistik: at least 3 units behind a published cell


def small(count: int, minimum: int) -> bool:
    """A count that may not be published, nor be recoverable: 1 to minimum − 1 (0 reveals nobody)."""
    return 0 < count < minimum


def require_minimum(minimum: int, setting: str) -> None:
    if minimum < STATISTICS_DENMARK_MIN:
        raise DisclosureError(f"{setting} er {minimum}; mindst {STATISTICS_DENMARK_MIN} kræves "
                              "(Danmarks Statistiks regel for offentliggjorte registertal)")


def _sources(source: str) -> set[str]:
    return {part.strip() for part in source.split(",") if part.strip()}


def register_figures(results: Results, paths: Mapping[str, str]) -> list[Figure]:
    """Every figure, and every figure in a table, computed from a register table."""
    register = {paths[name] for name in REGISTER_TABLES if name in paths}
    figures = [f for f in results.figures.values() if _sources(f.source) & register]
    for table in results.tables.values():
        if _sources(table.source) & register:
            figures += [cell for row in table.rows for cell in row if isinstance(cell, Figure)]
    return figures


def check(results: Results, paths: Mapping[str, str], minimum: int, setting: str | None = None) -> None:
    # the setting's name is made here, not as a default value: a default is computed once, at import
    setting = setting or f"diskretion_min i {fact_source('program')}"
    require_minimum(minimum, setting)
    figures = register_figures(results, paths)
    for f in figures:
        if f.kind not in ("andel", "beloeb", "antal") or f.base is None:
            continue
        if small(f.base, minimum):
            raise DisclosureError(f"{f.id}: bygger på {f.base} enheder; mindst {minimum} kræves ({setting})")
        if f.numerator is None:
            continue
        if small(f.numerator, minimum):
            raise DisclosureError(f"{f.id}: tælleren er {f.numerator} (under {minimum}); tallet må ikke "
                                  f"offentliggøres ({setting})")
        rest = f.base - f.numerator
        if small(rest, minimum):
            raise DisclosureError(
                f"{f.id}: de {rest} uden for tælleren kan findes ved at trække {fmt.number(f.numerator)} fra "
                f"grundlaget {fmt.number(f.base)} (sekundær diskretion; mindst {minimum} kræves, {setting})")
    _check_differences(figures, set(results.facts.get("indikator_koder", ())), minimum, setting)


def _check_differences(figures: list[Figure], indicators: set[str], minimum: int, setting: str) -> None:
    # the figures that differ only in the indicator share a key; any other figure is alone in its own
    bases: dict[tuple[str, ...], dict[int, str]] = {}
    for f in figures:
        if f.base is None:
            continue
        key = tuple("*" if part in indicators else part for part in f.id.split("."))
        bases.setdefault(key, {}).setdefault(f.base, f.id)
    for found in bases.values():
        ordered = sorted(found)
        for smaller, larger in zip(ordered, ordered[1:]):
            if small(larger - smaller, minimum):
                raise DisclosureError(
                    f"{found[larger]}: grundlaget {fmt.number(larger)} er {larger - smaller} større end grundlaget "
                    f"{fmt.number(smaller)} for {found[smaller]}, så de {larger - smaller} kan findes ved at trække "
                    f"det ene fra det andet (differensdiskretion; mindst {minimum} kræves, {setting})")
