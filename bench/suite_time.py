"""How long the README's test command takes, and how fast the machine was while it ran.

Run by hand from the project folder, after the README's set-up:

    .venv/bin/python bench/suite_time.py [--runs 3]

Each run removes the compiled bytecode (``__pycache__`` in ``src/`` and ``tests/``, as a fresh
clone has none) and runs the test command exactly as the README's second command writes it.
It prints the time pytest reports, the CPU seconds the whole machine spent meanwhile (Linux,
``/proc/stat``: every process, the two pytest-xdist workers, the builds and Chromium), and, just
before and after, the seconds a fixed pure-Python loop takes: the machine's speed. On a shared
virtual machine the same code's time moves with that speed (on the project's machine the loop's
time, and the suite's with it, changed by up to a factor of two within a day), so a time is only
comparable with the loops beside it. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOOP_STEPS = 20_000_000


def speed_loop() -> float:
    """CPU seconds of a fixed pure-Python loop: the machine's speed, not the project's."""
    start = time.process_time()
    total = 0
    for i in range(LOOP_STEPS):
        total += i * i % 7
    return time.process_time() - start


def test_command() -> str:
    """The README's test command: the second line of its first ```sh block (as .ci/run reads it)."""
    block = re.search(r"^```sh\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S | re.M)
    commands = block.group(1).strip().splitlines() if block else []
    if len(commands) != 2:
        raise SystemExit("README.md: the first ```sh block must hold the set-up and the test command")
    return commands[1]


def machine_cpu() -> float | None:
    """CPU seconds the whole machine has spent since boot (user, nice, system, interrupts), or
    None off Linux."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq = (int(f) for f in fields[:7])
    return (user + nice + system + irq + softirq) / 100  # USER_HZ, 100 on Linux


def one_run(command: str) -> tuple[float, float, str, float | None, float]:
    for folder in ("src", "tests"):
        for cache in (ROOT / folder).rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)
    before = speed_loop()
    cpu = machine_cpu()
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True)
    spent = machine_cpu() - cpu if cpu is not None else None
    after = speed_loop()
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr.strip()[-200:]
    found = re.search(r" in ([\d.]+)s", summary)
    if result.returncode != 0 or not found:
        raise SystemExit(f"the test command failed (exit {result.returncode}): {summary}")
    return before, float(found.group(1)), summary, spent, after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    command = test_command()
    print(f"test command: {command}")
    print(f"speed loop: {LOOP_STEPS:,} steps of pure Python, CPU seconds (lower is a faster machine)")
    times = []
    for n in range(1, args.runs + 1):
        before, seconds, summary, spent, after = one_run(command)
        times.append(seconds)
        cpu = f"{spent:5.0f} CPU-s on the machine" if spent is not None else "machine CPU unknown"
        print(f"run {n}: loop {before:4.2f} s | {summary} | {cpu} | loop {after:4.2f} s", flush=True)
    print(f"median {statistics.median(times):.1f} s, fastest {min(times):.1f} s, slowest {max(times):.1f} s "
          f"(target: under 120 s)")


if __name__ == "__main__":
    main()
