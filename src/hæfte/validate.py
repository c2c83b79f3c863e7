"""Hold the raw tables to the data contract and return typed tables.

In:  ``RawData`` from ``load`` (clean text cells or typed numbers, the dialect of each file,
     value labels, fact dicts).
Out: ``Tables``: typed pandas frames indexed by the row number the user sees, the codebook and
     validated fact models; or a ``DataError`` naming file, row and column of the first problem.

Normalisation (documented in data/README.md): categorical answers are matched without regard
to case and surrounding spaces ("ja " -> "Ja"), and a value label (SPSS, Stata) stands for its
code; numbers follow the file's convention (decimal comma and "." between thousands in a
semicolon file, decimal point and no thousands separator otherwise), and a number that could be
read two ways ("236.400" in a comma file) is refused, never guessed. Keys differing only in case
are duplicates. Everything else that breaks the contract is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pydantic import ValidationError

from hæfte import contract as c
from hæfte import format as fmt
from hæfte.errors import DataError
from hæfte.project import fact_source
from hæfte.load import RawData, RawTable
from hæfte.memo import Memo
from hæfte.rawtable import Percent
from hæfte.statfiles import code_text


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
_POINT_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_POINT_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}(\.\d{3})+$")  # "236.400", "1.234.567"
_SPACE_THOUSANDS = re.compile(r"^-?[1-9]\d{0,2}( \d{3})+([.,]\d+)?$")  # "539 500": unambiguous
_MISSING_WORDS = {"nan", "inf", "infinity", "na", "n/a", "#n/a", "null", "none", "."}  # what exports write for "no value"
_EXPONENT = re.compile(r"^-?\d+([.,]\d+)?[eE][+-]?\d+$")
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")  # the one form a number reaches the contract in


def _python_reads(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _number_text(value: int | float | Decimal) -> str:
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return code_text(value) if isinstance(value, float) else str(value)


def plain_number(value, decimal_comma: bool, percent: bool, kind: str = "et tal") -> str | tuple[str]:
    """The number as pandas reads it ('236400', '20.4'), or a 1-tuple with the reason it is refused."""
    if isinstance(value, Percent):
        if not percent:
            shown = fmt.number(value, 0 if value == value.to_integral_value() else 1)
            return (f"cellen er formateret som procent ({shown} %), men kolonnen er ikke en andel i procent",)
        return _number_text(value)
    if not isinstance(value, str):
        return _number_text(value)
    if value.isdigit() and value.isascii():  # most cells: a whole number, read the same in every convention
        return value
    text = value.replace("\u2212", "-")  # a typographic minus
    if not text.isascii():  # Python would read "١٢٣" and "１２３" as 123
        return (f"'{value}' indeholder andre tegn end cifrene 0–9",)
    if text.strip("+-").casefold() in _MISSING_WORDS:
        return (f"'{value}' er ikke et tal; kolonnen skal have en værdi i hver række",)
    if text.endswith("%"):
        if not percent:
            return (f"'{value}' har et procenttegn, men kolonnen er ikke en andel i procent",)
        text = text[:-1].rstrip()
    if _EXPONENT.match(text):
        return (f"'{value}' er skrevet med eksponent; Excel skriver store tal sådan i for smalle kolonner og "
                "mister cifre: formatér kolonnen som tal med alle cifre",)
    if _SPACE_THOUSANDS.match(text):
        text = text.replace(" ", "")
    if decimal_comma:
        if _DANISH_NUMBER.match(text):
            return text.replace(".", "").replace(",", ".")
        if _POINT_DECIMAL.match(text):
            return (f"'{value}' har decimalpunktum, men filen er en dansk eksport (semikolon) med decimalkomma: "
                    f"skriv {text.replace('.', ',')}",)
    elif _POINT_THOUSANDS.match(text):
        whole = text.replace(".", "")
        if text.count(".") > 1:
            return (f"'{value}' har punktum mellem tusinder, men i denne fil er punktum decimaltegn: skriv {whole} "
                    "uden tusindtalsskilletegn",)
        decimals = len(text.rsplit(".", 1)[1].rstrip("0"))
        return (f"'{value}' ligner et tal med tusindtalspunktum, men i denne fil er punktum decimaltegn, så det "
                f"ville blive læst som {fmt.number(Decimal(text), decimals)}: skriv {whole} uden tusindtalsskilletegn",)
    if not _PLAIN.match(text) and _python_reads(text):  # int() and float() also read "10_00", ".5", "5." and "+5"
        return (f"'{value}' er ikke {kind}",)
    return text  # a text that is no number at all: pandera names it, with a hint for "22,1" in a comma file


def _as_text(value) -> str:
    return value if isinstance(value, str) else _number_text(value)


def _each_text_once(cells: pd.Series, convert) -> list:
    """``convert`` of every cell, called once per distinct text: a column repeats its codes, years
    and answers thousands of times. Only text is shared (numbers a format typed are converted one by
    one, as 1, 1.0 and Decimal("1") are equal keys but read differently)."""
    values = cells.to_numpy()
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # every CSV: pandas groups the texts
        codes, texts = pd.factorize(values)
        converted = np.empty(len(texts), dtype=object)
        for k, text in enumerate(texts):
            converted[k] = convert(text)  # one by one: a refusal is a tuple, which must stay one cell
        return converted[codes].tolist()
    known = {text: convert(text) for text in {cell for cell in values if isinstance(cell, str)}}
    return [known[cell] if isinstance(cell, str) else convert(cell) for cell in values]


def normalise(raw: RawTable, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Bring every cell to the form its column's check expects, or stop at the first cell that can't be."""
    frame = raw.frame
    columns: dict[str, pd.Series | list] = {}
    problems: list[tuple[int, int, str, str]] = []
    for j, name in enumerate(frame.columns):
        col = schema.columns.get(name)
        if col is None:  # not in the contract: pandera names it
            columns[name] = frame[name]
            continue
        kind = getattr(col, "answer_kind", None)
        if str(col.dtype) in ("int64", "float64"):
            percent = getattr(col, "percent", False)
            what = "et heltal" if str(col.dtype) == "int64" else "et tal"
            values = _each_text_once(frame[name], lambda v: plain_number(v, raw.decimal_comma, percent, what))
            if tuple in set(map(type, values)):  # a refused number
                problems += [(row, j, name, out[0]) for row, out in zip(frame.index, values)
                             if isinstance(out, tuple)]
            columns[name] = values
        elif kind:
            canonical = {v.casefold(): v for v in c.CATEGORICAL[kind]}
            labels = raw.labels.get(name, {}) if kind != "valg" else {}  # 1/0 are the codes themselves

            def answer(value, canonical=canonical, labels=labels):
                t = _as_text(value)
                return canonical.get(labels.get(t, t).strip().casefold(), labels.get(t, t))
            columns[name] = _each_text_once(frame[name], answer)
        else:
            columns[name] = _each_text_once(frame[name], _as_text)
    if problems:
        row, _, column, problem = min(problems)
        raise DataError(raw.path, problem, row=row, column=column, more=len(problems) - 1)
    return pd.DataFrame(columns, index=frame.index)


