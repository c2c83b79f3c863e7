"""The register stage: person-level microdata in, the aggregates of the data contract out.

This is the step an analyst runs on Statistics Denmark's research servers, where the
microdata live. It runs in DuckDB, out of core, so a national population fits on one machine.

In:  person-years (``person_id, aar, afdeling_id, husstand_id, alder, kompetencegivende_uddannelse,
     beskaeftiget, ikke_vestlig, husstandsindkomst``) and moves (``person_id, aar, fra_afdeling,
     til_afdeling, fra_almen, til_almen``), as Parquet or CSV.
Out: ``beboere.csv`` and ``flytninger.csv`` in the format of ``data/register/`` (n on every
     cell), after disclosure control across both files together:

     - primary: a ``beboere.csv`` row with any count, or any count's complement (adults without
       education, persons who are not adults, …), of 1 to min−1 persons is withheld whole, and
       so is a ``flytninger.csv`` row with 1 to min−1 moves;
     - secondary: a withheld cell must not be recoverable by subtraction. In a year, the
       in-movers of all afdelinger add up to the moves into an almen afdeling in
       ``flytninger.csv`` (out-movers likewise); where what is withheld in such a sum could be
       worked out (one cell alone, or cells on one side that add up to 1 to min−1), the smallest
       published cell of the sum is withheld as well, until nothing can be.

     The minimum is never below Statistics Denmark's 3. No option value is pasted into SQL:
     files are read and written through DuckDB's Python API, settings go in as configuration.

``synth`` makes seeded synthetic microdata of any size with the booklet's findings (no effect of
the tools on the social mix; about 40 pct. of moves between two almene afdelinger). Its random
numbers come from hashes of (person, year, purpose), so the same seed gives the same data on any
number of threads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hæfte.disclosure import require_minimum, small
from hæfte.errors import DataError, HaefteError

PERSON_COLUMNS = ("person_id", "aar", "afdeling_id", "husstand_id", "alder", "kompetencegivende_uddannelse",
                  "beskaeftiget", "ikke_vestlig", "husstandsindkomst")
MOVE_COLUMNS = ("person_id", "aar", "fra_afdeling", "til_afdeling", "fra_almen", "til_almen")
BEBOERE_COLUMNS = ("afdeling_id", "aar", "gruppe", "personer", "voksne", "kompetencegivende_uddannelse",
                   "beskaeftigede", "ikke_vestlig_oprindelse", "husstande", "husstandsindkomst_gns",
                   "husstandsindkomst_median")


_MEMORY = re.compile(r"^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.I)
_GLOB = re.compile(r"[*?\[\]{}]")


def connect(memory_limit: str = "1500MB", threads: int | None = None):
    import duckdb

    if not _MEMORY.match(str(memory_limit)):
        raise HaefteError(f"--memory '{memory_limit}': skal være et tal med enhed, fx 1500MB eller 2GB")
    config = {"memory_limit": str(memory_limit), "preserve_insertion_order": False}
    if threads:
        config["threads"] = int(threads)
    con = duckdb.connect(config=config)
    con.execute("SET enable_progress_bar = false")
    return con


def _source(con, path: Path):
    """The file (or folder of Parquet files) as a DuckDB relation; the path is handed to DuckDB
    as a value, absolute, and without glob characters, so it names exactly one local file."""
    path = Path(path)
    if not path.exists():
        raise DataError(str(path), "filen findes ikke")
    if _GLOB.search(str(path)):
        raise DataError(str(path), "stien må ikke indeholde *, ?, [, ], { eller } (DuckDB læser dem som mønstre)")
    absolute = str(path.resolve())
    if path.is_dir():
        return con.read_parquet(str(Path(absolute) / "*.parquet"))
    if path.suffix == ".parquet":
        return con.read_parquet(absolute)
    if path.suffix == ".csv":
        return con.read_csv(absolute, header=True)
    raise DataError(str(path), "kun Parquet (.parquet) eller CSV (.csv) kan læses")


def _require_columns(relation, path: Path, columns: tuple[str, ...]) -> None:
    missing = [c for c in columns if c not in relation.columns]
    if missing:
        raise DataError(str(path), f"kolonnen mangler: {', '.join(missing)}", row=1, column=missing[0])


AGGREGATE_SQL = """
CREATE OR REPLACE TEMP VIEW p AS SELECT * FROM personer_kilde;
CREATE OR REPLACE TEMP VIEW m AS
  SELECT * FROM flytninger_kilde WHERE fra_afdeling IS DISTINCT FROM til_afdeling;   -- internal moves excluded
