"""Named points in the build where a test can kill the process, to prove that a fault at any
moment leaves no mess.

In:  the environment variable ``HAEFTE_TEST_KILL_AT`` (a point's name; tests only).
Out: ``point(name)`` kills the running process with SIGKILL when its name is the one given, the
     way a power cut or ``kill -9`` would; otherwise it does nothing (and records the name when
     a test traces the points, so a test can kill at every point there is).
"""

from __future__ import annotations

import os
import signal

KILL_AT = "HAEFTE_TEST_KILL_AT"
trace: list[str] | None = None  # a test sets a list here to learn the points, in order


def point(name: str) -> None:
    if trace is not None:
        trace.append(name)
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
