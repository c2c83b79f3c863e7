"""Faults leave no mess: kills at every step of publishing, dead parents, stale locks, a full
disk, read-only and unreadable files, a damaged cache or output, and a build under another
locale, time zone and path."""

from __future__ import annotations

import base64
import errno
import json
import os
import re
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


def test_leftovers_of_killed_builds_are_cleaned_by_the_next_build(tmp_path):
    publish_set(tmp_path, "gammel")
    current = publish.current_version(tmp_path)
    for junk in (".udgaver/bygning-halv/web", ".udgaver/links-x", ".udgaver/gammel-bygning-y", ".bygger-abc/web"):
        (tmp_path / junk).mkdir(parents=True)
    (tmp_path / ".gammel-haefte.pdf").write_text("gammel", encoding="utf-8")
    os.symlink(".udgaver/bygning-halv", tmp_path / ".aktuel.ny-link")
    publish.recover(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".aktuel", ".manifest.json", ".udgaver", "haefte-tilgaengelig.pdf",
                                                          "haefte.pdf", "web"]
    assert [p.name for p in (tmp_path / ".udgaver").iterdir()] == [current] and seen(tmp_path) == OLD


# --- workers and locks ------------------------------------------------------------------------------

WORKER = """
import os, sys, time
from hæfte import workers
if sys.argv[1] == "uden-pdeathsig":
    workers._PR_SET_PDEATHSIG = 0  # an invalid prctl option: only the portable watcher is left
with workers.pool() as pool:
    print(pool.submit(os.getpid).result(), flush=True)
    pool.submit(time.sleep, 120)
    time.sleep(120)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie is dead
    except FileNotFoundError:
        return False


def _wait_dead(pid: int, seconds: float = 5.0) -> float:
    start = time.monotonic()
    while _alive(pid) and time.monotonic() - start < seconds:
        time.sleep(0.02)
    return time.monotonic() - start


@pytest.mark.parametrize("how", ["pdeathsig", "uden-pdeathsig"])
def test_the_worker_dies_with_its_parent_on_kill_9(how):
    parent = subprocess.Popen([sys.executable, "-c", WORKER, how], stdout=subprocess.PIPE, text=True)
    worker = int(parent.stdout.readline())
    assert worker != parent.pid and _alive(worker)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    assert _wait_dead(worker) < 2.0 and not _alive(worker)


HOLD_LOCK = """
import sys, time
if sys.argv[2] == "uden-fcntl":
    sys.modules["fcntl"] = None  # as on a system without fcntl: filelock falls back to a marker file
from hæfte import builder, workers
from hæfte.project import Project
with builder.exclusive(Project.find(sys.argv[1])), workers.pool() as pool:
    pool.submit(time.sleep, 120)  # a forked worker holds the lock file open too
    print("låst", flush=True)
    time.sleep(120)
"""


TAKE_LOCK = """
import sys
if sys.argv[2] == "uden-fcntl":
    sys.modules["fcntl"] = None
from hæfte import builder
from hæfte.project import Project
with builder.exclusive(Project.find(sys.argv[1]), wait=1.0):
    print("taget")
"""


@pytest.mark.parametrize("how", ["fcntl", "uden-fcntl"])
def test_the_lock_of_a_killed_build_is_taken_over_at_once(copy_project, how):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(copy_project), how], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "låst\n"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    started = time.monotonic()
    taker = subprocess.run([sys.executable, "-c", TAKE_LOCK, str(copy_project), how], capture_output=True, text=True,
                           timeout=30)
    assert taker.stdout == "taget\n" and taker.returncode == 0, taker.stderr
    assert time.monotonic() - started < 10  # at once: the 1 s wait below would fail, not a 600 s one


def test_a_second_build_waits_and_then_says_another_is_running(copy_project):
    from hæfte.builder import exclusive
    from hæfte.errors import BusyError
    from hæfte.project import Project

    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(copy_project), "fcntl"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "låst\n"
        project = Project.find(copy_project)
        with pytest.raises(BusyError) as info:
            with exclusive(project, wait=0.3):
                pass
        assert str(info.value) == f"en anden bygning af {copy_project} har kørt i over 0 s"
    finally:
        holder.kill()
        holder.wait()

def test_a_taken_over_lock_prints_no_warning(copy_project):
    taker = subprocess.run([sys.executable, "-c", TAKE_LOCK, str(copy_project), "uden-fcntl"], capture_output=True,
                           text=True, timeout=30)
    assert (taker.returncode, taker.stdout, taker.stderr) == (0, "taget\n", "")


# --- errors of the operating system: one line naming the path, exit 2, no traceback -----------------

def published(output: Path) -> dict[str, str]:
    """The SHA-256 of every published file, read through the published names as a user would."""
    import hashlib

    found = {}
    for name in sorted(os.listdir(output)):
        path = output / name
        if name.startswith(".") or not path.exists():
            continue
        files = [Path(root) / f for root, _, names in os.walk(path, followlinks=True) for f in names] \
            if path.is_dir() else [path]
        for file in files:
            found[file.relative_to(output).as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
    return found


@pytest.fixture()
def built_copy(built, tmp_path) -> Path:
    """A copy of the session's built project, outputs and cache included (its links kept as links)."""
    target = tmp_path / "bygget"
    shutil.copytree(built.root, target, symlinks=True)
    return target