def _written(raw: RawTable, row: int, column: str) -> str:
    """A cell as the user wrote it, quoted; a labelled code with its label: "'Uoplyst' (kode 9)"."""
    value = _as_text(raw.frame.loc[row, column])
    label = raw.labels.get(column, {}).get(value)
    return f"'{label}' (kode {value})" if label is not None else f"'{value}'"


def _problem(check: str, failure: str, column: str | None, decimal_comma: bool) -> tuple[str, str | None]:
    """Translate one pandera failure (``failure`` quoted as written) into (Danish problem, column)."""
    if check == "column_in_schema":
        return "uventet kolonne (ikke i datakontrakten)", failure.strip("'")
    if check == "column_in_dataframe":
        return "kolonnen mangler", failure.strip("'")
    if check.startswith("coerce_dtype") or check.startswith("dtype("):
        kind = "et heltal" if "int" in check else "et tal"
        hint = "" if decimal_comma or "," not in str(failure) else " (decimalkomma i en kommasepareret fil?)"
        return f"{failure} er ikke {kind}{hint}", column
    if check == "not_nullable":
        return "mangler værdi", column
    return check.replace("{value}", failure), column


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
        shown = "/".join(_as_text(raw.frame.loc[rows[0], c]) for c in cols)
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
    failure = f"'{first['failure_case']}'"
    if row is not None and column in raw.frame.columns:
        failure = _written(raw, row, column)  # as written in the file, not as converted
    problem, column = _problem(check, failure, column, raw.decimal_comma)
    if row is None and check in ("column_in_schema", "column_in_dataframe"):
        row = raw.header_row
    more = len(chosen.drop_duplicates(["_row", "column"])) - 1
    raise DataError(raw.path, problem, row=row, column=column, more=more)


# A table is checked once per process for the same cells and contract (``hæfte.memo``): the
# preview's rebuild after one data file was saved, a notebook's rerun and the tests check the
# other files as they were. The contract is kept with its table, so no other contract can take
# its place at the same address (``id``) while the entry lives. Callers get a copy to change.
# Twelve: the six tables and a few earlier versions of the ones being edited.
_checked: Memo[tuple[c.TableContract, pd.DataFrame]] = Memo(size=12, copy=lambda kept: (kept[0], kept[1].copy()))


