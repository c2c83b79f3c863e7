"""The read-only results object: every statistic the booklet may quote, with its provenance.

In:  figures, tables and orderings made by the ``compute`` modules.
Out: ``Results``, frozen; templates, charts, the catalogue and the checks only read it; its
     plain JSON form (``to_json``/``from_json``) for the build cache.

A ``Figure`` carries its exact value (a ``Fraction`` for shares), how it is displayed, a Danish
definition, numerator and base, the source table and who was asked. Its ``str()`` is the Danish
display text, so a template writes ``{{ kommuner.ka.perioden }}`` and gets "78 pct.".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from hæfte import codec, format as fmt

KINDS = {
    "andel": "andel (vises i pct.)",
    "antal": "antal",
    "beloeb": "beløb i kr.",
    "periode": "periode",
    "aar": "årstal",
    "gennemsnit": "gennemsnit",
    "procentpoint": "forskel i procentpoint",
    "tekst": "tekst",
    "udsagn": "udsagn, der holder eller ikke holder",
}


@dataclass(frozen=True)
class Figure:
    id: str
    value: Any
    kind: str
    definition: str
    source: str
    population: str = ""
    numerator: int | None = None
    base: int | None = None
    decimals: int = 0
    ci: tuple[float, float] | None = None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r} for figure {self.id}")

    @property
    def display(self) -> str:
        v = self.value
        if self.kind == "andel":
            return fmt.pct(v, self.decimals)
        if self.kind == "antal":
            return fmt.number(v)
        if self.kind == "beloeb":
            return fmt.kr(v)
        if self.kind == "periode":
            return fmt.period(*v)
        if self.kind == "aar":
            return fmt.year(v)
        if self.kind == "gennemsnit":
            return fmt.number(v, self.decimals)
        if self.kind == "procentpoint":
            return fmt.pct_points(v, self.decimals)
        if self.kind == "udsagn":
            return "holder" if v else "holder ikke"
        return str(v)

    @property
    def percent(self):
        """The displayed percentage as a number (for shares), e.g. Decimal('78')."""
        return fmt.percent_value(self.value, self.decimals)

    def __str__(self) -> str:
        return self.display

    def record(self) -> dict[str, Any]:
        """A JSON-friendly description of the figure."""
        value = self.value
        if isinstance(value, Fraction):
            value = float(value)
        elif isinstance(value, tuple):
            value = list(value)
        out = {
            "id": self.id, "value": value, "display": self.display, "kind": self.kind,
            "definition": self.definition, "numerator": self.numerator, "base": self.base,
            "source": self.source, "population": self.population, "decimals": self.decimals,
        }
        if isinstance(self.value, Fraction):
            exact = (self.numerator, self.base) if self.numerator is not None else \
                (self.value.numerator, self.value.denominator)
            out["exact"] = f"{exact[0]}/{exact[1]}"
        if self.ci is not None:
            out["ci95"] = list(self.ci)
        return out


def share(id: str, numerator: int, base: int, **kw) -> Figure:
    """A share figure from counts; base 0 is an error, not a silent zero."""
    if base <= 0:
        raise ValueError(f"figure {id}: base is {base}")
    return Figure(id=id, value=Fraction(int(numerator), int(base)), kind="andel",
                  numerator=int(numerator), base=int(base), **kw)


@dataclass(frozen=True)
class Table:
    """A small table of results (a chart's data, a series): column names and rows of values."""

    id: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    source: str
    note: str = ""

    def series(self) -> tuple[list[str], list[Any], dict[str, dict[str, list]]]:
        """A long table of (year, series, with, without) rows, as the charts read it: the series
        in order of appearance, the years, and per series the 'med' and 'uden' values by year."""
        names = list(dict.fromkeys(r[1] for r in self.rows))
        years = sorted({r[0] for r in self.rows})
        data: dict[str, dict[str, list]] = {name: {"med": [], "uden": []} for name in names}
        for r in self.rows:
            data[r[1]]["med"].append(r[2])
            data[r[1]]["uden"].append(r[3])
        return names, years, data


@dataclass(frozen=True)
class Ordering:
    """A ranking the text asserts ('de mest brugte'), with the values it rests on."""

    id: str
    definition: str
    ranked: tuple[tuple[str, str, Any], ...]  # (key, label, value) from largest to smallest

    @property
    def keys(self) -> list[str]:
        return [k for k, _, _ in self.ranked]

    @property
    def labels(self) -> list[str]:
        return [label for _, label, _ in self.ranked]

    def top(self, n: int) -> list[str]:
        return self.labels[:n]

    def select(self, keys) -> "Ordering":
        """The same ranking restricted to ``keys`` (order kept)."""
        keys = set(keys)
        return Ordering(self.id, self.definition, tuple(r for r in self.ranked if r[0] in keys))

    def exclude(self, keys) -> "Ordering":
        keys = set(keys)
        return Ordering(self.id, self.definition, tuple(r for r in self.ranked if r[0] not in keys))


class Namespace(Mapping):
    """Dotted figure ids as nested attributes for templates: ``kommuner.ka.perioden``."""

    def __init__(self, entries: Mapping[str, Any], prefix: str = "", on_figure=None):
        self._entries = entries
        self._prefix = prefix
        self._on_figure = on_figure  # told of every figure a template reads

    def _children(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        p = self._prefix
        for key in self._entries:
            if p and not key.startswith(p + "."):
                continue
            rest = key[len(p) + 1:] if p else key
            head = rest.split(".", 1)[0]
            out[head] = None
        return out

    def __getitem__(self, name: str) -> Any:
        full = f"{self._prefix}.{name}" if self._prefix else name
        if full in self._entries:
            if self._on_figure is not None:
                self._on_figure(full)
            return self._entries[full]
        if any(k.startswith(full + ".") for k in self._entries):
            return Namespace(self._entries, full, self._on_figure)
        raise KeyError(full)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"intet tal eller afsnit hedder '{self._prefix + '.' if self._prefix else ''}{name}'") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._children())

    def __len__(self) -> int:
        return len(self._children())

    def __repr__(self) -> str:
        return f"<Namespace {self._prefix or '(rod)'}: {', '.join(self._children())}>"


@dataclass(frozen=True)
class Results:
    figures: Mapping[str, Figure]
    tables: Mapping[str, Table]
    orderings: Mapping[str, Ordering]
    facts: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        for name in ("figures", "tables", "orderings", "facts"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    def __getitem__(self, figure_id: str) -> Figure:
        return self.figures[figure_id]

    def __reduce__(self):  # read-only mapping proxies do not pickle; the worker process needs to
        return (Results, (dict(self.figures), dict(self.tables), dict(self.orderings), dict(self.facts)))

    def namespace(self, on_figure=None) -> Namespace:
        return Namespace(self.figures, on_figure=on_figure)

    def to_json(self) -> dict:
        """Plain JSON data (exact: fractions, tuples and dates keep their type); see ``codec``."""
        return codec.encode(self)

    @classmethod
    def from_json(cls, data: dict) -> "Results":
        value = codec.decode(data)
        if not isinstance(value, cls):
            raise ValueError("the data is not a Results object")
        return value

    def to_frame(self):
        """The figure catalogue as a pandas DataFrame indexed by figure id: the columns of
        ``hæfte figures --json`` (value, display, kind, definition, numerator, base, source, …)."""
        import pandas as pd

        from hæfte.catalogue import records

        frame = pd.DataFrame.from_records(records(self)).set_index("id")
        return frame.astype({"numerator": "Int64", "base": "Int64"})  # counts stay whole where known


codec.register(Figure, Table, Ordering, Results)
