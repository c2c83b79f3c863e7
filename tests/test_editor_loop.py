"""The editor's loop of ``hæfte preview``: a saved template shows in the served page first, the
PDFs follow from a background build, and the status says which state they are in. The full
build is replaced by a stand-in that writes a marked PDF (the build has its own tests); the web
version is made for real."""

import json
import time
import urllib.request

import pytest

from hæfte import preview
from hæfte.cache import Keys
from hæfte.project import Project


DRAWN: dict = {}  # each chart drawn once per test session: drawing has its own tests


# Stand-ins for the background build, run in its process: module functions, so that the pool
# can send them there by name (a lambda or a local function cannot be pickled).
def die_at_once(root):
    import os

    os._exit(9)


def work_for_a_minute(root):
    from hæfte import scratch

    scratch.folder()  # the folder a killed process cannot remove itself
    time.sleep(60)


def wait_for(condition, seconds=20.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture()
def loop(full_copy, results, monkeypatch):
    """A web-first previewer on a copy of the project, its statistics already in memory and its
    charts taken from the session's build (drawing is tested with the charts)."""
    from hæfte import charts

    draw = charts.draw
    monkeypatch.setattr("hæfte.charts.draw", lambda chart_id, results, fonts: DRAWN.get(chart_id) or
                        DRAWN.setdefault(chart_id, draw(chart_id, results, fonts)))
    builds = []

    def full_build(project, running=None):
        template = (project.templates_dir / "02_resultater.md.j2").read_text(encoding="utf-8")
        builds.append("væsentligste" in template)
        (project.output_dir / "web").mkdir(parents=True, exist_ok=True)
        (project.output_dir / "web/haefte.pdf").write_bytes(b"%%PDF-1.7 bygning %d" % len(builds))
        return None  # no error

    monkeypatch.setattr(preview, "build_elsewhere", full_build)
    monkeypatch.setattr(preview, "PAUSE_BEFORE_PDF", 0.3)
    project = Project.find(full_copy)
    previewer = preview.Previewer(project, web_first=True)
    previewer._memory.store("results", Keys.of(project).results, results)
    yield previewer, builds
    previewer.close()


def edit(previewer, old, new):
    path = previewer.project.templates_dir / "02_resultater.md.j2"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_the_page_first_then_the_pdfs(loop):
    previewer, builds = loop
    assert previewer.rebuild()
    assert previewer.web_dir == previewer.project.output_dir / ".forhaandsvisning/web"
    assert "vigtigste resultater" in (previewer.web_dir / "index.html").read_text(encoding="utf-8")
    assert (previewer.web_dir / "katalog.html").is_file()
    wait_for(lambda: previewer.status()["pdf"] != "bygges")
    assert previewer.status()["pdf"] == "klar", previewer.status()
    assert (previewer.web_dir / "haefte.pdf").read_bytes() == b"%PDF-1.7 bygning 1"

    edit(previewer, "vigtigste resultater.", "væsentligste resultater.")
    assert previewer.rebuild()
    # The new page is served before any full build ran for it; the PDF is marked as on its way.
    assert "væsentligste resultater" in (previewer.web_dir / "index.html").read_text(encoding="utf-8")
    assert previewer.status() == {"build": 2, "error": None, "pdf": "bygges", "pdf_error": None}
    assert builds == [False]
    wait_for(lambda: previewer.status()["pdf"] != "bygges")
    assert previewer.status()["pdf"] == "klar", previewer.status()
    assert builds == [False, True]
    assert (previewer.web_dir / "haefte.pdf").read_bytes() == b"%PDF-1.7 bygning 2"
    assert not list(previewer.web_dir.parent.glob(".*")), "no staging folder is left behind"


def test_a_broken_template_keeps_the_last_good_page(loop):
    previewer, builds = loop
    assert previewer.rebuild()
    good = (previewer.web_dir / "index.html").read_text(encoding="utf-8")
    wait_for(lambda: previewer.status()["pdf"] != "bygges")
    assert previewer.status()["pdf"] == "klar", previewer.status()
    edit(previewer, "vigtigste resultater.", "{{ kommuner.ka.findesikke }}")
    assert not previewer.rebuild()
    status = previewer.status()
    assert status["build"] == 1 and status["pdf"] == "klar"
    assert status["error"].startswith("templates/02_resultater.md.j2, linje ")
    assert status["error"].endswith("intet tal eller afsnit hedder 'kommuner.ka.findesikke'")
    assert (previewer.web_dir / "index.html").read_text(encoding="utf-8") == good
    assert builds == [False]  # no PDF build for a text that does not render


def test_the_served_page_polls_the_status_and_shows_the_pdf_state(loop):
    previewer, _ = loop
    assert previewer.rebuild()
    server = preview.serve(previewer, 0)
    port = server.server_address[1]
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            page = response.read().decode("utf-8")
        # the page loads the status script from the server (the page's CSP allows no inline script)
        assert page.endswith(f'<script src="{preview.RELOAD_PATH}"></script></body>\n</html>\n')
        assert "vigtigste resultater" in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{preview.RELOAD_PATH}", timeout=10) as response:
            script = response.read().decode("utf-8")
        assert f"setTimeout(poll, {preview.POLL_MS})" in script and preview.POLL_MS <= 200
        assert 'PDF = {bygges: "PDF\'en bygges …", klar: "PDF\'en er klar"' in script
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{preview.STATUS_PATH}", timeout=10) as response:
            assert json.loads(response.read())["build"] == 1
    finally:
        server.shutdown()


def test_the_background_build_runs_in_a_process_of_its_own_at_low_priority(cached_copy):
    """The PDFs are built in another process (no turn taken from the editor's loop in this one),
    at a lower CPU priority; a build that fails says why, as the command line would."""
    import os
    import sys

    from hæfte import workers

    if sys.platform != "win32":
        with workers.pool(low_priority=True) as pool:
            assert pool.submit(os.getpid).result() != os.getpid()
            assert pool.submit(os.nice, 0).result() == min(19, os.nice(0) + 10)
    project = Project.find(cached_copy)
    template = project.templates_dir / "02_resultater.md.j2"
    template.write_text(template.read_text(encoding="utf-8") + "{% if x %}\n", encoding="utf-8")
    lines = len(template.read_text(encoding="utf-8").splitlines())
    assert preview.build_elsewhere(project) == (f"templates/02_resultater.md.j2, linje {lines}: syntaksfejl: skabelonen "
                                                "slutter, før en blok er lukket (mangler {% endif %} eller {% endfor %}?)")
    assert not (cached_copy / "_output" / "haefte.pdf").exists()  # nothing published


def test_a_background_build_that_dies_is_reported_not_waited_for(copy_project, monkeypatch):
    """A build process killed or out of memory gives the page an error to show, and the preview
    goes on serving (a dead thread would have left the page saying 'PDF'en bygges' for ever)."""
    monkeypatch.setattr(preview, "_build", die_at_once)
    said = preview.build_elsewhere(Project.find(copy_project))
    assert said.startswith("PDF-bygningens proces stoppede uventet: A process in the process pool was terminated abruptly")


def test_closing_the_preview_stops_its_background_build_and_leaves_no_folder(cached_copy, monkeypatch, tmp_path):
    """Ctrl-C during a build of the PDFs: the build process is stopped at once, not waited for,
    and the scratch folder it could not remove itself (it was killed) is removed."""
    import tempfile
    import threading

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))

    monkeypatch.setattr(preview, "_build", work_for_a_minute)
    previewer = preview.Previewer(Project.find(cached_copy), web_first=True)
    said = []
    thread = threading.Thread(target=lambda: said.append(preview.build_elsewhere(previewer.project, previewer._running)))
    thread.start()
    wait_for(lambda: previewer._running and any(temporary.iterdir()))
    started = time.monotonic()
    previewer.close()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - started < 5
    assert said[0].startswith("PDF-bygningens proces stoppede uventet: ")
    assert list(temporary.iterdir()) == []
