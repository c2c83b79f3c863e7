"""Shared fixtures: the project's own reference data, and throw-away copies to break."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from hæfte import pipeline
from hæfte.project import Project

ROOT = Path(__file__).resolve().parents[1]

# Every build in the tests, and the session's build they copy, dates its PDFs the same way, as a
# reproducible release build would (the date is part of the outputs' key: see cache.Options).
os.environ["SOURCE_DATE_EPOCH"] = "1700000000"

# The session's Python processes (the two pytest-xdist workers, some thirty 'python -m hæfte'
# runs) keep the bytecode they compile (in __pycache__, which git ignores), also where
# PYTHONDONTWRITEBYTECODE is set, as CI images often do: without it each process compiled the
# project's modules again, some 20 s of CPU a run on a fresh clone. Python checks each file
# against its source, so an edited module is compiled anew. Set here, before the workers start.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


# The test files that take longest, in the order pytest-xdist hands them to its two workers (with
# --no-loadscope-reorder it keeps this order, and gives each worker two files to begin with, in
# turn; the rest follow alphabetically): the longest first, so the workers finish together. The
# first makes the session's build; the other worker meanwhile runs the data and bad-input files,
# which need no build, so it never waits for it.
SLOWEST_FIRST = ("test_new_data.py", "test_load.py", "test_check.py", "test_bad_input.py",
                 "test_web_accessibility.py", "test_reliability.py", "test_faults.py", "test_hostile.py",
                 "test_pdf_structure.py", "test_register.py", "test_editor_loop.py", "test_formats.py",
                 "test_layout.py", "test_preview.py", "test_validate.py", "test_packaging.py", "test_quarto.py")


def _needs_the_build(item) -> bool:
    """A bad-input case that runs 'hæfte build' (it starts from the session build's cache)."""
    callspec = getattr(item, "callspec", None)
    return item.path.name == "test_bad_input.py" and callspec is not None and callspec.params.get("command") == "build"


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    # a stable sort: files stay whole; in a file, the cases that need the session's build come
    # last, so the worker that runs the data files meanwhile does not wait for it
    items.sort(key=lambda item: (rank.get(item.path.name, len(rank)), _needs_the_build(item)))


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.find(ROOT)


@pytest.fixture(scope="session")
def results(project, tmp_path_factory):
    """The project's statistics, computed once per test session: the first pytest-xdist worker
    to ask computes them, the other reads them as that worker left them (pickled)."""
    import pickle

    def make(target: Path) -> None:
        target.mkdir(parents=True)
        (target / "resultater.pickle").write_bytes(pickle.dumps(pipeline.results(project)))
        (target.parent / BUILD_RECORD).write_text("{}", encoding="utf-8")

    return pickle.loads((_shared(tmp_path_factory, "statistik", make) / "resultater.pickle").read_bytes())


@pytest.fixture()
def copy_project(tmp_path) -> Path:
    """A copy of the project's data, templates and styles to modify in a test: no cache, no
    published outputs and no lock file, so it needs no build and runs while the session builds."""
    target = tmp_path / "projekt"
    for part in ("data", "templates", "report", "styles"):
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("_generated", "figurer"))
    return target


@pytest.fixture()
def cached_copy(copy_project, built) -> Path:
    """``copy_project`` with the session build's cache (entries are keyed by content, so what a
    test changes is computed again, and what it does not is read): for tests that build."""
    shutil.copytree(built.output_dir / ".cache", copy_project / "_output" / ".cache")
    return copy_project


PROJECT_FILES = ("data", "templates", "styles", "report")
PROJECT_ROOT_FILES = ("_quarto.yml", "figurer.lock.json")


BUILD_RECORD = "bygning.json"  # what the session's build printed, beside the project it built


