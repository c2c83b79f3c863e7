"""hæfte.scratch: one temporary folder per process, and none left behind by a killed one."""

import os
import subprocess
import sys
import tempfile

from hæfte import scratch


def test_the_folders_of_killed_processes_are_removed_and_those_of_live_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(scratch, "_folders", {})  # this process has made no folder yet
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f"haefte-{int(ended.stdout)}-abc"  # a build killed with kill -9 leaves this
    (dead / "skrifter-x").mkdir(parents=True)
    alive = tmp_path / f"haefte-{os.getppid()}-def"
    alive.mkdir()
    other = tmp_path / "haefte-fremmed-ghi"  # not one of ours: no process id in its name
    other.mkdir()
    mine = scratch.folder()
    assert mine.parent == tmp_path and mine.name.startswith(f"haefte-{os.getpid()}-")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name, mine.name])
