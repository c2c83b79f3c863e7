"""Prove the lower bounds in pyproject.toml: install the lowest allowed version of every direct
dependency in a new venv and run the tests of every stage there.

Run by hand from the project folder (needs the network to PyPI):

    .venv/bin/python tools/check_lower_bounds.py [--keep] [pytest arguments …]

It makes a venv in a temporary folder, installs uv into it, installs this project with
``uv pip install --resolution lowest-direct -e '.[test,bench,mutation]'`` (each direct dependency at its lower
bound, theirs at the newest that fit), runs ``TESTS`` with that venv's Python and, when they
pass, writes the installed versions of the direct dependencies to ``tools/lower_bounds.txt``.
``tests/test_packaging.py`` checks that file against pyproject.toml, so a bound changed without
a new run of this script fails the tests.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "tools" / "lower_bounds.txt"
# One or more test files per stage and per dependency: load/validate (pandas, pandera, openpyxl,
# pyyaml, pydantic, python-stdnum), compute (numpy), format (babel), render (jinja2, markupsafe),
# charts (matplotlib, fonttools), build and PDF (weasyprint, pypandoc-binary, pypdf, pypdfium2),
# command line (click), the web pages' check (selectolax: the hostile pages), preview
# (watchfiles), register (duckdb), Quarto, the API, packaging (setuptools, wheel) and the browser
# test (playwright).
TESTS = ["tests/test_format.py", "tests/test_load.py", "tests/test_validate.py", "tests/test_compute_published.py",
         "tests/test_render.py", "tests/test_charts.py", "tests/test_drawing.py", "tests/test_build.py",
         "tests/test_pdf_structure.py", "tests/test_visibility.py", "tests/test_cli.py", "tests/test_hostile.py",
         "tests/test_api.py", "tests/test_editor_loop.py", "tests/test_register.py", "tests/test_quarto.py",
         "tests/test_packaging.py", "tests/test_web_accessibility.py"]


def direct_dependencies() -> list[tuple[str, str]]:
    """(name, lower bound) of every dependency of the package and of its extras."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = []
    for requirement in project["dependencies"] + [r for rs in project["optional-dependencies"].values() for r in rs]:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?>=([0-9][^,;\s]*)", requirement)
        if m and normal(m.group(1)) != "haefte":
            found.append((normal(m.group(1)), m.group(2)))
    return sorted(set(found))


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, check=True, **kwargs)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", action="store_true", help="keep the venv (its path is printed)")
    args, pytest_args = parser.parse_known_args()
    folder = Path(tempfile.mkdtemp(prefix="haefte-lowest-"))
    try:
        venv = folder / "venv"
        run(sys.executable, "-m", "venv", str(venv))
        python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
        run(str(python), "-m", "pip", "install", "-q", "uv")
        run(str(python), "-m", "uv", "pip", "install", "--python", str(python), "--resolution", "lowest-direct",
            "-e", f"{ROOT}[test,bench,mutation]")
        frozen = run(str(python), "-m", "uv", "pip", "freeze", "--python", str(python), capture_output=True, text=True).stdout
        installed = {normal(n): v for n, v in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)$", frozen, re.M)}
        wanted = direct_dependencies()
        lines = [f"{name}=={installed.get(name, '(ikke installeret)')}" for name, _ in wanted]
        print("\n".join(lines))
        # The test of tools/lower_bounds.txt checks this script's last result, not these versions.
        skip = "tests/test_packaging.py::test_lower_bounds_are_those_the_lowest_install_passed_with"
        tests = subprocess.run([str(python), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "--deselect", skip,
                                *TESTS, *pytest_args], cwd=ROOT)
        if tests.returncode != 0:
            print("testene fejler med de laveste versioner: hæv grænserne i pyproject.toml", file=sys.stderr)
            return tests.returncode
        RESULT.write_text("# Skrevet af tools/check_lower_bounds.py: de laveste versioner, testene er kørt med\n"
                          + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"skrev {RESULT.relative_to(ROOT)}")
        return 0
    finally:
        if args.keep:
            print(f"venv: {folder / 'venv'}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
