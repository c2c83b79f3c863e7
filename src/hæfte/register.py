"""The register stage: person-level microdata in, the aggregates of the data contract out.

This is the step an analyst runs on Statistics Denmark's research servers, where the
microdata live. It runs in DuckDB, out of core, so a national population fits on one machine.

In:  person-years (``person_id, aar, afdeling_id, husstand_id, alder, kompetencegivende_uddannelse,
     beskaeftiget, ikke_vestlig, husstandsindkomst``) and moves (``person_id, aar, fra_afdeling,
     til_afdeling, fra_almen, til_almen``), as Parquet or CSV.
Out: ``beboere.csv`` and ``flytninger.csv`` in the format of ``data/register/`` (n on every
     cell), after disclosure control: a row with any count, or any count's complement, of
     1 to min−1 persons is withheld whole, and the number withheld is reported.

``synth`` makes seeded synthetic microdata of any size with the booklet's findings (no effect of
the tools on the social mix; about 40 pct. of moves between two almene afdelinger). Its random
numbers come from hashes of (person, year, purpose), so the same seed gives the same data on any
number of threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hæfte.errors import DataError

PERSON_COLUMNS = ("person_id", "aar", "afdeling_id", "husstand_id", "alder", "kompetencegivende_uddannelse",
                  "beskaeftiget", "ikke_vestlig", "husstandsindkomst")
MOVE_COLUMNS = ("person_id", "aar", "fra_afdeling", "til_afdeling", "fra_almen", "til_almen")
BEBOERE_COLUMNS = ("afdeling_id", "aar", "gruppe", "personer", "voksne", "kompetencegivende_uddannelse",
                   "beskaeftigede", "ikke_vestlig_oprindelse", "husstande", "husstandsindkomst_gns",
                   "husstandsindkomst_median")


def connect(memory_limit: str = "1500MB", threads: int | None = None):
    import duckdb

    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def _source(path: Path) -> str:
    path = Path(path)
    if not path.exists():
        raise DataError(str(path), "filen findes ikke")
    quoted = str(path).replace("'", "''")
    if path.suffix == ".parquet" or path.is_dir():
        pattern = f"{quoted}/*.parquet" if path.is_dir() else quoted
        return f"read_parquet('{pattern}')"
    if path.suffix == ".csv":
        return f"read_csv('{quoted}', header = true)"
    raise DataError(str(path), "kun Parquet (.parquet) eller CSV (.csv) kan læses")


def _require_columns(con, source: str, path: Path, columns: tuple[str, ...]) -> None:
    found = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    missing = [c for c in columns if c not in found]
    if missing:
        raise DataError(str(path), f"kolonnen mangler: {', '.join(missing)}", row=1, column=missing[0])


AGGREGATE_SQL = """
CREATE OR REPLACE TEMP VIEW p AS SELECT * FROM {persons};
CREATE OR REPLACE TEMP VIEW m AS
  SELECT * FROM {moves} WHERE fra_afdeling IS DISTINCT FROM til_afdeling;   -- internal moves excluded
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


def _small(column: str, minimum: int) -> str:
    return f"({column} BETWEEN 1 AND {minimum - 1})"


@dataclass(frozen=True)
class AggregateReport:
    rows: int
    withheld: int
    moves_rows: int
    moves_withheld: int


