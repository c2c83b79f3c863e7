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

from hæfte.errors import HaefteError
from hæfte.project import Project

WATCHED = ("data", "templates", "styles")
STATUS_PATH = "/__haefte/status"
RELOAD_SCRIPT = """
<div id="haefte-fejl" role="alert" style="display:none;position:fixed;left:0;right:0;bottom:0;z-index:99;
background:#7a1010;color:#fff;font:15px/1.4 'Source Sans 3',sans-serif;padding:12px 16px;white-space:pre-wrap"></div>
<script>
(function () {
  var seen = null;
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      var box = document.getElementById("haefte-fejl");
      if (s.error) { box.textContent = "Bygningen fejlede – viser sidste gode version.\\n" + s.error; box.style.display = "block"; }
      else { box.style.display = "none"; }
      if (seen !== null && s.build !== seen) { location.reload(); }
      seen = s.build;
    }).catch(function () {}).finally(function () { setTimeout(poll, 700); });
  }
  poll();
})();
</script>
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
    previewer: Previewer

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path.split("?")[0] == STATUS_PATH:
            return self._send(json.dumps(self.previewer.status()).encode(), "application/json")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_text(encoding="utf-8").replace("</body>", RELOAD_SCRIPT + "</body>")
            return self._send(page.encode("utf-8"), "text/html; charset=utf-8")
        super().do_GET()

    def log_message(self, *args):  # quiet: the watcher reports builds
        pass


def serve(previewer: Previewer, port: int = 8000) -> ThreadingHTTPServer:
    """Start serving the web version on 127.0.0.1 in a background thread."""
    web = previewer.project.output_dir / "web"
    handler = type("Handler", (_Handler,), {"previewer": previewer})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(web)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(previewer: Previewer, stop_event: threading.Event | None = None) -> None:
    """Rebuild after every change of data, templates or styles until stopped."""
    from watchfiles import watch as watch_files

    folders = [str(previewer.project.root / f) for f in WATCHED if (previewer.project.root / f).is_dir()]
    for _changes in watch_files(*folders, stop_event=stop_event, debounce=300, raise_interrupt=False):
        previewer.rebuild()
