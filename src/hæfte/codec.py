"""Plain, exact JSON for hæfte's values: what the build cache stores instead of pickle.

In:  values made of None, bool, int, float, str, bytes, Fraction, Decimal, date, datetime, tuple,
     list, dict (any keys) and the dataclasses registered here (``Figure``, ``Table``,
     ``Ordering``, ``Results``; the cache registers the render types).
Out: JSON-able data and back, equal to the original value and of the same types.

What JSON lacks is written as an object with one tag, ``{"$": "brøk", "v": "36/46"}``. Decoding
never runs code from the file: it only builds the types listed here from their fields, so a
damaged or hostile cache file can at worst fail to decode (and is then recomputed).
"""

from __future__ import annotations

import base64
import dataclasses
import math
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

TAG = "$"
_TYPES: dict[str, type] = {}


def register(*classes: type) -> None:
    """Allow these dataclasses in encoded values, by class name (a name for one class only; the
    same class may be registered again)."""
    for cls in classes:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls.__name__} is not a dataclass")
        if _TYPES.get(cls.__name__, cls) is not cls:
            raise TypeError(f"two classes are called {cls.__name__}")
        _TYPES[cls.__name__] = cls


def _tagged(name: str, value: Any) -> dict:
    return {TAG: name, "v": value}


def encode(value: Any) -> Any:
    """A value as JSON-able data (see the module docstring for the types)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else _tagged("float", repr(value))
    if isinstance(value, Fraction):
        return _tagged("brøk", f"{value.numerator}/{value.denominator}")
    if isinstance(value, Decimal):
        return _tagged("decimal", str(value))
    if isinstance(value, datetime):  # before date: a datetime is a date too
        return _tagged("tidspunkt", value.isoformat())
    if isinstance(value, date):
        return _tagged("dato", value.isoformat())
    if isinstance(value, bytes):
        return _tagged("bytes", base64.b64encode(value).decode("ascii"))
    if isinstance(value, tuple):
        return _tagged("tuple", [encode(v) for v in value])
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        if all(isinstance(k, str) for k in value) and TAG not in value:
            return {k: encode(v) for k, v in value.items()}
        return _tagged("dict", [[encode(k), encode(v)] for k, v in value.items()])
    name = type(value).__name__
    if dataclasses.is_dataclass(value) and _TYPES.get(name) is type(value):
        return _tagged(name, {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init})
    raise TypeError(f"hæfte's cache cannot store a {type(value).__module__}.{name}")


def decode(data: Any) -> Any:
    """The value ``encode`` was given; ``ValueError`` for anything it could not have written."""
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        raise ValueError(f"unexpected {type(data).__name__} in cache data")
    if TAG not in data:
        return {k: decode(v) for k, v in data.items()}
    if set(data) != {TAG, "v"}:
        raise ValueError(f"malformed tagged value {sorted(data)}")
    name, raw = data[TAG], data["v"]
    if name == "float":
        value = float(raw)
        if math.isfinite(value):
            raise ValueError("a finite float is never tagged")
        return value
    if name == "brøk":
        numerator, _, denominator = raw.partition("/")
        return Fraction(int(numerator), int(denominator))
    if name == "decimal":
        return Decimal(raw)
    if name == "tidspunkt":
        return datetime.fromisoformat(raw)
    if name == "dato":
        return date.fromisoformat(raw)
    if name == "bytes":
        return base64.b64decode(raw.encode("ascii"), validate=True)
    if name == "tuple":
        return tuple(decode(v) for v in raw)
    if name == "dict":
        return {_hashable(decode(k)): decode(v) for k, v in raw}
    cls = _TYPES.get(name)
    if cls is None or not isinstance(raw, dict):
        raise ValueError(f"unknown type '{name}' in cache data")
    fields = {f.name for f in dataclasses.fields(cls) if f.init}
    if set(raw) - fields:
        raise ValueError(f"unknown fields {sorted(set(raw) - fields)} for {name}")
    return cls(**{k: decode(v) for k, v in raw.items()})


def _hashable(key: Any) -> Any:
    if isinstance(key, list):
        raise ValueError("a list cannot be a dictionary key")
    return key