def check_table(raw: RawTable, contract: c.TableContract) -> pd.DataFrame:
    inputs = (id(contract), raw.name, raw.path, raw.frame, raw.decimal_comma, raw.header_row, raw.labels)
    return _checked.get(inputs, lambda: (contract, _check_table(raw, contract)))[1]


def _check_table(raw: RawTable, contract: c.TableContract) -> pd.DataFrame:
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
    _check_identities(typed, raw, contract)
    return typed


def _check_identities(typed: pd.DataFrame, raw: RawTable, contract: c.TableContract) -> None:
    """Keys that differ only in case are one identity ('HP001', 'hp001'); pandera has already
    refused exact duplicates, and load has already made spaces and Unicode form alike."""
    keys = [contract.key] + [(n,) for n, col in contract.columns.columns.items() if col.unique and (n,) != contract.key]
    for cols in keys:
        text = [k for k in cols if str(contract.columns.columns[k].dtype) not in ("int64", "float64")]
        if not text:
            continue
        folded = typed[list(cols)].astype(str).apply(lambda s: s.str.casefold() if s.name in text else s)
        twice = folded[folded.duplicated(keep=False)]
        if twice.empty:
            continue
        rows = [int(r) for r in twice.index[(twice == twice.iloc[0]).all(axis=1)]]
        first, second = ("/".join(str(typed.loc[r, k]) for k in cols) for r in rows[:2])
        problem = f"dubleret nøgle '{second}'" + ("" if len(cols) == 1 else f" ({', '.join(cols)})")
        problem += f" (også i række {rows[0]} som '{first}'; store og små bogstaver tæller ikke)"
        raise DataError(raw.path, problem, row=rows[1], column=cols[-1], more=len(twice) - 2)


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
    "string_too_short": lambda e: "må ikke være tom",
    "string_too_long": lambda e: f"er for lang: højst {e['ctx']['max_length']} tegn, ikke {len(e['input'])}",
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


def check_references(tables: Tables) -> None:
    """Checks across files: every reference points at something that exists."""
    tools = set(tables.codebook.loc[tables.codebook["gruppe"] == "redskab", "kode"])
    names = set(tables.kommuner["kommune"])
    cases_path = tables.paths["cases"]
    for i, case in enumerate(tables.cases.cases):
        _require(case.kommune in names, cases_path,
                 f"casekommunen '{case.kommune}' findes ikke i kommuneskemaet ({tables.paths['kommuner']})",
                 key=f"cases[{i + 1}].kommune")
        for tool in case.redskaber:
            _require(tool in tools, cases_path, f"ukendt redskab '{tool}' (ikke i kodebogen)",
                     key=f"cases[{i + 1}].redskaber")
    for tool in tables.program.register_redskaber:
        _require(tool in tools, tables.paths["program"], f"ukendt redskab '{tool}' (ikke i kodebogen)",
                 key="register_redskaber")
    for g in tables.codebook["gruppe"]:
        if g.startswith("grund_"):
            _require(g.split("_", 1)[1] in tools, tables.paths["kodebog"], f"gruppen '{g}' nævner et ukendt redskab",
                     row=int(tables.codebook.index[tables.codebook["gruppe"] == g][0]), column="gruppe")
    known = set(tables.afdelinger["afdeling_id"])
    unknown = tables.beboere[~tables.beboere["afdeling_id"].isin(known)]
    if len(unknown):
        row = int(unknown.index[0])
        raise DataError(tables.paths["beboere"], f"afdelingen '{unknown.iloc[0]['afdeling_id']}' findes ikke i "
                        f"{tables.paths['afdelinger']}", row=row, column="afdeling_id")
    check_plans_and_afdelinger(tables)
    check_routing(tables)


def check_plans_and_afdelinger(tables: Tables) -> None:
    """The register's afdelinger agree with the helhedsplaner that cover them (data/README.md):

    1. every afdeling's helhedsplan exists in the forretningsfører survey;
    2. an afdeling in a helhedsplan has used a register tool only if its helhedsplan reports
       using that tool in the period;
    3. a helhedsplan that reports using a register tool in the period has at least one
       afdeling in the register that used it.
    Afdelinger outside the helhedsplaner (blank ``helhedsplan_id``) have no survey answer to
    agree with, so their use is not compared with anything.
    """
    afd, plans = tables.afdelinger, tables.helhedsplaner
    afd_path, plan_path = tables.paths["afdelinger"], tables.paths["helhedsplaner"]
    plan_ids = set(plans["helhedsplan_id"])
    linked = afd[(afd["helhedsplan_id"] != "") & ~afd["helhedsplan_id"].isin(plan_ids)]
    if len(linked):
        raise DataError(afd_path, f"helhedsplanen '{linked.iloc[0]['helhedsplan_id']}' findes ikke i {plan_path}",
                        row=int(linked.index[0]), column="helhedsplan_id")
    tool_names = c.codebook_labels(tables.codebook, "redskab")
    for tool in tables.program.register_redskaber:
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


