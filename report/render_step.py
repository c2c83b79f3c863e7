"""Quarto's pre- and post-render step for hæfte: ``report/render_step.py pre-render|post-render``.

Quarto runs a ``.py`` script with QUARTO_PYTHON, else a conda ``python``, else ``python3`` from
PATH (``py`` on Windows), without a shell and without activating any venv (quarto-cli 5d1da592,
src/core/run/python.ts:14-35, src/core/jupyter/capabilities.ts:47-90). That Python rarely has
hæfte installed, so this file needs only the standard library (and runs on Python 3.8 and later):
it finds a Python that has hæfte and runs ``python -m hæfte --project <this project> quarto <step>``.

Which Python, in order:
1. the interpreter running this file, when QUARTO_PYTHON chose it and it has hæfte;
2. the project's own ``.venv`` (``.venv/Scripts/python.exe`` on Windows, ``.venv/bin/python``
   elsewhere), as the README's set-up makes it;
3. the interpreter running this file, when it has hæfte (e.g. a conda environment).
Otherwise it stops with one Danish line and exit status 2.
"""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

STEPS = ("pre-render", "post-render")
PROBE = "import importlib.util, sys; sys.exit(importlib.util.find_spec('h\\xe6fte') is None)"


def project_root():
    return Path(__file__).resolve().parent.parent


def venv_python(root):
    """The project's venv interpreter: the Windows layout first, then the POSIX one."""
    for parts in (("Scripts", "python.exe"), ("bin", "python")):
        candidate = root.joinpath(".venv", *parts)
        if candidate.is_file():
            return candidate
    return None


def has_haefte(python=None):
    """Whether hæfte can be imported here, or in another interpreter (asked in a child process)."""
    if python is None:
        return importlib.util.find_spec("hæfte") is not None
    return subprocess.call([str(python), "-c", PROBE]) == 0


def choose_python(root, environ):
    """The interpreter to run hæfte with, or None."""
    if environ.get("QUARTO_PYTHON") and has_haefte():
        return sys.executable
    venv = venv_python(root)
    if venv is not None and has_haefte(venv):
        return str(venv)
    if has_haefte():
        return sys.executable
    return None


def main(argv):
    if len(argv) != 1 or argv[0] not in STEPS:
        sys.stderr.write("brug: render_step.py pre-render|post-render\n")
        return 64
    root = project_root()
    python = choose_python(root, os.environ)
    if python is None:
        sys.stderr.write(
            "fejl: {}: fandt ingen Python med hæfte: lav projektets .venv som i README.md, "
            "eller sæt QUARTO_PYTHON til den Python, hæfte er installeret i\n".format(sys.executable))
        return 2
    env = dict(os.environ)
    # Quarto reads the step's output as UTF-8; Python on Windows would write the console's code page.
    env.setdefault("PYTHONUTF8", "1")
    command = [python, "-m", "hæfte", "--project", str(root)]
    if env.get("QUARTO_PROJECT_SCRIPT_QUIET") == "1":  # quarto render --quiet (project.ts:953)
        command.append("--quiet")
    # A child process and its exit status, not os.exec*: on Windows exec returns to Quarto at once.
    return subprocess.call(command + ["quarto", argv[0]], env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