def edit_template(root: Path) -> None:
    path = root / "templates/11_konklusion.md.j2"
    text = path.read_text(encoding="utf-8")
    assert "resultater peger på" in text
    path.write_text(text.replace("resultater peger på", "resultater peger hen på"), encoding="utf-8")


def cli(args: list[str], cwd: Path, prefix: tuple[str, ...] = (), **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, **env}
    return subprocess.run([*prefix, sys.executable, "-m", "hæfte", *args], cwd=cwd, capture_output=True, text=True,
                          env=environment, timeout=300)


def as_plain_user() -> tuple[str, ...]:
    """Root reads and writes any file whatever its mode: in a user namespace of its own it is held
    to the file modes like anybody else (so a chmod 000 file is unreadable, a 555 folder read-only)."""
    if os.geteuid() != 0:
        return ()
    assert subprocess.run(["unshare", "-U", "true"]).returncode == 0, "unshare -U is needed to drop root's rights"
    return ("unshare", "-U")


def test_a_full_disk_gives_one_line_naming_the_file_and_leaves_the_outputs(built_copy, monkeypatch, capsys):
    from hæfte.cli import main

    before = published(built_copy / "_output")
    edit_template(built_copy)
    real = Path.write_text

    def full(self, *args, **kwargs):
        if self.name == "haefte.md" and publish.VERSIONS in self.parts:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full)
    monkeypatch.chdir(built_copy)
    with pytest.raises(SystemExit) as info:
        main(["build"])
    err = capsys.readouterr().err
    assert info.value.code == 2
    assert re.fullmatch(r"fejl: _output/\.udgaver/bygning-\w+/haefte\.md: disken er fuld \(ENOSPC\)\n", err), err
    assert published(built_copy / "_output") == before
    assert [p.name for p in (built_copy / "_output/.udgaver").iterdir()] == [publish.current_version(built_copy / "_output")]


def test_a_read_only_output_folder_gives_one_line(built_copy):
    before = published(built_copy / "_output")
    edit_template(built_copy)
    os.chmod(built_copy / "_output", 0o555)
    try:
        result = cli(["build"], built_copy, as_plain_user())
    finally:
        os.chmod(built_copy / "_output", 0o755)
    assert (result.returncode, result.stderr) == (
        2, "fejl: _output: adgang nægtet (filen eller mappen er skrivebeskyttet eller ulæselig) (EACCES)\n")
    assert published(built_copy / "_output") == before


def test_an_unreadable_data_file_gives_one_line(copy_project):
    data = copy_project / "data/survey/kommuner.csv"
    os.chmod(data, 0)
    result = cli(["build"], copy_project, as_plain_user())
    assert (result.returncode, result.stderr) == (
        2, "fejl: data/survey/kommuner.csv: adgang nægtet (filen eller mappen er skrivebeskyttet eller ulæselig) (EACCES)\n")


def test_a_folder_where_a_template_should_be_gives_one_line(built_copy):
    path = built_copy / "templates/05_case_odense.md.j2"
    path.unlink()
    path.mkdir()
    result = cli(["build"], built_copy)
    assert (result.returncode, result.stderr) == (
        2, "fejl: templates/05_case_odense.md.j2: er en mappe, men skal være en fil (EISDIR)\n")


