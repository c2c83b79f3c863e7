"""Mutation testing of the booklet's rules: do the tests notice when a rule is broken?

Run by hand from the project folder, after ``pip install -c constraints.txt -e '.[test,mutation]'``:

    nice -n 10 .venv/bin/python tools/mutate.py [--all] [mønster …]

mutmut (configured in pyproject.toml, ``[tool.mutmut]``) copies ``src/`` and the tests to
``mutants/``, makes one small change at a time (``<`` for ``<=``, 5 for 6, a deleted line …)
in the modules that hold the rules, and runs the fast unit tests of those modules against each
change. A change no test notices, a *surviving mutant*, is a rule the tests do not hold.

The rules: formatting and rounding (``format``, ``rounding``), the valid-answer bases
(``compute/common``), disclosure control (``disclosure``), the drift comparison (``lock``) with
the check's verdict and typed digits (``checker``), and escaping of data values (``render``). In
``lock``, ``checker`` and ``render`` only the functions that hold a rule are run (``TARGETS``); the
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
    "hæfte.checker.x_typed_digits__mutmut_*", "hæfte.checker.xǁCheckResultǁok__mutmut_*",
    "hæfte.render.x_md_escape__mutmut_*", "hæfte.render.x_figure_link__mutmut_*",
    "hæfte.figurelink.x_markdown__mutmut_*",
]

# Survivors that are the same program, each with why no test can tell it apart. A mutant is
# known by its function and the line it makes (mutmut's numbers change when the code does).
_UTF8 = "the codec is looked up case-insensitively"
_LOCALE = ("the locale's encoding, UTF-8 on Linux, macOS and CI; only a Windows code page would read æøå "
           "otherwise, and a test cannot switch the locale inside the process")
_NA = "a missing value in a nullable boolean Series is pd.NA however it is made"
_AUTOJUNK = ("autojunk drops sentences repeated in over 1 % of a template of 200 sentences or more; a template "
             "has far fewer, and matches extend across such sentences anyway (tried)")
_READ = 'text = JINJA_TAGS.sub(lambda m: "\\n" * m.group(0).count("\\n"), path.read_text(encoding="utf-8"))'
EQUIVALENT: dict[tuple[str, str], str] = {
    ("hæfte.checker.x_typed_digits", _READ.replace("utf-8", "UTF-8")): _UTF8,
    ("hæfte.checker.x_typed_digits", _READ.replace('"utf-8"', "None")): _LOCALE,
    ("hæfte.compute.common.x_ever", 'out = pd.Series(None, index=period.index, dtype="boolean")'): _NA,
    ("hæfte.compute.common.x_ever", 'out = pd.Series(index=period.index, dtype="boolean")'): _NA,
    ("hæfte.format.x_at_clauses", 'return "XXXX".join(parts)'): "a join of at most one part uses no separator",
    ("hæfte.disclosure.x__check_differences", 'key = tuple("XX*XX" if part in indicators else part for part in f.id.split("."))'):
        "the placeholder only has to be the same for every indicator; no id segment is either spelling",
    ("hæfte.format.x_file_size", 'return f"{number(Fraction(max(n_bytes, 1001), 1000))}{NBSP}kB"'):
        "1,000 and 1,001 kB both show as 1 kB",
    ("hæfte.format.x_kr", 'return number(exact, ) + NBSP + "kr."'): "0 decimals is number's default",
    ("hæfte.format.x_number", "if d == 1:"): ("round_half_up never returns a negative zero (its sign is an int "
                                             "factor), so abs() of a zero changes nothing, nor of 1"),
    ("hæfte.format.x_number", 'pattern = "#,##0" + ("." + "0" * decimals if (decimals) or True else "")'):
        "babel writes no decimal comma for a pattern with no fraction digits ('#,##0.')",
    ("hæfte.format.x_round_half_up", "sign = -1 if exact <= 0 else 1"): "-1 * 0 is 0",
    ("hæfte.format.x_words", 'def words(items, conjunction: str = "XXogXX") -> str:'): "only 'eller' is looked at",
    ("hæfte.format.x_words", 'def words(items, conjunction: str = "OG") -> str:'): "only 'eller' is looked at",
    ("hæfte.lock.x_changed_sentences", "for op in difflib.SequenceMatcher(a=old, b=new, autojunk=None).get_opcodes():"):
        _AUTOJUNK,
    ("hæfte.lock.x_changed_sentences", "for op in difflib.SequenceMatcher(a=old, b=new, ).get_opcodes():"): _AUTOJUNK,
    ("hæfte.lock.x_changed_sentences", "for op in difflib.SequenceMatcher(a=old, b=new, autojunk=True).get_opcodes():"):
        _AUTOJUNK,
    ("hæfte.figurelink.x_markdown",
     "return f\"[{display}]({CATALOGUE_PAGE}#{quote(figure_id, safe='XX.-_~XX')}){{.tal}}\""):
        "quote never escapes a letter, so 'X' as a safe character changes nothing",
    ("hæfte.render.x_md_escape", "group = next(i for i in range(1, 6) if m.group(i) is not None)"):
        "next() stops at the group that matched, always one of 1-4",
    ("hæfte.rounding.x_mismatches", "shown_sum = sum((results[p].percent for p in parts), )"):
        "0 + Decimal is the same Decimal, and a declared sum always has parts",
}

SURVIVING = ("survived", "no tests", "suspicious", "segfault")  # a timeout is a test that did not pass


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
