"""The benchmark, in one run: the register stage at 1, 3 and 10 M person-years, and the build.

Run by hand from a fresh checkout (after the README's set-up):

    .venv/bin/pip install -q -c constraints.txt -e '.[bench]' && .venv/bin/python bench/benchmark.py

It prints medians of several runs and each target as a ratio. Nothing here is a test.

Register stage: ``hæfte register aggregate`` (the command an analyst runs) against a hand-written
DuckDB query over the same Parquet computing the same aggregates, and against a plain pandas
script; peak memory (RSS) of each process; time per million person-years from 1 M to 10 M.
Build: see ``bench/build_speed.py`` (cold build against pandoc + WeasyPrint alone, no-op and
template-only rebuilds).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

DUCKDB_BASELINE = r"""
import duckdb, sys
persons, moves, out = sys.argv[1:4]
con = duckdb.connect()
con.execute("SET memory_limit = '1500MB'")
con.execute(f'''
COPY (
  WITH m AS (SELECT * FROM read_parquet('{moves}') WHERE fra_afdeling IS DISTINCT FROM til_afdeling),
  p AS (SELECT * FROM read_parquet('{persons}')),
  members AS (
    SELECT afdeling_id, aar, 'beboere' AS gruppe, person_id, husstand_id, alder, kompetencegivende_uddannelse,
           beskaeftiget, ikke_vestlig, husstandsindkomst FROM p
    UNION ALL SELECT m.til_afdeling, m.aar, 'tilflyttere', p.person_id, husstand_id, alder, kompetencegivende_uddannelse,
           beskaeftiget, ikke_vestlig, husstandsindkomst FROM m JOIN p USING (person_id, aar) WHERE m.til_afdeling IS NOT NULL
    UNION ALL SELECT m.fra_afdeling, m.aar, 'fraflyttere', p.person_id, husstand_id, alder, kompetencegivende_uddannelse,
           beskaeftiget, ikke_vestlig, husstandsindkomst FROM m JOIN p USING (person_id, aar) WHERE m.fra_afdeling IS NOT NULL),
  a AS (SELECT afdeling_id, aar, gruppe, count(*) personer,
           count(*) FILTER (alder BETWEEN 25 AND 64) voksne,
           count(*) FILTER (alder BETWEEN 25 AND 64 AND kompetencegivende_uddannelse = 1) udd,
           count(*) FILTER (alder BETWEEN 25 AND 64 AND beskaeftiget = 1) besk,
           count(*) FILTER (ikke_vestlig = 1) iv FROM members GROUP BY ALL),
  h AS (SELECT afdeling_id, aar, gruppe, count(*) husstande, round(avg(i), -2) gns, round(quantile_disc(i, 0.5), -2) med
        FROM (SELECT afdeling_id, aar, gruppe, husstand_id, any_value(husstandsindkomst) i FROM members GROUP BY ALL)
        GROUP BY ALL)
  SELECT * FROM a JOIN h USING (afdeling_id, aar, gruppe)) TO '{out}/beboere.csv' (HEADER)''')
con.execute(f'''COPY (SELECT aar, fra_almen, til_almen, count(*) n FROM read_parquet('{moves}')
                WHERE fra_afdeling IS DISTINCT FROM til_afdeling GROUP BY ALL) TO '{out}/flytninger.csv' (HEADER)''')
"""

PANDAS_BASELINE = r"""
import sys
import pandas as pd
persons, moves, out = sys.argv[1:4]
p = pd.read_parquet(persons)
m = pd.read_parquet(moves)
m = m[m["fra_afdeling"].fillna("") != m["til_afdeling"].fillna("")]
pk = p.drop(columns=["afdeling_id"])
parts = [p.assign(gruppe="beboere")]
for side, name in (("til_afdeling", "tilflyttere"), ("fra_afdeling", "fraflyttere")):
    s = m[m[side].notna()][["person_id", "aar", side]].merge(pk, on=["person_id", "aar"])
    parts.append(s.rename(columns={side: "afdeling_id"}).assign(gruppe=name))
x = pd.concat(parts, ignore_index=True)
keys = ["afdeling_id", "aar", "gruppe"]
adult = x["alder"].between(25, 64)
x["voksen"] = adult
x["udd"] = adult & (x["kompetencegivende_uddannelse"] == 1)
x["besk"] = adult & (x["beskaeftiget"] == 1)
x["iv"] = x["ikke_vestlig"] == 1
a = x.groupby(keys).agg(personer=("person_id", "size"), voksne=("voksen", "sum"), udd=("udd", "sum"),
                        besk=("besk", "sum"), iv=("iv", "sum"))
h = x.drop_duplicates(keys + ["husstand_id"]).groupby(keys)["husstandsindkomst"].agg(["size", "mean", "median"])
a.join(h).to_csv(f"{out}/beboere.csv")
m.groupby(["aar", "fra_almen", "til_almen"]).size().to_csv(f"{out}/flytninger.csv")
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{cmd[:4]} failed: {proc.stderr.read().decode()[-500:]}")
    return elapsed, usage.ru_maxrss / 1024


def register_part(runs: int, sizes: list[int]) -> None:
    afdelinger = [r["afdeling_id"] for r in csv.DictReader(open(ROOT / "data/register/afdelinger.csv", encoding="utf-8"))]
    from hæfte import register

    print("Register stage (medians of %d runs)" % runs)
    print(f"{'person-years':>13} {'hæfte':>8} {'DuckDB':>8} {'pandas':>8} {'hæfte/DuckDB':>13} {'pandas/hæfte':>13} "
          f"{'RSS hæfte':>10} {'RSS DuckDB':>11} {'RSS pandas':>11} {'s per M':>8}")
    per_million = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = Path(tmp) / f"n{size}"
            persons, moves = register.synth(folder, size // 10, (2004, 2013), afdelinger, seed=2017)
            out = folder / "out"
            out.mkdir()
            results = {"hæfte": [], "duckdb": [], "pandas": []}
            for _ in range(runs):
                results["hæfte"].append(timed([sys.executable, "-m", "hæfte", "register", "aggregate", "--personer",
                                               str(persons), "--flytninger", str(moves), "--out", str(out)]))
                results["duckdb"].append(timed([sys.executable, "-c", DUCKDB_BASELINE, str(persons), str(moves), str(out)]))
                results["pandas"].append(timed([sys.executable, "-c", PANDAS_BASELINE, str(persons), str(moves), str(out)]))
            t = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
            rss = {k: max(r[1] for r in v) for k, v in results.items()}
            per_million[size] = t["hæfte"] / (size / 1e6)
            print(f"{size:>13,} {t['hæfte']:8.2f} {t['duckdb']:8.2f} {t['pandas']:8.2f} {t['hæfte'] / t['duckdb']:13.2f} "
                  f"{t['pandas'] / t['hæfte']:13.1f} {rss['hæfte']:9.0f}M {rss['duckdb']:10.0f}M {rss['pandas']:10.0f}M "
                  f"{per_million[size]:8.2f}")
    smallest, largest = min(sizes), max(sizes)
    print(f"targets: hæfte/DuckDB ≤ 1.5; pandas/hæfte ≥ 5; RSS at {largest:,} ≤ 2048M; linear growth: "
          f"time per M at {largest:,} / at {smallest:,} = {per_million[largest] / per_million[smallest]:.2f} (≈ 1 is linear)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1000000,3000000,10000000")
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    register_part(args.runs, [int(s) for s in args.sizes.split(",")])
    if not args.skip_build:
        import build_speed

        print()
        print("Build")
        build_speed.report(args.runs)


if __name__ == "__main__":
    main()
