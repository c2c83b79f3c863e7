"""Results kept for the exact inputs they were computed from, within one process.

In:  the inputs of a deterministic step (anything pickle can write) and the step itself.
Out: the step's result, computed once per distinct input and kept for the next call with the
     same inputs, the least recently used dropped beyond ``size`` entries.

Why: a notebook's reruns, the preview's rebuild after one data file was saved and the test
suite compute the same inputs again and again. The key is a digest of the pickled inputs, so
two inputs share a result only when every value, type, dtype and label is the same; a pickle
that differs for equal inputs (an object shared in one and copied in the other) only costs a
computation, never a wrong result. Each value is kept with the code that computed it: every
hæfte module loaded then, by its import. A reload of one of them (as a notebook's %autoreload
does) computes again, and a value computed while one was reloaded is not kept; a module
imported since does not, as the computation did not run it (hæfte finds no code by
registration, so an import changes no result). A function replaced in a running process
without a reload is not seen (``clear_all``). A value is kept as computed: a memo whose callers
may change it gives each a copy (``copy``). Thread-safe, also across the build's fork: a forked
worker starts with its own open lock.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import threading
import weakref
from collections import OrderedDict
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


_SPECS: dict[int, object] = {}  # every module spec seen, kept alive: no later one can take its id


def code_version() -> tuple:
    """The hæfte code loaded now: each module by the spec its latest import made (a reload finds
    the module anew)."""
    version = []
    for name, module in list(sys.modules.items()):
        if name == "hæfte" or name.startswith("hæfte."):
            spec = getattr(module, "__spec__", None)
            _SPECS.setdefault(id(spec), spec)
            version.append((name, id(spec)))
    return tuple(sorted(version))


class _Hashing:
    """A file pickle writes into: the digest grows, no copy of the pickled inputs is made."""

    def __init__(self):
        self.hash = hashlib.blake2b(digest_size=32)

    def write(self, data) -> None:
        self.hash.update(data)


def _unchanged(version: tuple) -> bool:
    """Each module of ``version`` is still loaded by the same import."""
    modules = sys.modules
    return all(id(getattr(modules.get(name), "__spec__", None)) == spec for name, spec in version)


def digest(inputs: Any) -> bytes:
    """Every value of ``inputs``, exactly: pickle writes a frame's values, dtypes and labels."""
    sink = _Hashing()
    pickle.Pickler(sink, protocol=pickle.HIGHEST_PROTOCOL).dump(inputs)
    return sink.hash.digest()


_MEMOS: "weakref.WeakSet[Memo]" = weakref.WeakSet()


def clear_all() -> None:
    """Forget every kept result (after replacing one of hæfte's functions in a running process)."""
    for memo in list(_MEMOS):
        memo.clear()


class Memo(Generic[T]):
    def __init__(self, size: int, copy: Callable[[T], T] = lambda value: value):
        self._kept: OrderedDict[bytes, tuple[T, tuple]] = OrderedDict()  # key -> (value, code_version())
        self._size = size
        self._copy = copy  # what a caller gets: a copy, where it may change the kept value
        self._lock = threading.Lock()
        _MEMOS.add(self)

    def get(self, inputs: Any, compute: Callable[[], T]) -> T:
        """The result for ``inputs``: kept from before, or ``compute()`` now (an error is not kept).
        Inputs pickle cannot write are computed every time."""
        try:
            key = digest(inputs)
        except (pickle.PicklingError, TypeError, AttributeError):
            return compute()
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and _unchanged(kept[1]):
                self._kept.move_to_end(key)
                return self._copy(kept[0])
        before = code_version()
        value = compute()
        version = code_version()  # after computing: the modules it imported count too
        if not set(before) <= set(version):  # a module reloaded while it ran: which code made it is unknown
            return self._copy(value)
        with self._lock:
            self._kept[key] = (value, version)
            self._kept.move_to_end(key)
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return self._copy(value)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def _after_fork() -> None:
    # a thread of the parent may have held a lock when the build forked its worker
    for memo in list(_MEMOS):
        memo._lock = threading.Lock()


if hasattr(os, "register_at_fork"):  # not on Windows, which has no fork
    os.register_at_fork(after_in_child=_after_fork)
