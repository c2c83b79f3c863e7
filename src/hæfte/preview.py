"""``hæfte watch`` and ``hæfte preview``: rebuild on every change, serve with live reload.

In:  the project; changes to ``data/``, ``templates/`` and ``styles/`` (seen by watchfiles).
Out: rebuilt outputs; for preview, an HTTP server on 127.0.0.1 with a small script in every page
     that reloads it after a new build and shows a build error, and whether the PDFs are ready,
     in the page. A failed build leaves the last good build in place, and it stays served.

The editor's loop (``web_first``, what ``hæfte preview`` uses): a save makes the web version
first, in this process, from what is kept in memory (statistics, charts) and only the stages
the change touches (for a template: the text and pandoc), into ``_output/.forhaandsvisning/web``,
which the server serves; the page reloads within a second. The full build (PDFs included, into
``_output/``, under the build lock) follows in a process of its own at low priority once the
edits pause, and the page says when the PDFs are ready. ``bench/editor_loop.py`` measures the loop.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
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
POLL_MS = 100  # how often the page asks for the status: a local request costs well under 1 ms
PAUSE_BEFORE_PDF = 1.0  # seconds without edits before the background build of the PDFs starts
PREVIEW_DIR = ".forhaandsvisning"
# An external script (not inline), so the page's Content-Security-Policy (script-src 'self')
# allows it; the boxes are styled from the script, since the policy allows no style attribute.
RELOAD_TAG = (f'<div id="haefte-fejl" role="alert" hidden></div><div id="haefte-pdf" role="status" hidden></div>'
              f'<script src="{RELOAD_PATH}"></script>')
RELOAD_SCRIPT = """(function () {
  var seen = null;
  var PDF = {bygges: "PDF'en bygges …", klar: "PDF'en er klar", fejl: "PDF'en kunne ikke bygges"};
  var box = document.getElementById("haefte-fejl");
  var pdf = document.getElementById("haefte-pdf");
  var font = "15px/1.4 'Source Sans 3', sans-serif";
  var looks = [[box, {position: "fixed", left: "0", right: "0", bottom: "0", zIndex: "99", background: "#7a1010",
                      color: "#fff", font: font, padding: "12px 16px", whiteSpace: "pre-wrap"}],
               [pdf, {position: "fixed", right: "12px", top: "12px", zIndex: "99", background: "#fff",
                      color: "#1e1e1e", border: "1px solid #55616b", font: font, padding: "6px 10px"}]];
  looks.forEach(function (pair) { for (var key in pair[1]) { pair[0].style[key] = pair[1][key]; } });
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      var error = s.error || s.pdf_error;
      if (error) {
        box.textContent = (s.error ? "Bygningen fejlede – viser sidste gode version.\\n"
                                   : "PDF'en fejlede – webversionen er opdateret.\\n") + error;
        box.hidden = false;
      } else { box.hidden = true; }
      if (s.pdf) { pdf.textContent = PDF[s.pdf] || s.pdf; pdf.hidden = false; }
      if (seen !== null && s.build !== seen) { location.reload(); }
      seen = s.build;
    }).catch(function () {}).finally(function () { setTimeout(poll, %d); });
  }
  poll();
})();
""" % (STATUS_PATH, POLL_MS)


def build_elsewhere(project: Project, running: list | None = None) -> str | None:
    """The full build in a process of its own at low CPU priority, which dies with this one.
    Run in a thread of this process, the build held Python's interpreter lock half the time
    the editor's next save needed it: that save's page took twice as long (1,6 s against
    0,8 s, bench/editor_loop.py). ``running`` gets the pool while it runs (``close`` stops it).
    Returns what the build said when it failed, else None."""
    from hæfte import workers

    try:
        with workers.pool(low_priority=True) as pool:
            if running is not None:
                running.append(pool)
            return pool.submit(_build, str(project.root)).result()
    except BaseException as exc:  # the process died or was stopped (killed, out of memory, Ctrl-C)
        return f"PDF-bygningens proces stoppede uventet: {exc or type(exc).__name__}"
    finally:
        if running is not None:
            running.clear()


def _build(root: str) -> str | None:
    from hæfte.builder import build

    try:
        build(Project.find(Path(root)))
    except HaefteError as exc:
        return str(exc)
    except Exception:
        return traceback.format_exc(limit=3)
    return None


class _MemoryCache:
    """``builder.prepare``'s cache for the fast path: one entry per kind in this process's memory,
    filled from the build's cache on disk when that has the key. Never written to disk: only
    the background build writes ``_output/``."""

    def __init__(self, project: Project):
        from hæfte.cache import Cache

        self.disk = Cache(project)
        self.items: dict[str, tuple[str, object]] = {}

    def load(self, kind: str, key: str):
        hit = self.items.get(kind)
        if hit is not None and hit[0] == key:
            return hit[1]
        try:
            value = self.disk.load(kind, key)
        except OSError:  # the background build is replacing that entry just now
            value = None
        if value is not None:
            self.items[kind] = (key, value)
        return value

    def store(self, kind: str, key: str, value) -> None:
        self.items[kind] = (key, value)


class Previewer:
    """Holds the build state the server reports: a build counter, the last error and, for the
    editor's loop, whether the PDFs are being built."""

    def __init__(self, project: Project, echo: Callable[[str], None] | None = None, web_first: bool = False):
        self.project = project
        self.echo = echo or (lambda _: None)
        self.web_first = web_first
        self.build_id = 0
        self.error: str | None = None
        self.lock = threading.Lock()
        self.pdf: str | None = None  # "bygges", "klar" or "fejl" (web_first only)
        self.pdf_error: str | None = None
        self._changed = threading.Condition()
        self._last_change = 0.0
        self._pdf_wanted = False
        self._closed = False
        self._memory = _MemoryCache(project) if web_first else None
        self._catalogue: tuple[str | None, bytes | None] = (None, None)  # last catalogue Markdown and page
        self._background: threading.Thread | None = None
        self._running: list = []  # the background build's pool while it runs

    @property
    def web_dir(self) -> Path:
        """The folder the server serves: the build's web version, or the fast path's own."""
        if self.web_first:
            return self.project.output_dir / PREVIEW_DIR / "web"
        return self.project.output_dir / "web"

    def rebuild(self) -> bool:
        return self._rebuild_web() if self.web_first else self._rebuild_all()

    def _rebuild_all(self) -> bool:
        from hæfte.builder import build

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

    def _rebuild_web(self) -> bool:
        """The web version alone, then the PDFs in the background."""
        started = time.perf_counter()
        with self.lock:
            try:
                stage = self._make_web()
            except HaefteError as exc:
                self.error = str(exc)
                self.echo(f"fejl: {exc}")
                return False
            except Exception:
                self.error = traceback.format_exc(limit=3)
                self.echo(self.error)
                return False
            self._swap_in(stage)
            self.error = None
            self._want_pdfs()  # before the new build number: the reloaded page says "bygges" at once
            self.build_id += 1
        self.echo(f"webversion ({self.build_id}) på {time.perf_counter() - started:.2f} s; PDF'erne følger")
        return True

    def _make_web(self) -> Path:
        from hæfte import builder, catalogue, lock
        from hæfte.cache import Keys
        from hæfte.write import resources

        resources.require_styles(self.project.styles_dir)
        keys = Keys.of(self.project)
        results, rendered, svgs, _ = builder.prepare(self.project, cache=self._memory, keys=keys)
        catalogue_md = catalogue.catalogue_markdown(results, lock.snapshot(self.project, results, rendered))
        root = self.web_dir.parent
        root.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".web-", dir=root))
        same, page = self._catalogue
        try:
            web = builder.write_web_version(self.project, stage, results, rendered, svgs, catalogue_md,
                                          page if same == catalogue_md else None)
            self._catalogue = (catalogue_md, (web / "katalog.html").read_bytes())
            self._copy_pdfs(web)  # last build's PDFs, so the page's links work while new ones are made
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        return web

    def _copy_pdfs(self, web: Path) -> None:
        built = self.project.output_dir / "web"
        for pdf in built.glob("*.pdf") if built.is_dir() else ():
            try:
                shutil.copy2(pdf, web / pdf.name)
            except OSError:  # another build is replacing it just now: the next build brings it
                pass

    def _swap_in(self, web: Path) -> None:
        """Replace the served folder by the new one with two renames (retried: on Windows a folder
        with a file the server is sending cannot be renamed for that moment)."""
        target, old = self.web_dir, self.web_dir.with_name(f".gammel-{time.monotonic_ns()}")
        for attempt in range(50):
            try:
                if target.exists():
                    target.rename(old)
                web.rename(target)
                break
            except PermissionError:
                if attempt == 49:
                    raise
                time.sleep(0.02)
        shutil.rmtree(old, ignore_errors=True)
        shutil.rmtree(web.parent, ignore_errors=True)

    def _want_pdfs(self) -> None:
        with self._changed:
            self._last_change = time.monotonic()
            self._pdf_wanted = True
            self.pdf = "bygges"
            self._changed.notify_all()
        if self._background is None:
            self._background = threading.Thread(target=self._pdf_loop, name="hæfte-pdf", daemon=True)
            self._background.start()

    def _pdf_loop(self) -> None:
        """Build everything (the PDFs are what is new) once edits have paused, again if a save
        came meanwhile; then put the new PDFs beside the served page."""
        while True:
            with self._changed:
                while not self._closed and not self._pdf_wanted:
                    self._changed.wait()
                if self._closed:
                    return
                pause = PAUSE_BEFORE_PDF - (time.monotonic() - self._last_change)
                if pause > 0:
                    self._changed.wait(pause)
                    continue
                self._pdf_wanted = False
            failed = build_elsewhere(self.project, self._running)
            if self._closed:  # stopped by close(): nothing to report
                return
            # Locks are taken one at a time here, and self.lock before self._changed in the fast
            # path, so the two threads never wait for each other in a circle.
            if failed is None:
                with self.lock:  # the fast path swaps the served folder under this lock
                    if self.web_dir.is_dir():
                        self._copy_pdfs(self.web_dir)
            with self._changed:
                if self._pdf_wanted:  # edited meanwhile: these PDFs are stale already
                    continue
                self.pdf, self.pdf_error = ("fejl", failed) if failed else ("klar", None)
            self.echo("PDF'erne er klar" if failed is None else f"PDF'erne fejlede: {failed}")

    def close(self) -> None:
        from hæfte import workers

        with self._changed:
            self._closed = True
            self._changed.notify_all()
        for pool in list(self._running):  # a build of PDFs no one will see: stopped, not waited for
            workers.stop(pool)
        if self.web_first:
            shutil.rmtree(self.web_dir.parent, ignore_errors=True)

    def status(self) -> dict:
        state = {"build": self.build_id, "error": self.error}
        if self.web_first:
            state.update(pdf=self.pdf, pdf_error=self.pdf_error)
        return state


class _Handler(SimpleHTTPRequestHandler):
    """Serves the web folder to this machine only: a request must name 127.0.0.1, localhost or
    [::1] with the server's port in its Host header (a page on another site that renames itself
    to 127.0.0.1 by DNS rebinding is refused), no folder is listed, nothing outside the web folder
    (a symlink included) is served, and the page's Content-Security-Policy is sent as a header."""

    previewer: Previewer
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
            # resolved at each request: a build publishes a new version and moves the link to it
            inside = path.resolve().is_relative_to(self.previewer.web_dir.resolve())
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
    web = previewer.web_dir
    web.mkdir(parents=True, exist_ok=True)
    handler = type("Handler", (_Handler,), {"previewer": previewer})
    server = _Server(("127.0.0.1", port), partial(handler, directory=str(web)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watch(previewer: Previewer, stop_event: threading.Event | None = None) -> None:
    """Rebuild after every change of data, templates or styles until stopped."""
    from watchfiles import watch as watch_files

    folders = [str(previewer.project.root / f) for f in WATCHED if (previewer.project.root / f).is_dir()]
    for _changes in watch_files(*folders, stop_event=stop_event, debounce=300, raise_interrupt=False):
        previewer.rebuild()
