"""Results kept for the exact inputs they were computed from, within one process.

In:  the inputs of a deterministic step (anything pickle can write) and the step itself.
Out: the step's result, computed once per distinct input and kept for the next call with the
     same inputs, the least recently used dropped beyond ``size`` entries.

Why: a notebook's reruns, the preview's rebuild after one data file was saved and the test
suite compute the same inputs again and again. The key is a digest of the pickled inputs, so
two inputs share a result only when every value, type, dtype and label is the same; a pickle
that differs for equal inputs (an object shared in one and copied in the other) only costs a
computation, never a wrong result. The key holds hæfte's own code too, judged as Python judges
a module changed (each source file's size and modification time): a notebook that reloads an
edited module gets results of the new code. Thread-safe: the preview builds in more than one
thread.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


PACKAGE = Path(__file__).resolve().parent


@functools.cache
def _sources() -> tuple[str, ...]:
    # found once: a module added later is only reached through an edit of one found here
    return tuple(str(path) for path in sorted(PACKAGE.rglob("*.py")))


def code_version() -> tuple:
    """hæfte's source files as Python's import system tells them apart: size and mtime."""
    return tuple((stat.st_size, stat.st_mtime_ns) for stat in map(os.stat, _sources()))


def digest(inputs: Any) -> bytes:
    """Every value of ``inputs``, exactly (pickle writes a frame's values, dtypes and labels), and
    the version of the code that computes from them."""
    data = pickle.dumps((code_version(), inputs), protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.blake2b(data, digest_size=32).digest()


class Memo(Generic[T]):
    def __init__(self, size: int, copy: Callable[[T], T] = lambda value: value):
        self._kept: OrderedDict[bytes, T] = OrderedDict()
        self._size = size
        self._copy = copy  # what a caller gets: a copy, where it may change the kept value
        self._lock = threading.Lock()

    def get(self, inputs: Any, compute: Callable[[], T]) -> T:
        """The result for ``inputs``: kept from before, or ``compute()`` now (an error is not kept).
        Inputs pickle cannot write, or a source file gone from the package (a branch switched
        under a running notebook), are computed every time."""
        try:
            key = digest(inputs)
        except (pickle.PicklingError, TypeError, AttributeError, OSError):
            return compute()
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._copy(self._kept[key])
        value = compute()
        with self._lock:
            self._kept[key] = value
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return self._copy(value)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