def aggregate(persons: Path, moves: Path, out: Path, minimum: int = 5, memory_limit: str = "1500MB",
              threads: int | None = None) -> AggregateReport:
    """Write ``out/beboere.csv`` and ``out/flytninger.csv`` from the microdata."""
    con = connect(memory_limit, threads)
    p_src, m_src = _source(persons), _source(moves)
    _require_columns(con, p_src, persons, PERSON_COLUMNS)
    _require_columns(con, m_src, moves, MOVE_COLUMNS)
    con.execute(AGGREGATE_SQL.format(persons=p_src, moves=m_src))
    counts = ("personer", "voksne", "kompetencegivende_uddannelse", "beskaeftigede", "ikke_vestlig_oprindelse",
              "husstande")
    complements = (("voksne", "kompetencegivende_uddannelse"), ("voksne", "beskaeftigede"),
                   ("personer", "ikke_vestlig_oprindelse"))
    unsafe = " OR ".join([_small(c, minimum) for c in counts] +
                         [_small(f"{base} - {part}", minimum) for base, part in complements])
    total = con.execute("SELECT count(*) FROM cells").fetchone()[0]
    out.mkdir(parents=True, exist_ok=True)
    target = str(out / "beboere.csv").replace("'", "''")
    con.execute(f"""COPY (SELECT {', '.join(BEBOERE_COLUMNS)} FROM cells WHERE NOT ({unsafe})
                    ORDER BY afdeling_id, aar, CASE gruppe WHEN 'beboere' THEN 1 WHEN 'tilflyttere' THEN 2 ELSE 3 END)
                    TO '{target}' (HEADER, DELIMITER ',')""")
    kept = con.execute(f"SELECT count(*) FROM cells WHERE NOT ({unsafe})").fetchone()[0]
    con.execute(f"CREATE OR REPLACE TEMP TABLE moves_agg AS {MOVES_SQL}")
    moves_total = con.execute("SELECT count(*) FROM moves_agg").fetchone()[0]
    target = str(out / "flytninger.csv").replace("'", "''")
    con.execute(f"""COPY (SELECT * FROM moves_agg WHERE NOT {_small('flytninger', minimum)}
                    ORDER BY aar, fra, til) TO '{target}' (HEADER, DELIMITER ',')""")
    moves_kept = con.execute(f"SELECT count(*) FROM moves_agg WHERE NOT {_small('flytninger', minimum)}").fetchone()[0]
    con.close()
    return AggregateReport(kept, total - kept, moves_kept, moves_total - moves_kept)


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
    s = int(seed)
    first, last = years
    person_sql = f"""
      SELECT person_id, aar, afd.afdeling_id, husstand_id,
             CAST(floor({_u('person_id', str(s), "'alder'")} * 85) AS INTEGER) + (aar - {first}) % 5 AS alder,
             CAST({_u('person_id', 'aar', str(s), "'udd'")} < 0.42 + 0.004 * (aar - {first}) AS INTEGER) AS kompetencegivende_uddannelse,
             CAST({_u('person_id', 'aar', str(s), "'besk'")} < 0.48 AS INTEGER) AS beskaeftiget,
             CAST({_u('husstand_id', str(s), "'iv'")} < 0.28 + 0.005 * (aar - {first}) AS INTEGER) AS ikke_vestlig,
             round((170000 + 110000 * {_u('husstand_id', 'aar', str(s), "'ind'")}) * pow(1.02, aar - {first}), -2)
               AS husstandsindkomst
      FROM (SELECT range AS person_id, range // 2 AS husstand_id FROM range({int(persons)})) people
      CROSS JOIN (SELECT range AS aar FROM range({first}, {last + 1})) years
      JOIN afd ON afd.nr = hash(husstand_id, {s}) % {n_afd}
    """
    move_u = _u("person_id", "aar", str(s), "'flyt'")
    move_sql = f"""
      WITH py AS ({person_sql}), ev AS (
        SELECT person_id, aar, py.afdeling_id, {move_u} AS u, dest.afdeling_id AS anden
        FROM py JOIN afd dest ON dest.nr = hash(person_id, aar, {s}, 'til') % {n_afd})
      SELECT person_id, aar, afdeling_id AS fra_afdeling,
             CASE WHEN u < 0.066 THEN anden END AS til_afdeling,
             true AS fra_almen, u < 0.066 AS til_almen
      FROM ev WHERE u < 0.12
      UNION ALL
      SELECT person_id, aar, NULL, afdeling_id, false, true FROM ev WHERE u >= 0.12 AND u < 0.165
    """
    suffix = ".parquet" if fmt == "parquet" else ".csv"
    options = "(FORMAT parquet, COMPRESSION zstd)" if fmt == "parquet" else "(HEADER, DELIMITER ',')"
    person_path, move_path = out / f"personer{suffix}", out / f"flytninger{suffix}"
    con.execute(f"COPY ({person_sql} ORDER BY aar, person_id) TO '{person_path}' {options}")
    con.execute(f"COPY ({move_sql} ORDER BY aar, person_id) TO '{move_path}' {options}")
    con.close()
    return person_path, move_path
