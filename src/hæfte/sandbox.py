"""Run a step in a child process with hard limits on wall-clock time and memory.

In:  a module-level function, its (picklable) arguments and ``Limits``.
Out: the function's return value, or the exception it raised, re-raised here; ``Exceeded``
     when the child ran past its time or memory limit or died.

Why a process: a template can build a huge string in one C call or loop for ever inside one
Jinja loop. Only the operating system stops that for sure: the parent waits on a pipe with a
timeout and kills the child when it has not answered, and the child's address space is capped
(``RLIMIT_AS`` on POSIX; a resident-memory watchdog elsewhere). A signal such as SIGALRM would
do nothing off the main thread (the preview renders in a watcher thread) and does not exist on
Windows. Inside the child a watchdog thread first stops the work with ``Expired`` at the soft
limit, so the error can name the template line; the kill ``grace`` seconds later is the backstop.

The child is a fresh interpreter (``sys.executable``, so it works the same on Windows and never
re-runs the caller's script as multiprocessing's spawn would), started once and reused, so the
editor loop pays its start-up (some tenths of a second) once; after a kill or a memory overrun the
next call starts a fresh one. Jobs and answers travel as length-prefixed pickles over its
stdin/stdout; only hæfte's own code sends them.
"""

from __future__ import annotations

import atexit
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Limits:
    seconds: float = 10.0  # wall-clock per step (one template)
    memory: int = 1024 * 2**20  # bytes a job may add to the child's memory
    grace: float = 5.0  # after the soft time limit, seconds until the child is killed (a busy machine)


STARTUP = 60.0  # seconds a new child may take to start and take its first job


class Exceeded(Exception):
    """The child ran out of time (``kind == "tid"``) or memory (``"hukommelse"``), or died."""

    def __init__(self, kind: str, step: Any):
        super().__init__(kind)
        self.kind, self.step = kind, step


class Expired(BaseException):
    """Raised in the child's main thread by the watchdog when a step ran past its time limit.
    A BaseException, so no ``except Exception`` in the rendered code swallows it."""


class OutOfMemory(BaseException):
    """Raised in the child by the memory watchdog where the address space cannot be capped."""


# ------------------------------------------------------------------ the child's side
_CHILD: "_Child | None" = None


class _Child:
    def __init__(self, out):
        self.out = out
        self.deadline: float | None = None
        self.memory_ceiling: int | None = None
        self.reason: type[BaseException] | None = None
        self.wake = threading.Condition()
        self.recycle = False
        threading.Thread(target=self._watch, daemon=True).start()

    def send(self, message: tuple) -> None:
        _write(self.out, pickle.dumps(message))

    def _watch(self) -> None:
        """Stop the main thread at the deadline, or when it outgrows its memory (where no rlimit)."""
        import _thread

        while True:
            with self.wake:
                while self.deadline is None:
                    self.wake.wait()
                left = self.deadline - time.monotonic()
                if left > 0:
                    if self.memory_ceiling is None or _resident() <= self.memory_ceiling:
                        self.wake.wait(left if self.memory_ceiling is None else min(left, 0.05))
                        continue
                    self.reason = OutOfMemory
                else:
                    self.reason = Expired
                self.deadline = None
            _thread.interrupt_main(signal.SIGINT)

    def arm(self, seconds: float | None) -> None:
        with self.wake:
            self.reason = None
            self.deadline = None if seconds is None else time.monotonic() + seconds
            self.wake.notify()


def _interrupt(signum, frame):
    """SIGINT in the child: raised by the watchdog only; a Ctrl-C meant for the parent is ignored
    (the parent ends the child when it exits)."""
    if _CHILD is not None and _CHILD.reason is not None:
        reason, _CHILD.reason = _CHILD.reason, None
        raise reason()


def step(name: Any, seconds: float | None) -> None:
    """Called by the job in the child before each step: tell the parent, restart the clock.
    ``seconds=None`` stops the clock (the step is done)."""
    if _CHILD is None:
        return
    _CHILD.arm(seconds)
    if seconds is not None:
        _CHILD.send(("step", name))


def recycle() -> None:
    """The job hit a limit: this child ends after answering, and the next call gets a fresh one."""
    if _CHILD is not None:
        _CHILD.recycle = True
        _cap_memory(None)  # room to report the overrun; the child ends right after


def in_child() -> bool:
    return _CHILD is not None