def test_output_being_a_file_gives_one_line(copy_project):
    (copy_project / "_output").write_text("ikke en mappe", encoding="utf-8")
    result = cli(["build"], copy_project)
    assert (result.returncode, result.stderr) == (2, "fejl: _output er en fil, men skal være en mappe: flyt eller slet filen\n")


def test_a_port_in_use_gives_one_line(built_copy):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli(["preview", "--port", str(port)], built_copy)
    assert result.returncode == 2
    assert result.stderr == f"fejl: 127.0.0.1:{port}: porten er allerede i brug: vælg en anden med --port (EADDRINUSE)\n"


# --- the cache is data; damaged outputs are made again ------------------------------------------------

def test_a_damaged_cache_entry_is_ignored_and_removed(copy_project):
    from hæfte.cache import Cache
    from hæfte.project import Project

    cache = Cache(Project.find(copy_project))
    cache.store("figur-figur1", "nøgle", b"<svg>78 pct.</svg>")
    assert cache.load("figur-figur1", "nøgle") == b"<svg>78 pct.</svg>"
    path = copy_project / "_output/.cache/figur-figur1.json"
    entry = json.loads(path.read_text(encoding="utf-8"))
    assert entry["data"]["v"] == base64.b64encode(b"<svg>78 pct.</svg>").decode()
    entry["data"]["v"] = base64.b64encode(b"<svg>80 pct.</svg>").decode()  # valid JSON, valid type: wrong content
    path.write_text(json.dumps(entry), encoding="utf-8")
    assert cache.load("figur-figur1", "nøgle") is None and not path.exists()
    path.write_text('{"format": "hæfte-cache", "ver', encoding="utf-8")  # cut off
    assert cache.load("figur-figur1", "nøgle") is None and not path.exists()


def test_laid_out_outputs_in_the_cache_are_used_only_whole_and_as_recorded(tmp_path):
    from hæfte.cache import ENTRY, Cache
    from hæfte.project import Project

    (tmp_path / "data").mkdir()
    cache = Cache(Project.find(tmp_path))
    stage = tmp_path / "trin"
    (stage / "figurer").mkdir(parents=True)
    (stage / "haefte.pdf").write_bytes(b"%PDF-1.7 hele")
    (stage / "figurer/figur1.svg").write_bytes(b"<svg/>")
    cache.store_outputs("pdf", "k1", stage, ("haefte.pdf", "figurer"), {"skjult": ["x"]})
    cache.store_outputs("pdf", "k2", stage, ("haefte.pdf", "figurer"), {"skjult": []})
    assert sorted(p.name for p in cache.dir.iterdir()) == ["uddata-pdf-k2"]  # the newest layout only

    def load(key: str = "k2"):
        target = tmp_path / f"ny-{len(list(tmp_path.iterdir()))}"
        target.mkdir()
        return cache.load_outputs("pdf", key, target), target

    extra, target = load()
    assert extra == {"skjult": []} and (target / "haefte.pdf").read_bytes() == b"%PDF-1.7 hele"
    assert (target / "figurer/figur1.svg").read_bytes() == b"<svg/>"
    assert load("k1")[0] is None  # another key: not there
    folder = cache.dir / "uddata-pdf-k2"
    for damage in (lambda: (folder / "haefte.pdf").write_bytes(b"%PDF-1.7 halv"),  # content changed
                   lambda: (folder / "figurer/figur9.svg").write_bytes(b"<svg/>"),  # a file it did not make
                   lambda: (folder / "figurer/figur1.svg").unlink() or
                   (folder / "figurer/figur1.svg").symlink_to("/etc/passwd")):  # a link out of it
        cache.store_outputs("pdf", "k2", stage, ("haefte.pdf", "figurer"), {"skjult": []})
        damage()
        extra, target = load()
        assert extra is None and not folder.exists() and list(target.iterdir()) == []
    cache.store_outputs("pdf", "k2", stage, ("haefte.pdf", "figurer"), {"skjult": []})
    entry = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
    entry["key"] = "k3"  # an entry renamed to another key is not that key's
    (folder / ENTRY).write_text(json.dumps(entry), encoding="utf-8")
    assert load()[0] is None and not folder.exists()


