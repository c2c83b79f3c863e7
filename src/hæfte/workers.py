"""The build's one worker process beside the main one, for the length of one build.

In:  nothing (``pool()`` is a context manager; ``pool(low_priority=True)`` runs its worker at a
     lower CPU priority, for the preview's background build).
Out: a ``ProcessPoolExecutor`` with one worker (the machine has two cores): it imports
     matplotlib and WeasyPrint while the main process computes the statistics, then draws the
     charts and lays out the other PDFs while the main process renders text and the booklet.

The worker dies with its parent, also when the parent is killed with ``kill -9``: on Linux the
kernel sends it SIGKILL (``PR_SET_PDEATHSIG``), everywhere a thread in the worker waits on the
parent's sentinel and ends the process when the parent is gone. So no orphan keeps running, and
none keeps the build lock (which a forked worker shares) after its parent died. The pool is shut
down when the build ends; no process outlives the build.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(1)
    parent = multiprocessing.parent_process()
    if parent is not None:
        def watch() -> None:
            multiprocessing.connection.wait([parent.sentinel])
            os._exit(1)

        threading.Thread(target=watch, name="hæfte-forælder", daemon=True).start()


def _start_worker(parent_pid: int, low_priority: bool) -> None:
    _die_with_parent(parent_pid)
    if low_priority:  # yield the cores to the parent: the preview's web version comes first
        with contextlib.suppress(OSError, AttributeError):
            if sys.platform == "win32":
                kernel = ctypes.windll.kernel32
                kernel.SetPriorityClass(kernel.GetCurrentProcess(), 0x4000)  # BELOW_NORMAL_PRIORITY_CLASS
            else:
                os.nice(10)


@contextlib.contextmanager
def pool(low_priority: bool = False) -> Iterator[ProcessPoolExecutor]:
    # fork starts the worker at once with what the main process has imported; spawn elsewhere
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context(method),
                                   initializer=_start_worker, initargs=(os.getpid(), low_priority))
    try:
        yield executor
    except BaseException:
        stop(executor)  # a failed build does not wait for the worker's half-done layout
        raise
    else:
        executor.shutdown(wait=True)


def stop(executor: ProcessPoolExecutor) -> None:
    """Kill the pool's worker now, and remove the scratch folder it could not remove itself."""
    from hæfte import scratch

    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    for process in processes:
        process.join()
        scratch.remove_folders_of(process.pid)
