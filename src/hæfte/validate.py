"""Hold the raw tables to the data contract and return typed tables.

In:  ``RawData`` from ``load`` (text cells, the dialect of each file, fact dicts).
Out: ``Tables``: typed pandas frames indexed by spreadsheet row, the codebook and validated
     fact models; or a ``DataError`` naming file, row and column of the first problem.

Normalisation (documented in data/README.md): categorical answers are matched without regard
to case and surrounding spaces ("ja " -> "Ja"); numbers in a semicolon file use decimal comma
and may use "." between thousands. Everything else that breaks the contract is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa
from pydantic import ValidationError

from hæfte import contract as c
from hæfte.errors import DataError
from hæfte.load import RawData, RawTable


@dataclass(frozen=True)
class Tables:
    codebook: pd.DataFrame
    kommuner: pd.DataFrame
    helhedsplaner: pd.DataFrame
    afdelinger: pd.DataFrame
    beboere: pd.DataFrame
    flytninger: pd.DataFrame
    program: c.Program
    cases: c.Cases
    publication: c.Publication
    paths: dict[str, str]  # table name -> file as shown to the user


_DANISH_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+(,\d+)?$")


def _danish_to_plain(value: str) -> str:
    if _DANISH_NUMBER.match(value):
        return value.replace(".", "").replace(",", ".")
    return value


def normalise(raw: RawTable, schema: pa.DataFrameSchema) -> pd.DataFrame:
    frame = raw.frame.copy()
    for name, col in schema.columns.items():
        if name not in frame.columns:
            continue
        kind = getattr(col, "answer_kind", None)
        if kind:
            canonical = {v.casefold(): v for v in c.CATEGORICAL[kind]}
            frame[name] = [canonical.get(str(v).strip().casefold(), v) for v in frame[name]]
        elif raw.decimal_comma and str(col.dtype) in ("int64", "float64"):
            frame[name] = [_danish_to_plain(v) for v in frame[name]]
    return frame


def _problem(check: str, failure, column: str | None, decimal_comma: bool) -> tuple[str, str | None]:
    """Translate one pandera failure into (Danish problem, column)."""
    if check == "column_in_schema":
        return "uventet kolonne (ikke i datakontrakten)", str(failure)
    if check == "column_in_dataframe":
        return "kolonnen mangler", str(failure)
    if check.startswith("coerce_dtype") or check.startswith("dtype("):
        kind = "et heltal" if "int" in check else "et tal"
        hint = "" if decimal_comma or "," not in str(failure) else " (decimalkomma i en kommasepareret fil?)"
        return f"'{failure}' er ikke {kind}{hint}", column
    return check.replace("{value}", f"'{failure}'"), column


def _raise_first(errors: pa.errors.SchemaErrors, raw: RawTable, key: tuple[str, ...]) -> None:
    cases = errors.failure_cases
    # a failed type conversion makes later checks on that column fail with a TypeError: drop those
    cases = cases[~cases["failure_case"].astype(str).str.startswith("TypeError(")]
    structural = cases[cases["check"].isin(["column_in_schema", "column_in_dataframe"])]
    chosen = structural if len(structural) else cases
    order = {name: i for i, name in enumerate(raw.frame.columns)}
    chosen = chosen.assign(
        _row=pd.to_numeric(chosen["index"], errors="coerce"),
        _col=[order.get(col if isinstance(col, str) else "", -1) for col in chosen["column"]],
    ).sort_values(["_row", "_col"], kind="stable", na_position="last")
    first = chosen.iloc[0]
    check = str(first["check"])
    column = first["column"] if isinstance(first["column"], str) else None
    row = None if pd.isna(first["_row"]) else int(first["_row"])
    if check in ("field_uniqueness", "multiple_fields_uniqueness"):
        cols = [column] if check == "field_uniqueness" else list(key)
        dup = chosen[chosen["check"] == check]
        rows = sorted(int(r) for r in dup["_row"].dropna().unique())
        shown = "/".join(str(raw.frame.loc[rows[0], c]) for c in cols)
        problem = f"dubleret nøgle '{shown}'" + ("" if len(cols) == 1 else f" ({', '.join(cols)})")
        problem += f" (også i række {rows[0]})"
        column, row = cols[-1], rows[1] if len(rows) > 1 else rows[0]
        chosen = chosen[chosen["check"] != check]
        more = len(chosen.drop_duplicates(["_row", "column"]))
        raise DataError(raw.path, problem, row=row, column=column, more=more)
    if first["schema_context"] == "DataFrameSchema" and ": " in check:
        # a check across columns, declared as 'column: problem'; pandera lists every cell of the row
        column, problem = check.split(": ", 1)
        more = len(chosen.drop_duplicates(["_row", "check"])) - 1
        raise DataError(raw.path, problem, row=row, column=column, more=more)
    failure = first["failure_case"]
    if row is not None and column in raw.frame.columns:
        failure = raw.frame.loc[row, column]  # as written in the file, not as converted
    problem, column = _problem(check, failure, column, raw.decimal_comma)
    if row is None and check in ("column_in_schema", "column_in_dataframe"):
        row = 1
    more = len(chosen.drop_duplicates(["_row", "column"])) - 1
    raise DataError(raw.path, problem, row=row, column=column, more=more)


def check_table(raw: RawTable, contract: c.TableContract) -> pd.DataFrame:
    frame = normalise(raw, contract.columns)
    try:
        typed = contract.columns.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        _raise_first(errors, raw, contract.key)
    if contract.relations is not None:
        try:
            contract.relations.validate(typed, lazy=True)
        except pa.errors.SchemaErrors as errors:
            _raise_first(errors, raw, contract.key)
    return typed


_PYDANTIC_DA = {
    "missing": lambda e: "nøglen mangler",
    "extra_forbidden": lambda e: "ukendt nøgle (ikke i datakontrakten)",
    "int_parsing": lambda e: f"'{e.get('input')}' er ikke et heltal",
    "int_type": lambda e: f"'{e.get('input')}' er ikke et heltal",
    "string_type": lambda e: "skal være tekst",
    "list_type": lambda e: "skal være en liste",
    "dict_type": lambda e: "skal være en ordbog (nøgle: værdi)",
    "greater_than_equal": lambda e: f"skal være mindst {e['ctx']['ge']}",
    "greater_than": lambda e: f"skal være større end {e['ctx']['gt']}",
    "less_than_equal": lambda e: f"må højst være {e['ctx']['le']}",
    "too_short": lambda e: "må ikke være tom",
    "value_error": lambda e: str(e["msg"]).removeprefix("Value error, "),
}


def check_facts(raw: RawData, name: str, path: str):
    model = c.FACT_MODELS[name]
    try:
        return model.model_validate(raw.facts[name])
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p + 1) if isinstance(p, int) else str(p) for p in first["loc"]) or "(rod)"
        more = len(exc.errors()) - 1
        message = _PYDANTIC_DA.get(first["type"], lambda e: e["msg"])(first)
        raise DataError(path, message, key=key, more=more) from None


def _require(condition: bool, path: str, problem: str, row=None, column=None, key=None) -> None:
    if not condition:
        raise DataError(path, problem, row=row, column=column, key=key)


def check_references(t: Tables) -> None:
    """Checks across files: every reference points at something that exists."""
    tools = set(t.codebook.loc[t.codebook["gruppe"] == "redskab", "kode"])
    names = set(t.kommuner["kommune"])
    cases_path = t.paths["cases"]
    for i, case in enumerate(t.cases.cases):
        _require(case.kommune in names, cases_path,
                 f"case-kommunen '{case.kommune}' findes ikke i kommuneskemaet ({t.paths['kommuner']})",
                 key=f"cases[{i + 1}].kommune")
        for tool in case.redskaber:
            _require(tool in tools, cases_path, f"ukendt redskab '{tool}' (ikke i kodebogen)",
                     key=f"cases[{i + 1}].redskaber")
    for tool in t.program.register_redskaber:
        _require(tool in tools, t.paths["program"], f"ukendt redskab '{tool}' (ikke i kodebogen)",
                 key="register_redskaber")
    for g in t.codebook["gruppe"]:
        if g.startswith("grund_"):
            _require(g.split("_", 1)[1] in tools, t.paths["kodebog"], f"gruppen '{g}' nævner et ukendt redskab",
                     row=int(t.codebook.index[t.codebook["gruppe"] == g][0]), column="gruppe")
    known = set(t.afdelinger["afdeling_id"])
    unknown = t.beboere[~t.beboere["afdeling_id"].isin(known)]
    if len(unknown):
        row = int(unknown.index[0])
        raise DataError(t.paths["beboere"], f"afdelingen '{unknown.iloc[0]['afdeling_id']}' findes ikke i "
                        f"{t.paths['afdelinger']}", row=row, column="afdeling_id")
    check_plans_and_afdelinger(t)


def check_plans_and_afdelinger(t: Tables) -> None:
    """The register's afdelinger agree with the helhedsplaner that cover them (data/README.md):

    1. every afdeling's helhedsplan exists in the forretningsfører survey;
    2. an afdeling in a helhedsplan has used a register tool only if its helhedsplan reports
       using that tool in the period;
    3. a helhedsplan that reports using a register tool in the period has at least one
       afdeling in the register that used it.
    Afdelinger outside the helhedsplaner (blank ``helhedsplan_id``) have no survey answer to
    agree with, so their use is not compared with anything.
    """
    afd, plans = t.afdelinger, t.helhedsplaner
    afd_path, plan_path = t.paths["afdelinger"], t.paths["helhedsplaner"]
    plan_ids = set(plans["helhedsplan_id"])
    linked = afd[(afd["helhedsplan_id"] != "") & ~afd["helhedsplan_id"].isin(plan_ids)]
    if len(linked):
        raise DataError(afd_path, f"helhedsplanen '{linked.iloc[0]['helhedsplan_id']}' findes ikke i {plan_path}",
                        row=int(linked.index[0]), column="helhedsplan_id")
    tool_names = dict(zip(t.codebook.loc[t.codebook["gruppe"] == "redskab", "kode"],
                          t.codebook.loc[t.codebook["gruppe"] == "redskab", "tekst"]))
    for tool in t.program.register_redskaber:
        period = f"{tool}_perioden"
        if period not in plans.columns:
            continue  # the forretningsfører survey does not ask about this tool: nothing to compare
        reported = set(plans.loc[plans[period] == c.JA, "helhedsplan_id"])
        name = tool_names.get(tool, tool)
        unreported = afd[(afd[tool] == c.JA) & (afd["helhedsplan_id"] != "") & ~afd["helhedsplan_id"].isin(reported)]
        if len(unreported):
            first = unreported.iloc[0]
            raise DataError(afd_path, f"afdelingen har brugt {name}, men dens helhedsplan '{first['helhedsplan_id']}' "
                            f"har ikke brugt {name} i perioden ifølge {plan_path} (kolonne '{period}')",
                            row=int(unreported.index[0]), column=tool)
        used = set(afd.loc[afd[tool] == c.JA, "helhedsplan_id"])
        silent = plans[(plans[period] == c.JA) & ~plans["helhedsplan_id"].isin(used)]
        if len(silent):
            raise DataError(plan_path, f"helhedsplanen '{silent.iloc[0]['helhedsplan_id']}' har brugt {name} i "
                            f"perioden, men ingen af dens afdelinger har brugt det ifølge {afd_path} (kolonne '{tool}')",
                            row=int(silent.index[0]), column=period)


def validate(raw: RawData) -> Tables:
    """Check every table and fact file against the contract; return typed tables."""
    paths = {name: table.path for name, table in raw.tables.items()}
    paths.update({name: f"data/fakta/{name}.yaml" for name in raw.facts})
    codebook = check_table(raw.tables["kodebog"], c.CODEBOOK)
    program = check_facts(raw, "program", paths["program"])
    tables = Tables(
        codebook=codebook,
        kommuner=check_table(raw.tables["kommuner"], c.kommuner_contract(codebook)),
        helhedsplaner=check_table(raw.tables["helhedsplaner"], c.helhedsplaner_contract(codebook)),
        afdelinger=check_table(raw.tables["afdelinger"], c.afdelinger_contract(program.register_redskaber)),
        beboere=check_table(raw.tables["beboere"], c.BEBOERE),
        flytninger=check_table(raw.tables["flytninger"], c.FLYTNINGER),
        program=program,
        cases=check_facts(raw, "cases", paths["cases"]),
        publication=check_facts(raw, "publikation", paths["publikation"]),
        paths=paths,
    )
    check_references(tables)
    return tables
