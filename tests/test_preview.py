"""Watch and preview: rebuild on change, live reload, errors shown while the last good build is served."""

import json
import socket
import threading
import time
import urllib.request

import pytest

from hæfte import preview
from hæfte.project import Project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.fixture()
def served(full_copy):
    previewer = preview.Previewer(Project.find(full_copy))
    assert previewer.rebuild()
    port = free_port()
    server = preview.serve(previewer, port)
    yield previewer, port, full_copy
    server.shutdown()


def test_preview_serves_the_web_version_with_live_reload(served):
    previewer, port, _ = served
    page = get(port, "/")
    assert '<html lang="da">' in page
    assert f'fetch("{preview.STATUS_PATH}"' in page
    assert json.loads(get(port, preview.STATUS_PATH)) == {"build": 1, "error": None}


def test_a_broken_template_shows_the_error_and_keeps_the_last_good_build(served):
    previewer, port, root = served
    good = get(port, "/")
    path = root / "templates/02_resultater.md.j2"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n{{ kommuner.ka.findesikke }}\n", encoding="utf-8")
    assert not previewer.rebuild()
    status = json.loads(get(port, preview.STATUS_PATH))
    assert status["build"] == 1
    assert status["error"].startswith("templates/02_resultater.md.j2, linje ")
    assert status["error"].endswith("intet tal eller afsnit hedder 'kommuner.ka.findesikke'")
    assert get(port, "/") == good  # the last good build is still served
    path.write_text(original.replace("vigtigste resultater.", "væsentligste resultater."), encoding="utf-8")
    assert previewer.rebuild()
    assert json.loads(get(port, preview.STATUS_PATH)) == {"build": 2, "error": None}
    assert "væsentligste resultater" in get(port, "/")


def test_watch_rebuilds_when_a_template_changes(full_copy):
    previewer = preview.Previewer(Project.find(full_copy))
    assert previewer.rebuild()
    stop = threading.Event()
    thread = threading.Thread(target=preview.watch, args=(previewer, stop), daemon=True)
    thread.start()
    time.sleep(1.0)
    path = full_copy / "templates/02_resultater.md.j2"
    path.write_text(path.read_text(encoding="utf-8").replace("vigtigste", "væsentligste"), encoding="utf-8")
    deadline = time.time() + 30
    while previewer.build_id < 2 and time.time() < deadline:
        time.sleep(0.2)
    stop.set()
    thread.join(timeout=10)
    assert previewer.build_id == 2
    assert "væsentligste resultater" in (full_copy / "_output/web/index.html").read_text(encoding="utf-8")
