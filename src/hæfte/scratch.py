"""A temporary folder for each process, removed when the process ends.

In:  nothing.
Out: ``folder()``: a folder under the system's temporary folder for files a library must read
     from disk while the process runs (the TrueType fonts matplotlib and WeasyPrint load);
     ``subfolder(prefix)``: a new folder in it; ``font_configuration()``: WeasyPrint's font
     configuration, writing its fonts there;
     ``remove_folders_of(pid)``: the folder of a process that was killed.

The folder is removed by multiprocessing's exit finalizers, which run in the main process (at
exit) and in the build's worker process: that one ends with ``os._exit``, which skips ``atexit``
and every ``__del__``, so a folder left to either stayed behind. Before this, each build left
two folders of fonts (about 0.5 MB) in the temporary folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from multiprocessing import util
from pathlib import Path

_folders: dict[int, Path] = {}  # by process id: a forked worker gets a folder of its own
_lock = threading.Lock()


def folder() -> Path:
    """This process's folder, made on first use."""
    with _lock:
        pid = os.getpid()
        if pid not in _folders:
            _remove_folders_of_dead_processes()
            path = Path(tempfile.mkdtemp(prefix=f"haefte-{pid}-"))  # the pid: see remove_folders_of
            # a forked child starts with an empty finalizer registry: it never removes its parent's folder
            util.Finalize(None, shutil.rmtree, args=(str(path),), kwargs={"ignore_errors": True}, exitpriority=0)
            _folders[pid] = path
        return _folders[pid]


def subfolder(prefix: str) -> Path:
    """A new folder inside this process's folder (one set of fonts each)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=folder()))


def remove_folders_of(pid: int) -> None:
    """Remove the folder of a process that was killed (its finalizers never ran): the build's
    worker, stopped when the build fails."""
    for path in Path(tempfile.gettempdir()).glob(f"haefte-{pid}-*"):
        shutil.rmtree(path, ignore_errors=True)


def _remove_folders_of_dead_processes() -> None:
    """The folders of this user's processes that were killed outright (``kill -9``: no finalizer
    runs), found by the process id in their name. POSIX only: Windows has no harmless way to ask
    whether a process id is alive (``os.kill(pid, 0)`` sends it Ctrl-C there)."""
    if os.name != "posix":
        return
    for path in Path(tempfile.gettempdir()).glob("haefte-*-*"):
        pid = path.name.split("-")[1]
        try:
            if not pid.isdigit() or path.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except OSError:  # another user's process, or the folder went meanwhile
            continue


def font_configuration():
    """WeasyPrint's font configuration, with the fonts it decodes in this process's folder:
    WeasyPrint removes its own folder only when the object is collected, which never happens
    in the build's worker (it ends with os._exit). Every WeasyPrint call passes one."""
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fonts._folder = subfolder("weasyprint-")  # where add_font_face writes
    return fonts
