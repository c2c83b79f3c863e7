"""Results kept for the exact inputs they were computed from, within one process.

In:  the inputs of a deterministic step (anything pickle can write) and the step itself.
Out: the step's result, computed once per distinct input and kept for the next call with the
     same inputs, the least recently used dropped beyond ``size`` entries.

Why: a notebook's reruns, the preview's rebuild after one data file was saved and the test
suite compute the same inputs again and again. The key is a digest of the pickled inputs, so
two inputs share a result only when every value, type, dtype and label is the same; a pickle
that differs for equal inputs (an object shared in one and copied in the other) only costs a
computation, never a wrong result. Thread-safe: the preview builds in more than one thread.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections import OrderedDict
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


def digest(inputs: Any) -> bytes:
    """Every value of ``inputs``, exactly: pickle writes a frame's values, dtypes and labels."""
    return hashlib.blake2b(pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL), digest_size=32).digest()


class Memo(Generic[T]):
    def __init__(self, size: int, copy: Callable[[T], T] = lambda value: value):
        self._kept: OrderedDict[bytes, T] = OrderedDict()
        self._size = size
        self._copy = copy  # what a caller gets: a copy, where it may change the kept value
        self._lock = threading.Lock()

    def get(self, inputs: Any, compute: Callable[[], T]) -> T:
        """The result for ``inputs``: kept from before, or ``compute()`` now (an error is not kept).
        Inputs pickle cannot write are computed every time."""
        try:
            key = digest(inputs)
        except (pickle.PicklingError, TypeError, AttributeError):
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
