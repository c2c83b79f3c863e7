"""Benchmark: the full build against the engines alone, the no-op rebuild and a template edit.

Run by hand from the project folder:  python bench/build_speed.py [--runs 3]
Prints medians of several runs and the ratios the targets are stated in:
  cold build ≤ 1.3 × (pandoc + WeasyPrint alone on the same inputs); no-op ≤ 5 % of cold.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_project(target: Path) -> Path:
    for part in ("data", "templates", "styles"):
        shutil.copytree(ROOT / part, target / part)
    return target


def run(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def engines_alone(project: Path) -> float:
    """A separate process doing only what no build can avoid: pandoc converting the same Markdown
    (web and print HTML) and WeasyPrint rendering the same three PDFs (print booklet, accessible
    booklet, figure catalogue), one after the other, imports and start-up included."""
    out, styles = project / "_output", project / "styles"
    code = f"""
import pypandoc
from pathlib import Path
from weasyprint import HTML, CSS
from weasyprint.text.fonts import FontConfiguration
out = Path({str(out)!r}); styles = Path({str(styles)!r})
md = (out / 'haefte.md').read_text(encoding='utf-8')
for template, toc in (('web.html', ['--toc']), ('print.html', [])):
    pypandoc.convert_text(md, 'html5', format='markdown', extra_args=['--standalone', f'--template={{styles / template}}', '--metadata=pagetitle:x'] + toc)
for html, css, variant in (('print.html', ['print.css'], 'pdf/ua-1'),
                          ('katalog-print.html', ['katalog-print.css'], None)):
    fonts = FontConfiguration()
    HTML(filename=str(out / html), base_url=str(out / 'web')).write_pdf('/tmp/bench.pdf', stylesheets=[CSS(filename=str(styles / c), font_config=fonts) for c in css], font_config=fonts, pdf_variant=variant)
"""
    return run([sys.executable, "-c", code], project)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    report(parser.parse_args().runs)


def report(runs: int) -> None:
    hæfte = [sys.executable, "-m", "hæfte"]
    cold, noop, template, engines = [], [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            project = copy_project(Path(tmp) / "p")
            cold.append(run(hæfte + ["build"], project))
            noop.append(run(hæfte + ["build"], project))
            engines.append(engines_alone(project))
            path = project / "templates/11_konklusion.md.j2"
            path.write_text(path.read_text(encoding="utf-8").replace("perspektiver op", "perspektiver frem"),
                            encoding="utf-8")
            template.append(run(hæfte + ["build"], project))
    m = {name: statistics.median(v) for name, v in
         (("cold", cold), ("noop", noop), ("template", template), ("engines", engines))}
    print(f"runs: {runs} (medians)")
    print(f"cold build (hæfte build, new folder)        {m['cold']:7.2f} s")
    print(f"pandoc + WeasyPrint alone, same inputs      {m['engines']:7.2f} s")
    print(f"no-op rebuild                               {m['noop']:7.2f} s")
    print(f"template-only rebuild                       {m['template']:7.2f} s")
    print(f"ratio cold / engines                        {m['cold'] / m['engines']:7.2f}   (target ≤ 1.3)")
    print(f"ratio no-op / cold                          {m['noop'] / m['cold']:7.1%}   (target ≤ 5 %)")
    print(f"ratio template-only / cold                  {m['template'] / m['cold']:7.1%}")


if __name__ == "__main__":
    main()
