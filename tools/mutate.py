"""Mutation testing of the booklet's rules: do the tests notice when a rule is broken?

Run by hand from the project folder, after ``pip install -c constraints.txt -e '.[test,mutation]'``:

    nice -n 10 .venv/bin/python tools/mutate.py [--all] [mønster …]

mutmut (configured in pyproject.toml, ``[tool.mutmut]``) copies ``src/`` and the tests to
``mutants/``, makes one small change at a time (``<`` for ``<=``, 5 for 6, a deleted line …)
in the modules that hold the rules, and runs the fast unit tests of those modules against each
change. A change no test notices, a *surviving mutant*, is a rule the tests do not hold.

The rules: formatting and rounding (``format``, ``rounding``), the valid-answer bases
(``compute/common``), disclosure control (``disclosure``), the drift comparison (``lock``) with
the check's verdict and typed digits (``check``), and escaping of data values (``render``). In
``lock``, ``check`` and ``render`` only the functions that hold a rule are run (``TARGETS``); the
rest of those modules is tested by slower tests of the whole booklet.

It prints each surviving mutant as a diff and their number. Survivors listed in ``EQUIVALENT``
change nothing a reader or a test can see (the reason is written there); they are counted, not
shown. ``--all`` shows them too. Patterns (fnmatch, e.g. ``'hæfte.format.*'``) run a part only.
Exit status 1 when a survivor is not in ``EQUIVALENT``.

mutmut's progress line is rewritten with carriage returns thousands of times; only its last
lines are kept. Results are kept in ``mutants/`` (git ignores it): a second run only tests what
changed.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# mutmut names a mutant module.x_function__mutmut_N (methods: module.xǁClassǁmethod__mutmut_N)
TARGETS = [
    "hæfte.format.*",
    "hæfte.rounding.*",
    "hæfte.disclosure.*",
    "hæfte.compute.common.*",
    "hæfte.lock.x_compare__mutmut_*", "hæfte.lock.x__shown__mutmut_*", "hæfte.lock.x_changed_wording__mutmut_*",
    "hæfte.lock.x_changed_sentences__mutmut_*", "hæfte.lock.x_sentences_with_figures__mutmut_*",
    "hæfte.lock.x__clean__mutmut_*", "hæfte.lock.x_change_report__mutmut_*",
    "hæfte.check.x_typed_digits__mutmut_*", "hæfte.check.xǁCheckResultǁok__mutmut_*",
    "hæfte.render.x_md_escape__mutmut_*", "hæfte.render.x_figure_link__mutmut_*",
]

# Survivors that are the same program, each with why no test can tell it apart. A mutant is
# known by its function and the line it makes (mutmut's numbers change when the code does).
EQUIVALENT: dict[tuple[str, str], str] = {}

SURVIVING = ("survived", "no tests", "timeout", "suspicious", "segfault")


def run(patterns: list[str]) -> None:
    """``mutmut run``; only its last lines, since the progress line is rewritten with carriage returns."""
    done = subprocess.run([sys.executable, "-m", "mutmut", "run", *patterns], cwd=ROOT, capture_output=True,
                          text=True)
    lines = [line for line in done.stdout.replace("\r", "\n").splitlines() if line.strip()]
    if done.returncode != 0:
        sys.exit("\n".join(lines[-20:] + done.stderr.splitlines()[-20:]) + "\nmutmut run fejlede")


def survivors(patterns: list[str]) -> list[tuple[str, str, str]]:
    """(name, status, diff) of each mutant matching ``patterns`` that no test killed.

    Read from ``mutants/`` with mutmut's own functions in this process: ``mutmut show`` would
    read every file's results once per mutant."""
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    os.chdir(ROOT)
    out = []
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in data.exit_code_by_key.items():
            status = status_by_exit_code[code]
            if status in SURVIVING and any(fnmatch.fnmatch(name, p) for p in patterns):
                out.append((name, status, get_diff_for_mutant(name, path=path)))
    return sorted(out, key=lambda found: _natural(found[0]))


def known(name: str, diff: str) -> tuple[str, str]:
    """(function, mutated line): how ``EQUIVALENT`` names a mutant."""
    made = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return name.rpartition("__mutmut_")[0], " | ".join(made)


def _natural(name: str) -> tuple:
    stem, _, number = name.rpartition("__mutmut_")
    return stem, int(number) if number.isdigit() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="vis også de ækvivalente mutanter")
    parser.add_argument("patterns", nargs="*", help="kør kun mutanter, hvis navn passer (fnmatch)")
    args = parser.parse_args()
    patterns = args.patterns or TARGETS
    print(f"mutmut kører {len(patterns)} mønstre …", flush=True)
    run(patterns)
    found = survivors(patterns)
    real = 0
    for name, status, diff in found:
        why = EQUIVALENT.get(known(name, diff))
        real += why is None
        if args.all or why is None:
            print(f"\n=== {name} ({status})" + (f": ækvivalent, {why}" if why else "") + "\n"
                  + "\n".join(diff.splitlines()[2:]))
    print(f"\n{real} overlevende mutanter, {len(found) - real} ækvivalente")
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
