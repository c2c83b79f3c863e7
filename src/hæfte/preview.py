"""``hæfte watch`` and ``hæfte preview``: rebuild on every change, serve with live reload.

In:  the project; changes to ``data/``, ``templates/`` and ``styles/`` (seen by watchfiles).
Out: rebuilt outputs; for preview, an HTTP server on 127.0.0.1 serving ``_output/web`` with a
     small script in every page that reloads it after a new build and shows a build error in
     the page. A failed build leaves the last good build in place, and it stays served.
"""

from __future__ import annotations

import json
import threading
import traceback
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from hæfte.errors import HaefteError
from hæfte.project import Project
from hæfte.write.resources import CONTENT_SECURITY_POLICY

WATCHED = ("data", "templates", "styles")
STATUS_PATH = "/__haefte/status"
RELOAD_PATH = "/__haefte/reload.js"
# An external script (not inline), so the page's Content-Security-Policy (script-src 'self')
# allows it; the error box is styled from the script, since the policy allows no style attribute.
RELOAD_TAG = f'<div id="haefte-fejl" role="alert" hidden></div><script src="{RELOAD_PATH}"></script>'
RELOAD_SCRIPT = """(function () {
  var seen = null;
  var box = document.getElementById("haefte-fejl");
  var look = {position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "99", background: "#7a1010",
              color: "#fff", font: "15px/1.4 'Source Sans 3', sans-serif", padding: "12px 16px", whiteSpace: "pre-wrap"};
  for (var key in look) { box.style[key] = look[key]; }
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.error) { box.textContent = "Bygningen fejlede – viser sidste gode version.\\n" + s.error; box.hidden = false; }
      else { box.hidden = true; }
      if (seen !== null && s.build !== seen) { location.reload(); }
      seen = s.build;
    }).catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
""" % STATUS_PATH


class Previewer:
    """Holds the build state the server reports: a build counter and the last error."""

    def __init__(self, project: Project, echo: Callable[[str], None] | None = None):
        self.project = project
        self.echo = echo or (lambda _: None)
        self.build_id = 0
        self.error: str | None = None
        self.lock = threading.Lock()

    def rebuild(self) -> bool:
        from hæfte.build import build

        with self.lock:
            try:
                report = build(self.project)
            except HaefteError as exc:
                self.error = str(exc)
                self.echo(f"fejl: {exc}")
                return False
            except Exception:  # a bug, not bad input: show it, keep serving
                self.error = traceback.format_exc(limit=3)
                self.echo(self.error)
                return False
            self.error = None
            if not report.nothing_to_do or self.build_id == 0:
                self.build_id += 1
            self.echo(f"bygget ({self.build_id})")
            return True

    def status(self) -> dict:
        return {"build": self.build_id, "error": self.error}


class _Handler(SimpleHTTPRequestHandler):
    """Serves the web folder to this machine only: a request must name 127.0.0.1, localhost or
    [::1] with the server's port in its Host header (a page on another site that renames itself
    to 127.0.0.1 by DNS rebinding is refused), no folder is listed, nothing outside the web folder
    (a symlink included) is served, and the page's Content-Security-Policy is sent as a header."""

    previewer: Previewer
    web_root: Path
    server_version = "hæfte"
    sys_version = ""
    default_request_version = "HTTP/1.0"  # a garbled request still gets a status line

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def _refuse(self, status: int, text: str) -> None:
        self.close_connection = True
        self._send((text + "\n").encode("utf-8"), "text/plain; charset=utf-8", status)

    def _host_ok(self) -> bool:
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").strip().lower()
        allowed = {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
        if port == 80:
            allowed |= {"127.0.0.1", "localhost", "[::1]"}
        return host in allowed

    def do_GET(self):  # noqa: N802 - http.server's naming
        if not self._host_ok():
            return self._refuse(421, "hæfte preview svarer kun på http://127.0.0.1:"
                                     f"{self.server.server_address[1]}/ (forkert Host-header)")
        route = urlsplit(self.path).path
        if route == STATUS_PATH:
            return self._send(json.dumps(self.previewer.status()).encode(), "application/json")
        if route == RELOAD_PATH:
            return self._send(RELOAD_SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        try:
            inside = path.resolve().is_relative_to(self.web_root)
        except (OSError, ValueError):
            inside = False
        if not inside or not path.is_file():
            return self._refuse(404, "findes ikke")
        if path.suffix == ".html":
            page = path.read_text(encoding="utf-8").replace("</body>", RELOAD_TAG + "</body>")
            return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
        super().do_GET()

    do_HEAD = do_GET  # noqa: N815 - the same checks, without a body

    def list_directory(self, path):
        self._refuse(404, "findes ikke")  # no folder listings
        return None

    def send_error(self, code, message=None, explain=None):
        """A bad request is answered with one plain line, never a page with server details."""
        self._refuse(code, f"{code} {message or self.responses.get(code, ('fejl',))[0]}")

    def log_message(self, *args):  # quiet: the watcher reports builds
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A request that broke the handler (a client that hung up, a garbled request) is
        dropped without a traceback on the terminal; the server goes on."""


def serve(previewer: Previewer, port: int = 8000) -> ThreadingHTTPServer:
    """Start serving the web version on 127.0.0.1 in a background thread."""
    web = previewer.project.output_dir / "web"
    web.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (_Handler,), {"previewer": previewer, "web_root": web.resolve()})
    server = _Server(("127.0.0.1", port), partial(handler, directory=str(web)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(previewer: Previewer, stop_event: threading.Event | None = None) -> None:
    """Rebuild after every change of data, templates or styles until stopped."""
    from watchfiles import watch as watch_files

    folders = [str(previewer.project.root / f) for f in WATCHED if (previewer.project.root / f).is_dir()]
    for _changes in watch_files(*folders, stop_event=stop_event, debounce=300, raise_interrupt=False):
        previewer.rebuild()
