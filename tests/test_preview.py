"""Watch and preview: rebuild on change, live reload, errors shown while the last good build is served."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from hæfte import preview
from hæfte.cache import Keys
from hæfte.project import Project
from hæfte.write.resources import CONTENT_SECURITY_POLICY


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
    assert page.count(f'<script src="{preview.RELOAD_PATH}"></script></body>') == 1
    assert f'fetch("{preview.STATUS_PATH}"' in get(port, preview.RELOAD_PATH)
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
    # fixed (with a note to the next editor, which changes the template and not the text: the
    # rebuild after a fix is what is tested here, not a new layout; new text: test_editor_loop.py)
    path.write_text(original.replace("vigtigste resultater.", "vigtigste {## rettet ##}resultater."), encoding="utf-8")
    assert previewer.rebuild()
    assert json.loads(get(port, preview.STATUS_PATH)) == {"build": 2, "error": None}
    assert get(port, "/") == good


def test_watch_rebuilds_when_a_template_changes(full_copy):
    previewer = preview.Previewer(Project.find(full_copy))
    assert previewer.rebuild()
    stop = threading.Event()
    thread = threading.Thread(target=preview.watch, args=(previewer, stop), daemon=True)
    thread.start()
    time.sleep(1.0)
    path = full_copy / "templates/02_resultater.md.j2"
    # a saved template is a rebuild, whatever changed (a comment: the text and its layout stay)
    path.write_text(path.read_text(encoding="utf-8").replace("vigtigste", "vigtigste{## gemt ##}"), encoding="utf-8")
    deadline = time.time() + 180  # a rebuild on a busy 2-core machine
    while previewer.build_id < 2 and time.time() < deadline:
        time.sleep(0.2)
    stop.set()
    thread.join(timeout=10)
    assert previewer.build_id == 2
    manifest = json.loads((full_copy / "_output/.manifest.json").read_text(encoding="utf-8"))
    assert manifest["keys"]["templates"] == Keys.of(Project.find(full_copy)).templates  # the saved template built


# ---------------------------------------------------------------- request handling (issue 10 §12)
@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The preview server on a small web folder (no build needed to test request handling), one
    for the module: no test changes it, and each stop of a server waits for its loop's next
    poll (half a second)."""
    tmp_path = tmp_path_factory.mktemp("site")
    root = tmp_path / "projekt"
    (root / "data").mkdir(parents=True)
    web = root / "_output/web"
    (web / "figurer").mkdir(parents=True)
    (web / "index.html").write_text('<!DOCTYPE html><html lang="da"><body><p>Hæftet</p></body></html>',
                                    encoding="utf-8")
    (web / "figurer/figur1.svg").write_text("<svg/>", encoding="utf-8")
    (tmp_path / "hemmelig.txt").write_text("hemmeligt", encoding="utf-8")
    (web / "genvej.txt").symlink_to(tmp_path / "hemmelig.txt")
    port = free_port()
    server = preview.serve(preview.Previewer(Project.find(root)), port)
    yield port
    server.shutdown()


def raw(port: int, request: bytes) -> str:
    """Send bytes as they are (urllib would tidy a hostile path or Host header first)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        s.shutdown(socket.SHUT_WR)
        chunks = []
        while data := s.recv(65536):
            chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


def status_and_body(response: str) -> tuple[str, str]:
    head, _, body = response.partition("\r\n\r\n")
    return head.split("\r\n")[0], body


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "localhost.evil.example:{port}",
                                  "127.0.0.2:{port}", ""])
def test_a_request_for_another_host_is_refused_against_dns_rebinding(site, host):
    header = f"Host: {host.format(port=site)}\r\n" if host else ""
    response = raw(site, f"GET / HTTP/1.1\r\n{header}Connection: close\r\n\r\n".encode())
    assert status_and_body(response) == (
        "HTTP/1.0 421 Misdirected Request",
        f"hæfte preview svarer kun på http://127.0.0.1:{site}/ (forkert Host-header)\n")


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LOCALHOST:{port}"])
def test_this_machine_is_served_with_the_content_security_policy(site, host):
    response = raw(site, f"GET / HTTP/1.1\r\nHost: {host.format(port=site)}\r\nConnection: close\r\n\r\n".encode())
    status, body = status_and_body(response)
    assert status == "HTTP/1.0 200 OK"
    assert f"Content-Security-Policy: {CONTENT_SECURITY_POLICY}\r\n" in response
    assert body == ('<!DOCTYPE html><html lang="da"><body><p>Hæftet</p><div id="haefte-fejl" role="alert" hidden>'
                    '</div><div id="haefte-pdf" role="status" hidden></div>'
                    f'<script src="{preview.RELOAD_PATH}"></script></body></html>')


@pytest.mark.parametrize("path", ["/figurer/", "/figurer", "/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
                                  "/genvej.txt", "/..%5c..%5cetc%5cpasswd", "//etc/passwd"])
def test_no_folder_listing_and_nothing_outside_the_web_folder(site, path):
    response = raw(site, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{site}\r\nConnection: close\r\n\r\n".encode())
    assert status_and_body(response) == ("HTTP/1.0 404 Not Found", "findes ikke\n")


def test_a_file_in_the_web_folder_is_served(site):
    response = raw(site, f"GET /figurer/figur1.svg HTTP/1.1\r\nHost: 127.0.0.1:{site}\r\n\r\n".encode())
    assert status_and_body(response) == ("HTTP/1.0 200 OK", "<svg/>")


@pytest.fixture(scope="module")
def server_process(tmp_path_factory):
    """The preview server in a real process of its own, one for the bad requests: what it prints
    on its terminal (unbuffered, into files the tests read) is seen."""
    tmp_path = tmp_path_factory.mktemp("proces")
    root = tmp_path / "projekt"
    (root / "data").mkdir(parents=True)
    (root / "_output/web").mkdir(parents=True)
    port = free_port()
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    code = (f"import time; from hæfte import preview; from hæfte.project import Project; "
            f"preview.serve(preview.Previewer(Project.find({str(root)!r})), {port}); time.sleep(600)")
    with out.open("w") as stdout, err.open("w") as stderr:
        server = subprocess.Popen([sys.executable, "-c", code], stdout=stdout, stderr=stderr,
                                  env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.time() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.time() < deadline and server.poll() is None, err.read_text(encoding="utf-8")
                time.sleep(0.1)
        yield port, out, err
    finally:
        server.kill()
        server.wait()


@pytest.mark.parametrize("request_bytes,status,body", [
    (b"GARBAGE\r\n\r\n", "HTTP/1.0 400 Bad Request", "400 Bad request syntax ('GARBAGE')\n"),
    (b"GET / HTTP/9.9\r\n\r\n", "HTTP/1.0 505 HTTP Version Not Supported", "505 Invalid HTTP version (9.9)\n"),
    (b"POST / HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.0 501 Not Implemented", "501 Unsupported method ('POST')\n"),
])
def test_a_bad_request_is_answered_in_one_line_without_a_traceback(server_process, request_bytes, status, body):
    """In a real server process, so anything printed on its terminal is seen. The server has
    answered (and printed whatever it prints) when it closes the connection, before raw() returns."""
    port, out, err = server_process
    answer = status_and_body(raw(port, request_bytes))
    raw(port, b"\x16\x03\x01\x02\x00\x01\x00")  # a TLS hello on the plain port, then hang up
    assert answer == (status, body)
    printed = out.read_text(encoding="utf-8") + err.read_text(encoding="utf-8")
    assert "Traceback" not in printed and err.read_text(encoding="utf-8") == ""