def check_routing(tables: Tables) -> None:
    """Every answer comes from someone the question was put to (the codebook's ``spurgt``): an
    assessment of a tool from a user of it, a reason for not using it from a non-user. A user
    answered »Ja« to the tool in the period or today, a non-user »Nej« to both; a blank or »Ved
    ikke« decides nothing. Otherwise an answer routed past would enter a base it is not in."""
    codebook = tables.codebook
    tools = c.codebook_labels(codebook, "redskab")
    for survey in ("kommuner", "helhedsplaner"):
        frame, path = getattr(tables, survey), tables.paths[survey]
        routed = codebook[(codebook[survey] == c.JA) & codebook["spurgt"].str.contains(":", regex=False)]
        for _, item in routed.iterrows():
            who, tool = item["spurgt"].split(":", 1)
            name = tools.get(tool, tool)
            column, uses = f"{item['gruppe']}_{item['kode']}", [f"{tool}_perioden", f"{tool}_pt"]
            if column not in frame.columns or not set(uses) <= set(frame.columns):
                continue
            answered = frame[column].fillna("").astype(str).str.strip() != ""
            if who == "brugere":
                wrong = answered & (frame[uses] == c.NEJ).all(axis=1)
                told = f"har svaret »{c.NEJ}« til at have brugt {name} i perioden og i dag"
            else:
                wrong = answered & (frame[uses] == c.JA).any(axis=1)
                told = f"har svaret »{c.JA}« til at have brugt {name} i perioden eller i dag"
            if wrong.any():
                row = int(frame.index[wrong.to_numpy()][0])
                raise DataError(path, f"et svar, der ikke skulle være der: spørgsmålet stilles kun til "
                                f"{who} af {name} (kodebogens 'spurgt': {item['spurgt']}), og "
                                f"respondenten {told} ({' og '.join(uses)})", row=row, column=column)


def check_register_years(tables: Tables) -> None:
    """The register files cover the same unbroken run of years, and it spans the programme period."""
    years = {name: sorted(set(int(y) for y in getattr(tables, name)["aar"])) for name in ("beboere", "flytninger")}
    for name, found in years.items():
        gaps = sorted(set(range(found[0], found[-1] + 1)) - set(found))
        if gaps:
            raise DataError(tables.paths[name], f"årene {fmt.period(found[0], found[-1])} har et hul: "
                            f"{fmt.words([str(g) for g in gaps])} mangler", column="aar")
    resident_years, move_years = years["beboere"], years["flytninger"]
    span = f"{tables.paths['beboere']} dækker {fmt.period(resident_years[0], resident_years[-1])}"
    extra = [y for y in move_years if y not in resident_years]
    if extra:
        row = int(tables.flytninger.index[tables.flytninger["aar"] == extra[0]][0])
        raise DataError(tables.paths["flytninger"], f"året {extra[0]} findes ikke i beboerdata ({span})",
                        row=row, column="aar")
    missing = [y for y in resident_years if y not in move_years]
    if missing:
        raise DataError(tables.paths["flytninger"], f"år mangler: {fmt.words([str(y) for y in missing])} ({span})",
                        column="aar")
    period = tables.program.periode
    if resident_years[0] > period.start or resident_years[-1] < period.slut:
        raise DataError(tables.paths["beboere"],
                        f"registerårene {fmt.period(resident_years[0], resident_years[-1])} dækker ikke "
                        f"programperioden {fmt.period(period.start, period.slut)} ({tables.paths['program']}): "
                        f"sammenligningen før og efter kræver data fra {period.start} eller før til {period.slut} "
                        "eller senere", column="aar")


def validate(raw: RawData) -> Tables:
    """Check every table and fact file against the contract; return typed tables.

    The tables are checked one by one in the contract's order, each as it is read: the first
    broken one stops the run before the tables after it are read. The checks across tables
    come last, when every table has passed its own."""
    paths = dict(raw.paths)
    paths.update({name: fact_source(name) for name in raw.facts})
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
    check_register_years(tables)
    return tables
