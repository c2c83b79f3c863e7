"""Shared fixtures: the project's own reference data, and throw-away copies to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hæfte import pipeline
from hæfte.project import Project

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.find(ROOT)


@pytest.fixture(scope="session")
def results(project):
    return pipeline.results(project)


@pytest.fixture()
def copy_project(tmp_path) -> Path:
    """A copy of the project's data (and templates, when present) to modify in a test."""
    target = tmp_path / "projekt"
    shutil.copytree(ROOT / "data", target / "data")
    for extra in ("templates", "report", "styles"):
        if (ROOT / extra).is_dir():
            shutil.copytree(ROOT / extra, target / extra)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One full build of a copy of the project, shared by the output tests."""
    from hæfte.build import build

    target = tmp_path_factory.mktemp("bygget") / "projekt"
    for part in ("data", "templates", "styles", "report"):
        shutil.copytree(ROOT / part, target / part, ignore=shutil.ignore_patterns("_generated", "figurer"))
    shutil.copy2(ROOT / "_quarto.yml", target / "_quarto.yml")
    project = Project.find(target)
    build(project)
    return project


@pytest.fixture()
def full_copy(tmp_path) -> Path:
    """A copy of everything a build needs, lock file included."""
    target = tmp_path / "projekt"
    for part in ("data", "templates", "styles"):
        shutil.copytree(ROOT / part, target / part)
    shutil.copy2(ROOT / "figurer.lock.json", target / "figurer.lock.json")
    return target


CHROMIUM = "/usr/bin/chromium"
# The strictest policy the web version must work under (the safety branch writes its own into
# web.html): scripts, styles and fonts from the page's own files only, no inline code or styles.
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
              "object-src 'none'; base-uri 'none'; form-action 'none'")


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
            "--disable-sync", "--no-first-run", "--disable-quic"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def site(built):
    """The built web version on 127.0.0.1, served with a strict Content-Security-Policy."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def end_headers(self):
            self.send_header("Content-Security-Policy", STRICT_CSP)
            super().end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(built.output_dir / "web")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