def test_a_pickle_in_the_cache_is_never_read(copy_project):
    import pickle

    from hæfte.cache import Cache
    from hæfte.project import Project

    marker = copy_project / "pickle-blev-laest"

    class Payload:
        def __reduce__(self):
            return (Path.write_text, (marker, "ja"))

    cache_dir = copy_project / "_output/.cache"
    cache_dir.mkdir(parents=True)  # holding only the planted files
    for name in ("results-abc.pickle", "results.pickle", "results.json"):
        (cache_dir / name).write_bytes(pickle.dumps(Payload()))
    cache = Cache(Project.find(copy_project))
    assert cache.load("results", "abc") is None
    cache.store("figur-x", "k", b"svg")
    assert not marker.exists()
    assert sorted(p.name for p in cache_dir.iterdir()) == ["figur-x.json"]


def test_a_zero_byte_pdf_is_made_again_not_reported_unchanged(built_copy):
    from hæfte.builder import build
    from hæfte.cache import Cache, damaged_files
    from hæfte.project import Project

    before = (built_copy / "_output/haefte.pdf").read_bytes()
    (built_copy / "_output/haefte.pdf").write_bytes(b"")
    lines: list[str] = []
    report = build(Project.find(built_copy), echo=lines.append)
    assert not report.nothing_to_do
    assert "  1 udgivne filer er ændret eller mangler siden sidste bygning (haefte.pdf); de laves igen" in lines
    names = [name for name, _ in report.steps]
    # the verified copy the last layout kept in the cache, not the damaged published file
    assert "PDF (lavet før)" in names and "webversion (uændret)" in names
    assert (built_copy / "_output/haefte.pdf").read_bytes() == before  # the whole PDF again, not a stub
    assert damaged_files(built_copy / "_output", Cache(Project.find(built_copy)).manifest()) == []


def test_a_deleted_page_and_a_garbled_chart_are_made_again(built_copy):
    from hæfte.builder import build
    from hæfte.project import Project

    good = (built_copy / "_output/web/figurer/figur1.svg").read_bytes()
    catalogue = (built_copy / "_output/figurkatalog.pdf").read_bytes()
    (built_copy / "_output/web/index.html").unlink()
    (built_copy / "_output/web/figurer/figur1.svg").write_bytes(good[:200])
    (built_copy / "_output/figurkatalog.pdf").unlink()
    lines: list[str] = []
    report = build(Project.find(built_copy), echo=lines.append)
    assert lines[0] == ("  3 udgivne filer er ændret eller mangler siden sidste bygning "
                        "(figurkatalog.pdf, web/figurer/figur1.svg, web/index.html); de laves igen")
    names = [name for name, _ in report.steps]
    # the verified copies the last layout kept in the cache
    assert "webversion (lavet før)" in names and "PDF (uændret)" in names and "figurkatalog-PDF (lavet før)" in names
    assert (built_copy / "_output/figurkatalog.pdf").read_bytes() == catalogue
    assert (built_copy / "_output/web/figurer/figur1.svg").read_bytes() == good
    assert '<html lang="da">' in (built_copy / "_output/web/index.html").read_text(encoding="utf-8")


def test_a_real_build_killed_while_publishing_leaves_the_old_set_and_the_next_build_succeeds(built_copy):
    from hæfte.builder import build, exclusive
    from hæfte.project import Project

    output = built_copy / "_output"
    before = published(output)
    # a designer's edit of the web style sheet: the new set differs in the web version, and the
    # PDFs, which do not read web.css, are reused (so the kill meets publishing, not a layout)
    with open(built_copy / "styles/web.css", "a", encoding="utf-8") as css:
        css.write("\nmain p { word-spacing: 0.01em; }\n")
    killed = cli(["build"], built_copy, **{faults.KILL_AT: "udgiv:peger"})
    assert killed.returncode == -signal.SIGKILL
    assert "webversion (pandoc)" in killed.stdout and "PDF (uændret)" in killed.stdout
    assert published(output) == before  # the old set, whole
    assert len(list((output / publish.VERSIONS).iterdir())) == 2  # the new version, never switched to
    project = Project.find(built_copy)
    with exclusive(project, wait=1.0):  # no stale lock, no worker left holding it
        pass
    report = build(project)
    assert not report.nothing_to_do
    after = published(output)
    assert (after["haefte.pdf"], after["figurkatalog.pdf"]) == (before["haefte.pdf"], before["figurkatalog.pdf"])
    assert after["web/assets/web.css"] != before["web/assets/web.css"]
    assert [p.name for p in (output / publish.VERSIONS).iterdir()] == [publish.current_version(output)]