CREATE OR REPLACE TEMP VIEW members AS
  SELECT afdeling_id, aar, 'beboere' AS gruppe, p.* EXCLUDE (afdeling_id, aar) FROM p
  UNION ALL
  SELECT m.til_afdeling, m.aar, 'tilflyttere', p.* EXCLUDE (afdeling_id, aar)
    FROM m JOIN p USING (person_id, aar) WHERE m.til_afdeling IS NOT NULL
  UNION ALL
  SELECT m.fra_afdeling, m.aar, 'fraflyttere', p.* EXCLUDE (afdeling_id, aar)
    FROM m JOIN p USING (person_id, aar) WHERE m.fra_afdeling IS NOT NULL;
-- One pass over the members: first per household (its persons' counts and its income), then
-- per cell. A household is counted once in a cell however many of its members are in it.
CREATE OR REPLACE TEMP TABLE cells AS
WITH households AS (
  SELECT afdeling_id, aar, gruppe, husstand_id,
         count(*) AS personer,
         count(*) FILTER (WHERE alder BETWEEN 25 AND 64) AS voksne,
         count(*) FILTER (WHERE alder BETWEEN 25 AND 64 AND kompetencegivende_uddannelse = 1) AS udd,
         count(*) FILTER (WHERE alder BETWEEN 25 AND 64 AND beskaeftiget = 1) AS besk,
         count(*) FILTER (WHERE ikke_vestlig = 1) AS iv,
         any_value(husstandsindkomst) AS indkomst
  FROM members GROUP BY ALL)
SELECT afdeling_id, aar, gruppe,
       sum(personer)::BIGINT AS personer, sum(voksne)::BIGINT AS voksne,
       sum(udd)::BIGINT AS kompetencegivende_uddannelse, sum(besk)::BIGINT AS beskaeftigede,
       sum(iv)::BIGINT AS ikke_vestlig_oprindelse, count(*) AS husstande,
       CAST(round(avg(indkomst), -2) AS BIGINT) AS husstandsindkomst_gns,
       CAST(round(quantile_disc(indkomst, 0.5), -2) AS BIGINT) AS husstandsindkomst_median
FROM households GROUP BY ALL;
"""

MOVES_SQL = """
SELECT aar,
       CASE WHEN fra_almen THEN 'almen afdeling' ELSE 'anden bolig' END AS fra,
       CASE WHEN til_almen THEN 'almen afdeling' ELSE 'anden bolig' END AS til,
       count(*) AS flytninger
FROM m GROUP BY ALL
"""


COUNTS = ("personer", "voksne", "kompetencegivende_uddannelse", "beskaeftigede", "ikke_vestlig_oprindelse",
          "husstande")
# (whole, part): the persons in the whole but not in the part are a group of their own
COMPLEMENTS = (("voksne", "kompetencegivende_uddannelse"), ("voksne", "beskaeftigede"),
               ("personer", "ikke_vestlig_oprindelse"), ("personer", "voksne"))
# moves into (out of) an almen afdeling in flytninger.csv: (fra, til) pairs
INTO_ALMEN = (("almen afdeling", "almen afdeling"), ("anden bolig", "almen afdeling"))
OUT_OF_ALMEN = (("almen afdeling", "almen afdeling"), ("almen afdeling", "anden bolig"))


@dataclass(frozen=True)
class AggregateReport:
    rows: int
    withheld: int  # beboere.csv rows withheld, for primary and secondary reasons together
    moves_rows: int
    moves_withheld: int
    secondary: int = 0  # of the withheld rows (both files), those withheld only so others can't be recovered


def primary_unsafe(row: dict, minimum: int) -> bool:
    """A beboere.csv row with a small count, or a small complement of one."""
    return any(small(row[c], minimum) for c in COUNTS) or \
        any(small(row[whole] - row[part], minimum) for whole, part in COMPLEMENTS)


def _sums(cells: list[dict], moves: list[dict]) -> list[tuple[list, list]]:
    """The published sums a reader could subtract in: per year, the in-movers of all afdelinger
    equal the moves into an almen afdeling (and out-movers the moves out of one).
    Each sum: (parts, totals) as lists of (file, key, count)."""
    years = sorted({r["aar"] for r in cells} | {r["aar"] for r in moves})
    out = []
    for year in years:
        for group, pairs in (("tilflyttere", INTO_ALMEN), ("fraflyttere", OUT_OF_ALMEN)):
            parts = [("beboere", (r["afdeling_id"], r["aar"], r["gruppe"]), r["personer"]) for r in cells
                     if r["aar"] == year and r["gruppe"] == group]
            totals = [("flytninger", (r["aar"], r["fra"], r["til"]), r["flytninger"]) for r in moves
                      if r["aar"] == year and (r["fra"], r["til"]) in pairs]
            out.append((parts, totals))
    return out


def _recoverable(parts: list, totals: list, withheld: set, minimum: int) -> bool:
    hidden_parts = [n for f, k, n in parts if (f, k) in withheld]
    hidden_totals = [n for f, k, n in totals if (f, k) in withheld]
    hidden = hidden_parts + hidden_totals
    if not hidden:
        return False
    if len(hidden) == 1:
        return hidden[0] != 0
    if not hidden_parts or not hidden_totals:  # all on one side: their sum is known
        return small(sum(hidden), minimum)
    return False


def suppress(cells: list[dict], moves: list[dict], minimum: int) -> tuple[set, set]:
    """(primary, secondary) withheld cells as (file, key): primary by ``disclosure.small``, then
    secondary until no withheld cell can be recovered from a published sum."""
    primary = {("beboere", (r["afdeling_id"], r["aar"], r["gruppe"])) for r in cells if primary_unsafe(r, minimum)}
    primary |= {("flytninger", (r["aar"], r["fra"], r["til"])) for r in moves if small(r["flytninger"], minimum)}
    withheld = set(primary)
    sums = _sums(cells, moves)
    changed = True
    while changed:
        changed = False
        for parts, totals in sums:
            while _recoverable(parts, totals, withheld, minimum):
                # withhold the smallest published cell of the sum: parts (one afdeling) first
                candidates = sorted((n, f, k) for f, k, n in parts if (f, k) not in withheld) or \
                    sorted((n, f, k) for f, k, n in totals if (f, k) not in withheld)
                if not candidates:
                    break
                _, f, k = candidates[0]
                withheld.add((f, k))
                changed = True
    return primary, withheld - primary


CELL_KEYS = {"afdeling_id": "VARCHAR", "aar": "BIGINT", "gruppe": "VARCHAR"}  # a published cell of beboere.csv
MOVE_KEYS = {"aar": "BIGINT", "fra": "VARCHAR", "til": "VARCHAR"}  # a published cell of flytninger.csv


def _without_withheld(source: str, withheld: str, keys) -> str:
    """``source`` (as ``s``) without the rows whose key is in ``withheld``. IS NOT DISTINCT FROM:
    a withheld cell whose key holds a NULL (a person-year without an afdeling) is withheld too;
    an equi-join (USING) never matches NULL and would publish it."""
    on = " AND ".join(f"s.{k} IS NOT DISTINCT FROM w.{k}" for k in keys)
    return f"{source} s ANTI JOIN {withheld} w ON {on}"


def aggregate(persons: Path, moves: Path, out: Path, minimum: int = 5, memory_limit: str = "1500MB",
              threads: int | None = None) -> AggregateReport:
    """Write ``out/beboere.csv`` and ``out/flytninger.csv`` from the microdata."""
    require_minimum(int(minimum), "--min")
    con = connect(memory_limit, threads)
    p_src, m_src = _source(con, persons), _source(con, moves)
    _require_columns(p_src, persons, PERSON_COLUMNS)
    _require_columns(m_src, moves, MOVE_COLUMNS)
    p_src.create_view("personer_kilde")
    m_src.create_view("flytninger_kilde")
    con.execute(AGGREGATE_SQL)
    con.execute(f"CREATE OR REPLACE TEMP TABLE moves_agg AS {MOVES_SQL}")
    cell_columns = (*CELL_KEYS, *COUNTS)
    cells = [dict(zip(cell_columns, r)) for r in con.sql(f"SELECT {', '.join(cell_columns)} FROM cells").fetchall()]
    move_rows = [dict(zip((*MOVE_KEYS, "flytninger"), r))
                 for r in con.sql("SELECT aar, fra, til, flytninger FROM moves_agg").fetchall()]
    primary, secondary = suppress(cells, move_rows, int(minimum))
    withheld = primary | secondary
    counts = {}
    for table, keys, file in (("withheld_cells", CELL_KEYS, "beboere"), ("withheld_moves", MOVE_KEYS, "flytninger")):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({', '.join(f'{k} {t}' for k, t in keys.items())})")
        rows = [k for f, k in withheld if f == file]
        counts[file] = len(rows)
        if rows:
            # one statement, a list per column: executemany inserts a row at a time (2 s for the
            # 4.000 cells a test withholds; minutes for a national register)
            unnest = ", ".join(f"unnest(${i})" for i in range(1, len(keys) + 1))
            con.execute(f"INSERT INTO {table} SELECT {unnest}", [list(values) for values in zip(*rows)])
    out.mkdir(parents=True, exist_ok=True)
    con.sql(f"""SELECT {', '.join('s.' + name for name in BEBOERE_COLUMNS)}
                FROM {_without_withheld("cells", "withheld_cells", CELL_KEYS)}
                ORDER BY s.afdeling_id, s.aar, CASE s.gruppe WHEN 'beboere' THEN 1 WHEN 'tilflyttere' THEN 2 ELSE 3 END
             """).write_csv(str(out / "beboere.csv"), header=True, sep=",")
    con.sql(f"""SELECT s.* FROM {_without_withheld("moves_agg", "withheld_moves", MOVE_KEYS)}
                ORDER BY s.aar, s.fra, s.til""").write_csv(str(out / "flytninger.csv"), header=True, sep=",")
    con.close()
    cells_withheld, moves_withheld = counts["beboere"], counts["flytninger"]
    return AggregateReport(len(cells) - cells_withheld, cells_withheld, len(move_rows) - moves_withheld,
                           moves_withheld, len(secondary))


def _u(*parts: str) -> str:
    """A uniform number in [0, 1) from a hash of the parts: reproducible on any number of threads."""
    return f"(hash({', '.join(parts)}) % 1000000) / 1000000.0"


def synth(out: Path, persons: int, years: tuple[int, int], afdelinger: list[str], seed: int = 2017,
          fmt: str = "parquet", memory_limit: str = "1500MB", threads: int | None = None) -> tuple[Path, Path]:
    """Seeded synthetic microdata: ``persons`` persons living in the given afdelinger each year."""
    con = connect(memory_limit, threads)
    out.mkdir(parents=True, exist_ok=True)
    con.execute("CREATE TEMP TABLE afd AS SELECT unnest(?) AS afdeling_id, generate_subscripts(?, 1) - 1 AS nr",
                [afdelinger, afdelinger])
    n_afd = len(afdelinger)
    seed_sql = str(int(seed))  # the numbers below are validated integers; nothing else enters the SQL
    first, last = int(years[0]), int(years[1])
    person_sql = f"""
      SELECT person_id, aar, afd.afdeling_id, husstand_id,
             CAST(floor({_u('person_id', seed_sql, "'alder'")} * 85) AS INTEGER) + (aar - {first}) % 5 AS alder,
             CAST({_u('person_id', 'aar', seed_sql, "'udd'")} < 0.42 + 0.004 * (aar - {first}) AS INTEGER) AS kompetencegivende_uddannelse,
             CAST({_u('person_id', 'aar', seed_sql, "'besk'")} < 0.48 AS INTEGER) AS beskaeftiget,
             CAST({_u('husstand_id', seed_sql, "'iv'")} < 0.28 + 0.005 * (aar - {first}) AS INTEGER) AS ikke_vestlig,
             round((170000 + 110000 * {_u('husstand_id', 'aar', seed_sql, "'ind'")}) * pow(1.02, aar - {first}), -2)
               AS husstandsindkomst
      FROM (SELECT range AS person_id, range // 2 AS husstand_id FROM range({int(persons)})) people
      CROSS JOIN (SELECT range AS aar FROM range({first}, {last + 1})) years
      JOIN afd ON afd.nr = hash(husstand_id, {seed_sql}) % {n_afd}
    """
    move_u = _u("person_id", "aar", seed_sql, "'flyt'")
    move_sql = f"""
      WITH py AS ({person_sql}), ev AS (
        SELECT person_id, aar, py.afdeling_id, {move_u} AS u, dest.afdeling_id AS anden
        FROM py JOIN afd dest ON dest.nr = hash(person_id, aar, {seed_sql}, 'til') % {n_afd})
      SELECT person_id, aar, afdeling_id AS fra_afdeling,
             CASE WHEN u < 0.066 THEN anden END AS til_afdeling,
             true AS fra_almen, u < 0.066 AS til_almen
      FROM ev WHERE u < 0.12
      UNION ALL
      SELECT person_id, aar, NULL, afdeling_id, false, true FROM ev WHERE u >= 0.12 AND u < 0.165
    """
    suffix = ".parquet" if fmt == "parquet" else ".csv"
    person_path, move_path = out / f"personer{suffix}", out / f"flytninger{suffix}"
    for sql, path in ((person_sql, person_path), (move_sql, move_path)):
        relation = con.sql(f"{sql} ORDER BY aar, person_id")
        if fmt == "parquet":
            relation.write_parquet(str(path), compression="zstd")
        else:
            relation.write_csv(str(path), header=True, sep=",")
    con.close()
    return person_path, move_path