def _resident() -> int:
    """Resident memory of this process in bytes (for the watchdog where RLIMIT_AS is not enforced)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        pass
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD)] + [
                (name, ctypes.c_size_t) for name in (
                    "PeakWorkingSetSize", "WorkingSetSize", "QuotaPeakPagedPoolUsage", "QuotaPagedPoolUsage",
                    "QuotaPeakNonPagedPoolUsage", "QuotaNonPagedPoolUsage", "PagefileUsage", "PeakPagefileUsage")]

        counters = Counters()
        counters.cb = ctypes.sizeof(counters)
        ctypes.windll.psapi.GetProcessMemoryInfo(ctypes.windll.kernel32.GetCurrentProcess(),
                                                  ctypes.byref(counters), counters.cb)
        return counters.WorkingSetSize
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _cap_memory(extra: int | None) -> None:
    """Cap the address space at what the child uses now plus ``extra`` (None: lift the cap)."""
    if not sys.platform.startswith("linux"):
        _CHILD.memory_ceiling = None if extra is None else _resident() + extra
        return
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if extra is None:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    with open("/proc/self/statm", "rb") as f:
        size = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft = size + extra
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _write(stream, data: bytes) -> None:
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _read(stream) -> bytes:
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    size = struct.unpack("<Q", head)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return data


def serve() -> None:
    """The child's loop: run jobs from stdin until the parent closes it."""
    global _CHILD
    jobs = sys.stdin.buffer
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the answers
    sys.stdout = sys.stderr
    signal.signal(signal.SIGINT, _interrupt)
    _CHILD = _Child(answers)
    while True:
        try:
            fn, args, limits = pickle.loads(_read(jobs))
        except (EOFError, OSError):
            return
        answer: tuple
        try:
            _cap_memory(limits.memory)
            try:
                answer = ("ok", fn(*args))
            finally:
                _CHILD.arm(None)
                _cap_memory(None)
        except (Expired, OutOfMemory) as exc:  # outside any step: still the job's fault
            answer = ("limit", "tid" if isinstance(exc, Expired) else "hukommelse")
            _CHILD.recycle = True
        except MemoryError:
            answer = ("limit", "hukommelse")
            _CHILD.recycle = True
        except Exception as exc:
            answer = ("error", exc)
        try:
            data = pickle.dumps(answer + (_CHILD.recycle,))
            pickle.loads(data)  # an exception that pickles but does not unpickle would fail in the parent
        except Exception:
            data = pickle.dumps(("bug", "".join(traceback.format_exception(answer[1])) if answer[0] == "error"
                                 else "svaret kunne ikke sendes", _CHILD.recycle))
        _write(answers, data)
        if _CHILD.recycle:
            return


# ------------------------------------------------------------------ the parent's side
class _Worker:
    def __init__(self):
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        # the child finds hæfte where this process found it, installed or not
        package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from hæfte import sandbox; sandbox.serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read_answers, daemon=True).start()

    def _read_answers(self) -> None:
        """Answers arrive on a thread of their own, so the caller can wait with a timeout on any OS."""
        stream = self.process.stdout
        while True:
            try:
                self.answers.put(pickle.loads(_read(stream)))
            except Exception:  # the child died or closed its end
                self.answers.put(None)
                return

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        self.process.wait(5)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass

    def call(self, fn: Callable, args: tuple, limits: Limits) -> tuple[Any, bool]:
        try:
            _write(self.process.stdin, pickle.dumps((fn, args, limits)))
        except OSError:
            self.stop()
            raise Exceeded("nedbrud", None) from None
        step_name: Any = None
        patience = limits.seconds + limits.grace
        # until the job's first step the child starts, imports and unpickles: no template runs yet,
        # and on a busy machine that alone can take longer than a step may
        deadline = time.monotonic() + max(patience, STARTUP)
        while True:
            try:
                message = self.answers.get(timeout=max(deadline - time.monotonic(), 0))
            except queue.Empty:
                self.stop()
                raise Exceeded("tid", step_name) from None
            if message is None:
                self.stop()
                raise Exceeded("nedbrud", step_name)
            if message[0] == "step":
                step_name = message[1]
                deadline = time.monotonic() + patience
                continue
            kind, value, recycled = message
            if recycled:
                self.stop()
            if kind == "limit":
                raise Exceeded(value, step_name)
            if kind == "error":
                raise value
            if kind == "bug":
                raise RuntimeError(f"fejl i hæftes sandkasse:\n{value}")
            return value, recycled


_WORKER: _Worker | None = None
_LOCK = threading.Lock()


def _forget_after_fork() -> None:
    """A process forked from this one (the build's worker pool) starts its own sandbox child if it
    ever needs one, rather than talking on its parent's pipes."""
    global _WORKER, _LOCK
    _WORKER, _LOCK = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)


def run(fn: Callable, args: tuple, limits: Limits) -> Any:
    """``fn(*args)`` in the sandbox child, under ``limits``; one call at a time per process."""
    global _WORKER
    with _LOCK:
        if _WORKER is None or not _WORKER.alive():
            if _WORKER is not None:
                _WORKER.stop()
            _WORKER = _Worker()
        try:
            value, recycled = _WORKER.call(fn, args, limits)
        except Exceeded:
            _WORKER = None
            raise
        except BaseException:
            if not _WORKER.alive():
                _WORKER = None
            raise
        if recycled:
            _WORKER = None
        return value


def shutdown() -> None:
    """End the child (it also ends by itself when this process exits)."""
    global _WORKER
    with _LOCK:
        if _WORKER is not None:
            _WORKER.stop()
            _WORKER = None


atexit.register(shutdown)
