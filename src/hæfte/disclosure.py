"""Statistical disclosure control for the register figures before anything is published.

In:  ``Results`` and the smallest number of persons a published figure may rest on
     (``diskretion_min`` in ``data/fakta/program.yaml``; default 5).
Out: nothing, or a ``DisclosureError`` naming the first figure that breaks a rule:

- primary: a count (numerator) or a base with 1 to min−1 persons;
- secondary: a share whose complement (base − numerator) has 1 to min−1 persons, since it can
  be recovered by subtracting the numerator from the base that is shown too.

Statistics Denmark's rule for its research servers is at least 3 units per cell; many
institutions use 5, which is hæfte's default.
"""

from __future__ import annotations

from hæfte import format as fmt
from hæfte.errors import DisclosureError
from hæfte.results import Figure, Results

REGISTER_SOURCES = ("data/register/",)


def register_figures(results: Results) -> list[Figure]:
    figures = [f for f in results.figures.values() if f.source.startswith(REGISTER_SOURCES)]
    for table in results.tables.values():
        if table.source.startswith(REGISTER_SOURCES):
            figures += [cell for row in table.rows for cell in row if isinstance(cell, Figure)]
    return figures


def check(results: Results, minimum: int, setting: str = "diskretion_min i data/fakta/program.yaml") -> None:
    for f in register_figures(results):
        if f.kind not in ("andel", "beloeb", "antal") or f.base is None:
            continue
        if 0 < f.base < minimum:
            raise DisclosureError(f"{f.id}: bygger på {f.base} enheder; mindst {minimum} kræves ({setting})")
        if f.numerator is None:
            continue
        if 0 < f.numerator < minimum:
            raise DisclosureError(f"{f.id}: tælleren er {f.numerator} (under {minimum}); tallet må ikke "
                                  f"offentliggøres ({setting})")
        rest = f.base - f.numerator
        if 0 < rest < minimum:
            raise DisclosureError(
                f"{f.id}: de {rest} uden for tælleren kan findes ved at trække {fmt.number(f.numerator)} fra "
                f"grundlaget {fmt.number(f.base)} (sekundær diskretion; mindst {minimum} kræves, {setting})")
