"""Benchmark of the editor's loop: from saving a template to the new page in the browser.

Run by hand from the project folder, after the README's set-up (it needs Debian's Chromium and
Playwright from the test extra):

    .venv/bin/python bench/editor_loop.py [--runs 7]

It copies the project to a temporary folder, starts ``hæfte preview`` there as its own process
(as an editor does), opens the page in headless Chromium and waits until the PDFs are ready.
Then, each run, it changes one word in ``templates/11_konklusion.md.j2`` and measures the time
until the browser shows a page holding the new word (the page reloads itself: it polls the
preview's status). "Idle" runs save when the PDFs are ready; "busy" runs save while the
background build of the PDFs is running (both cores taken).

The yardstick is pandoc alone: the ``pandoc`` binary of pypandoc-binary converting the same
Markdown (the booklet's, ``_output/haefte.md``) with the same template and options as the web
version, as its own process. Prints medians and the ratio loop / pandoc. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
TEMPLATE = "templates/11_konklusion.md.j2"
ANCHOR = "perspektiver"  # a word of that template; each run appends a new word after it


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__haefte/status", timeout=5) as response:
        return json.loads(response.read())


def wait(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("the preview did not get there in time")
        time.sleep(0.05)


def pandoc_alone(project: Path, runs: int) -> list[float]:
    import pypandoc

    from hæfte.write.pandoc import PANDOC_FORMAT

    pandoc = pypandoc.get_pandoc_path()
    styles = project / "styles"
    command = [pandoc, "-f", PANDOC_FORMAT, "-t", "html5", "--standalone", f"--template={styles / 'web.html'}",
               "--metadata=pagetitle:Hæftet", "--section-divs=false", "--wrap=none", "--toc", "--toc-depth=1",
               str(project / "_output/haefte.md"), "-o", str(project / "pandoc-alene.html")]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True)
        times.append(time.perf_counter() - started)
    return times


def save_and_time(page, project: Path, word: str) -> float:
    path = project / TEMPLATE
    text = path.read_text(encoding="utf-8").replace(ANCHOR, f"{ANCHOR} {word}", 1)
    with page.expect_navigation(wait_until="domcontentloaded", timeout=30000):
        started = time.perf_counter()
        path.write_text(text, encoding="utf-8")
    seen = time.perf_counter() - started
    assert word in page.inner_text("main"), "the reloaded page shows the new word"
    return seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--busy-runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "projekt"
        for part in ("data", "templates", "styles"):
            shutil.copytree(ROOT / part, project / part)
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "hæfte", "--projekt", str(project), "preview", "--port", str(port)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        said: list[str] = []
        threading.Thread(target=lambda: said.extend(server.stdout), daemon=True).start()
        try:
            wait(lambda: status(port)["build"] >= 1, 600)
            wait(lambda: status(port)["pdf"] == "klar", 600)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--no-first-run"])
                page = browser.new_page()
                page.goto(f"http://127.0.0.1:{port}/")
                idle, busy, server_side = [], [], []
                for run in range(args.runs):
                    wait(lambda: status(port)["pdf"] == "klar", 600)
                    before = len(said)
                    idle.append(save_and_time(page, project, f"ordA{run}"))
                    # the preview's own line: "webversion (N) på X s; PDF'erne følger"
                    server_side += [float(m.group(1).replace(",", ".")) for line in said[before:]
                                    if (m := re.search(r"webversion \(\d+\) på ([\d.,]+) s", line))]
                for run in range(args.busy_runs):
                    wait(lambda: status(port)["pdf"] == "klar", 600)
                    save_and_time(page, project, f"ordB{run}")
                    time.sleep(2.0)  # the background build of the PDFs has started
                    busy.append(save_and_time(page, project, f"ordC{run}"))
                browser.close()
            wait(lambda: status(port)["pdf"] == "klar", 600)
            engines = pandoc_alone(project, args.runs)
        finally:
            server.terminate()
            server.wait(timeout=30)
    m_idle, m_pandoc = statistics.median(idle), statistics.median(engines)
    print(f"runs: {args.runs} idle, {args.busy_runs} busy (medians)")
    print(f"save → new page in Chromium, PDFs ready       {m_idle:6.2f} s   (max {max(idle):.2f} s; target ≤ 1 s)")
    print(f"  of which the web version is made in         {statistics.median(server_side):6.2f} s   (the rest: noticing "
          "the save, the page's status poll, the reload)")
    if busy:
        print(f"save → new page in Chromium, PDFs building    {statistics.median(busy):6.2f} s   (max {max(busy):.2f} s)")
    print(f"pandoc alone, same Markdown, web template     {m_pandoc:6.2f} s")
    print(f"ratio loop / pandoc                           {m_idle / m_pandoc:6.2f}")


if __name__ == "__main__":
    main()