def _make_built(target: Path) -> None:
    """The session's booklet, built as a user builds it: ``python -m hæfte build`` on the command
    line, without network (``helpers.offline``). What it printed is kept for the tests of the
    command's report (tests/test_build.py)."""
    import json
    import sys

    from helpers import offline

    for part in PROJECT_FILES:
        shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("_generated", "figurer"))
    for name in PROJECT_ROOT_FILES:
        shutil.copy2(ROOT / name, target / name)
    temporary = target.parent / "tmp"  # the build's temporary folder, to see what it leaves there
    temporary.mkdir()
    result, netlog = offline(target.parent, [sys.executable, "-m", "hæfte", "build"], target,
                             {"TMPDIR": str(temporary), "TEMP": str(temporary), "TMP": str(temporary)})
    assert result.returncode == 0, result.stderr
    # the PDF's text as 'hæfte check' extracts and keeps it (checker.pdf_pages): extracted once
    # here, read by every check of a copy and by the tests of the PDF's text (``built_pages``)
    from hæfte.cache import Cache
    from hæfte.checker import pdf_pages

    pdf_pages(target / "_output" / "haefte.pdf", Cache(Project.find(target)))
    record = {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr, "netlog": netlog,
              "left_in_tmp": sorted(p.relative_to(temporary).as_posix() for p in temporary.rglob("*"))}
    (target.parent / BUILD_RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def _shared(tmp_path_factory, name: str, make) -> Path:
    """``make(target)`` once per test session, shared by every pytest-xdist worker: the first
    worker to ask makes it under a file lock, the others wait and use it. ``make`` writes its
    record (BUILD_RECORD) beside the project last, so a half-made one is made again."""
    from filelock import FileLock

    if "PYTEST_XDIST_WORKER" not in os.environ:  # not under xdist (-n 0 or -p no:xdist)
        target = tmp_path_factory.mktemp(name) / "projekt"
        make(target)
        return target
    shared = tmp_path_factory.getbasetemp().parent / name
    with FileLock(str(shared) + ".lock"):
        if not (shared / BUILD_RECORD).exists():
            shutil.rmtree(shared, ignore_errors=True)
            make(shared / "projekt")
    return shared / "projekt"


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One full build of a copy of the project (lock file included), shared by the output tests
    and by every pytest-xdist worker. Tests must not change it: they copy it (``full_copy``)."""
    return Project.find(_shared(tmp_path_factory, "bygget", _make_built))


# The sections of the short booklet: the opening with its fact box, the chapter with a chart and
# a claim (påstå) and the one it refers to, the covers and the contents. Six of sixteen sections,
# eight pages of twenty-four: its layout costs a third of the booklet's.
SHORT_BOOKLET = ("00_forside.md.j2", "00_indhold.md.j2", "01_om_haeftet.md.j2", "09_socialt_mix.md.j2",
                 "11_om_analysen.md.j2", "13_bagside.md.j2")


@pytest.fixture(scope="session")
def short_built(built, tmp_path_factory):
    """The project with the short booklet's sections only, locked and built on the command line from the
    session build's cache (the statistics and the chart are read, the text is laid out anew). For
    the tests of what a build does whatever the booklet's length (refusing hidden text, bleed and
    crop marks, the same bytes in another locale), so they do not lay out 24 pages each."""
    import json
    import subprocess
    import sys

    def make(target: Path) -> None:
        shutil.copytree(built.root, target, symlinks=True, ignore=shutil.ignore_patterns("_output", "*.lock.json"))
        shutil.copytree(built.output_dir / ".cache", target / "_output" / ".cache")
        for template in (target / "templates").glob("*.md.j2"):
            if template.name not in SHORT_BOOKLET:
                template.unlink()
        from helpers import run_main

        locked = run_main("lock", cwd=target)  # in process: it forks no worker
        assert locked.returncode == 0, locked.stderr  # its own lock: it quotes fewer figures and sentences
        result = subprocess.run([sys.executable, "-m", "hæfte", "build"], cwd=target, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        record = {"returncode": result.returncode, "stdout": result.stdout, "stderr": result.stderr}
        (target.parent / BUILD_RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")

    return Project.find(_shared(tmp_path_factory, "kort", make))


@pytest.fixture()
def short_copy(short_built, tmp_path) -> Path:
    """A copy of the built short booklet, published outputs and cache included."""
    target = tmp_path / "kort"
    shutil.copytree(short_built.root, target, symlinks=True)
    return target


@pytest.fixture(scope="session")
def built_pages(built) -> list[str]:
    """The text of each page of the session's PDF as pypdf extracts it, kept by the session build."""
    from hæfte.cache import Cache
    from hæfte.checker import pdf_pages

    return pdf_pages(built.output_dir / "haefte.pdf", Cache(built))


@pytest.fixture(scope="session")
def build_record(built) -> dict:
    """The session build's exit status, what it printed, its network log (empty: none used) and
    what it left in its temporary folder (nothing)."""
    import json

    return json.loads((built.root.parent / BUILD_RECORD).read_text(encoding="utf-8"))


@pytest.fixture()
def full_copy(built, tmp_path) -> Path:
    """A copy of the session's built project: everything a build needs, the lock file, and the
    published outputs with their cache (the outputs' links kept as links). A build or check of it
    reuses what its changes do not touch, as on an editor's machine."""
    target = tmp_path / "projekt"
    shutil.copytree(built.root, target, symlinks=True)
    return target


CHROMIUM = "/usr/bin/chromium"
# The strictest policy the web version must work under (the safety branch writes its own into
# web.html): scripts, styles and fonts from the page's own files only, no inline code or styles.
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
              "object-src 'none'; base-uri 'none'; form-action 'none'")


# Headless Chromium on a machine without a GPU paints in software anyway; done in the browser
# process on one raster thread instead of a GPU process of its own and a pool of threads, the
# WCAG tests cost some 12 pct. less CPU (the machine's, over index.html and katalog.html at the
# five widths, four runs each way), with the same pages and screenshots.
SOFTWARE_PAINTING = ("--disable-gpu-compositing", "--disable-software-rasterizer", "--in-process-gpu",
                     "--num-raster-threads=1")


@pytest.fixture(scope="session")
def browser(built):
    """Debian's Chromium, launched once per test session (Playwright downloads no browser).
    After the shared build: the build forks a worker process, and a fork taken while
    Playwright's threads run can deadlock."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is installed by the README's set-up command"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-quic", *SOFTWARE_PAINTING])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def served_web(built, tmp_path_factory) -> Path:
    """A copy of the built web version that browser tests serve and may add pages to (the change
    report), so the shared build stays as the build made it."""
    target = tmp_path_factory.mktemp("web") / "web"
    shutil.copytree(built.output_dir / "web", target)
    return target


@pytest.fixture(scope="session")
def site(served_web):
    """The built web version (a copy) on 127.0.0.1, served with a strict Content-Security-Policy."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):
            self.send_header("Content-Security-Policy", STRICT_CSP)
            super().end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(served_web)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
