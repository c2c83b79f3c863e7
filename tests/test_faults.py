"""Faults leave no mess: kills at every step of publishing, dead parents, stale locks, a full
disk, read-only and unreadable files, a damaged cache or output, and a build under another
locale, time zone and path."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hæfte import faults, publish

# --- publishing, killed at every step ---------------------------------------------------------

OLD = {"haefte.pdf": "pdf gammel", "haefte-tilgaengelig.pdf": "tilgængelig gammel", "nyt.txt": None,
       "web/index.html": "web gammel", "web/figurer/f.svg": "svg gammel", ".manifest.json": "manifest gammel"}
NEW = {"haefte.pdf": "pdf ny", "haefte-tilgaengelig.pdf": None, "nyt.txt": "nyt ny",
       "web/index.html": "web ny", "web/figurer/f.svg": "svg ny", ".manifest.json": "manifest ny"}

def make_set(folder: Path, which: dict) -> None:
    for rel, text in which.items():
        if text is not None:
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")


def publish_set(output: Path, which: str) -> None:
    """What a build does around publishing: recover, make the version folder, publish."""
    publish.recover(output)
    version = publish.new_version(output)
    make_set(version, OLD if which == "gammel" else NEW)
    previous = {"haefte.pdf", "haefte-tilgaengelig.pdf", "web", ".manifest.json"} if which == "ny" else set()
    publish.publish(version, output, previous)


def seen(output: Path) -> dict:
    """What a reader finds at the published paths."""
    return {rel: (output / rel).read_text(encoding="utf-8") if (output / rel).is_file() else None for rel in OLD}


def leftovers(output: Path) -> list[str]:
    versions = output / publish.VERSIONS
    kept = {publish.current_version(output)}
    found = [f"{publish.VERSIONS}/{p.name}" for p in versions.iterdir() if p.name not in kept] if versions.is_dir() else []
    found += [p.name for p in output.iterdir() if p.name.endswith(".ny-link") or p.name == publish.JOURNAL]
    return found


def _publish_in_child(output: Path, which: str, no_links: bool, kill_at: str | None = None) -> int:
    """Publish in a forked child process (as a build would), with a kill at ``kill_at``; its exit status."""
    pid = os.fork()
    if pid == 0:  # the child: publish, then leave without running the test process's cleanup
        code = 1
        try:
            os.environ.pop(publish.NO_LINKS, None)
            os.environ.pop(faults.KILL_AT, None)
            if no_links:
                os.environ[publish.NO_LINKS] = "1"
            if kill_at:
                os.environ[faults.KILL_AT] = kill_at
            publish_set(output, which)
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _in_process(output: Path, which: str, no_links: bool) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(publish.NO_LINKS, "1") if no_links else mp.delenv(publish.NO_LINKS, raising=False)
        publish_set(output, which)


def _points(tmp_path: Path, old_links: bool, new_links: bool) -> list[str]:
    """Every fault point publishing passes, in order, from a traced run in this process."""
    probe = tmp_path / "proeve"
    probe.mkdir()
    _in_process(probe, "gammel", not old_links)
    faults.trace = []
    try:
        _in_process(probe, "ny", not new_links)
        return list(faults.trace)
    finally:
        faults.trace = None


@pytest.mark.parametrize("old_links,new_links", [(True, True), (False, False), (False, True)],
                         ids=["symlinks", "journal-uden-symlinks", "fra-filer-til-symlinks"])
def test_a_kill_at_every_step_of_publishing_leaves_old_or_new_never_mixed(tmp_path, old_links, new_links):
    points = _points(tmp_path, old_links, new_links)
    assert points[0] == "udgiv:start" and points[-1] == "udgiv:ryddet" and len(points) >= 7
    outcomes = {}
    for point in points:
        output = tmp_path / point.replace(":", "_").replace("/", "_")
        output.mkdir()
        _in_process(output, "gammel", not old_links)
        assert seen(output) == OLD
        assert _publish_in_child(output, "ny", not new_links, kill_at=point) == -signal.SIGKILL, point
        if new_links and old_links:  # one atomic switch: right after the kill, a reader sees one whole set
            assert seen(output) in (OLD, NEW), point
        publish.recover(output)  # what the next build does first
        after = seen(output)
        assert after in (OLD, NEW), point
        outcomes[point] = "ny" if after == NEW else "gammel"
        assert leftovers(output) == [], point
        _in_process(output, "ny", not new_links)  # the next build succeeds at once
        assert seen(output) == NEW and leftovers(output) == [], point
    # before the switch the old set stands, after it the new one
    switch = "udgiv:journal" if "udgiv:journal" in points else "udgiv:peger-skiftet"
    assert outcomes["udgiv:start"] == "gammel" and outcomes[switch] == "ny" and outcomes["udgiv:ryddet"] == "ny"
    assert ("udgiv:peger" in points) == new_links and ("udgiv:journal" in points) == (not old_links)


def test_published_names_are_links_into_one_pointer(tmp_path):
    publish_set(tmp_path, "gammel")
    assert os.readlink(tmp_path / "haefte.pdf") == ".aktuel/haefte.pdf"
    assert os.readlink(tmp_path / "web") == ".aktuel/web"
    assert os.readlink(tmp_path / ".aktuel").startswith(".udgaver/bygning-")
    publish_set(tmp_path, "ny")
    assert seen(tmp_path) == NEW
    assert not os.path.lexists(tmp_path / "haefte-tilgaengelig.pdf")  # a dropped output's link goes too
    assert [p.name for p in (tmp_path / ".udgaver").iterdir()] == [publish.current_version(tmp_path)]


def test_a_journal_that_was_never_finished_writing_leaves_the_old_set(tmp_path, monkeypatch):
    monkeypatch.setenv(publish.NO_LINKS, "1")
    publish_set(tmp_path, "gammel")
    version = publish.new_version(tmp_path)
    make_set(version, NEW)
    (tmp_path / publish.JOURNAL).write_text('{"version": 1, "ny": "', encoding="utf-8")  # cut off mid-write
    publish.recover(tmp_path)
    assert seen(tmp_path) == OLD and leftovers(tmp_path) == []
