"""The data contract, declared as pandera schemas (tables) and pydantic models (facts).

In:  the codebook (``data/kodebog.csv``), which lists the tools, goals, target groups, attitude
     items and reasons for non-use, and which survey asks each.
Out: one ``TableContract`` per table: a column schema (types, allowed answers, ranges, keys)
     and a schema of checks across columns; ``data/README.md`` renders the same declarations.

The survey schemas are built from the codebook, so a new tool or goal is a new codebook row and
new columns, not new code. Danish descriptions on every column feed the README and the errors.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar

import pandas as pd
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from hæfte import format as fmt
from hæfte.errors import DataError
from hæfte.project import fact_source
from hæfte.rawtable import HIDDEN_CATEGORIES, character_name

JA, NEJ, VED_IKKE = "Ja", "Nej", "Ved ikke"
BRUG = (JA, NEJ, VED_IKKE, "")  # tool use, særaftale: blank = not answered
JA_NEJ = (JA, NEJ)
JA_NEJ_TOM = (JA, NEJ, "")
VALG = ("1", "0", "")  # multiple choice: ticked, not ticked, not asked
LIKERT = ("I høj grad", "I nogen grad", "I ringe grad", "Slet ikke", VED_IKKE, "")
LIKERT_POSITIVE = ("I høj grad", "I nogen grad")
LIKERT_NEGATIVE = ("I ringe grad", "Slet ikke")
GRUPPER = ("beboere", "tilflyttere", "fraflyttere")
BOLIGTYPER = ("almen afdeling", "anden bolig")

# Categorical columns are matched without regard to case and surrounding spaces ("ja " -> "Ja");
# any other spelling is an error. See data/README.md, "Normalisering".
CATEGORICAL = {"brug": BRUG, "ja_nej": JA_NEJ, "ja_nej_tom": JA_NEJ_TOM, "valg": VALG,
               "likert": LIKERT, "gruppe": GRUPPER, "boligtype": BOLIGTYPER}


# What pandera checks a ``str`` column as: with pandas 3 its text dtype (STRING), with pandas 2
# (no text dtype by default: text is ``object``) a check of every cell (NpString).
_PANDERA_STR = type(pandas_engine.Engine.dtype(str))


class _Text(_PANDERA_STR):
    """pandas' text dtype (``str``), checked once per column.

    pandera (0.35) checks a ``str`` column cell by cell even when the column has the text dtype,
    and formats a report of failures it then throws away: half the time validation took.
    ``validate.normalise`` gives every text column the text dtype, so comparing the dtypes is the
    whole check; a column of another dtype (``object`` under pandas 2) is still checked cell by
    cell, as pandera does."""

    def check(self, pandera_dtype, data_container=None):
        try:
            same = pandas_engine.Engine.dtype(pandera_dtype).type == self.type
        except TypeError:
            same = False
        return True if same else super().check(pandera_dtype, data_container)


TEXT = _Text()


def _shown(values) -> str:
    named = [f"'{v}'" for v in values if v]
    tail = " eller tom" if "" in values else ""
    return ", ".join(named) + tail


def answer(kind: str, description: str) -> pa.Column:
    values = CATEGORICAL[kind]
    col = pa.Column(TEXT, pa.Check.isin(values, error=f"ukendt værdi {{value}} (gyldige: {_shown(values)})"),
                    description=description)
    col.answer_kind = kind  # read by validate.normalise
    return col


# Plausible ranges, in one place: what a Danish municipality, housing department or household can be.
YEARS = (1980, 2050)
PERSONS_IN_AFDELING = 50_000  # the largest almene afdelinger house a few thousand people
INCOME_KR = (10_000, 5_000_000)  # a household's income in a year
YEAR_WORD = "årstal"


def range_text(low: float, high: float, what: str) -> str:
    """'1.000–1.000.000'; years without a thousands separator: '1980–2050'."""
    show = fmt.year if what == YEAR_WORD else fmt.number
    return f"{show(low)}{fmt.EN_DASH}{show(high)}"


def plausible(low: float, high: float, what: str) -> pa.Check:
    """The range a real value of the column lies in; a value outside it is a unit or typing error
    ("236.400" read as 236,4 kr.), so the build stops and the message names the range."""
    return pa.Check.in_range(low, high, error=f"{{value}} ligger uden for det plausible område for {what}: "
                                              f"{range_text(low, high, what)}")


def _ranged(dtype: str, description: str, low: float, high: float, what: str, unique: bool = False) -> pa.Column:
    col = pa.Column(dtype, plausible(low, high, what), coerce=True, unique=unique, description=description)
    col.plausible = (low, high, what)  # read by the README table
    return col


def integer(description: str, low: int, high: int, what: str, unique: bool = False) -> pa.Column:
    return _ranged("int64", description, low, high, what, unique)


def decimal(description: str, low: float, high: float, what: str) -> pa.Column:
    return _ranged("float64", description, low, high, what)


def share(description: str) -> pa.Column:
    """A share in percent, 0–100; a cell formatted as percent in Excel (20,4 %) or written '20,4 %' is read as 20.4."""
    col = decimal(description, 0, 100, "en andel i procent")
    col.percent = True  # read by validate.normalise
    return col


def year(description: str) -> pa.Column:
    return _ranged("int64", description, *YEARS, YEAR_WORD)


def persons(description: str) -> pa.Column:
    return integer(description, 0, PERSONS_IN_AFDELING, "personer i en afdeling")


def income(description: str) -> pa.Column:
    return decimal(description, *INCOME_KR, "en husstandsindkomst i kr. om året")


def text(description: str, unique: bool = False, required: bool = True, pattern: str | None = None) -> pa.Column:
    checks = []
    if required:
        checks.append(pa.Check(lambda s: s.str.len() > 0, element_wise=False, error="mangler værdi"))
    if pattern:
        checks.append(pa.Check.str_matches(pattern, error=f"{{value}} har ikke formen {pattern}"))
    return pa.Column(TEXT, checks, unique=unique, description=description)


def at_most(column: str, limit: str, what: str) -> pa.Check:
    """A check across columns; its error names the column it blames first ('col: ...')."""
    return pa.Check(lambda df: df[column] <= df[limit], error=f"{column}: større end {what} ('{limit}')")


@dataclass(frozen=True)
class TableContract:
    name: str
    title: str
    description: str
    columns: pa.DataFrameSchema
    relations: pa.DataFrameSchema | None = None
    key: tuple[str, ...] = ()


# ---------------------------------------------------------------- codebook
CODEBOOK = TableContract(
    "kodebog", "Kodebog",
    "Spørgeskemaernes emner: redskaber, målsætninger, målgrupper, vurderinger og begrundelser.",
    pa.DataFrameSchema({
        "gruppe": text("emnegruppe: redskab, maal, maalgruppe, vurdering eller grund_<redskab>",
                       pattern=r"^(redskab|maal|maalgruppe|vurdering|grund_[a-z]+)$"),
        "kode": text("kort kode; indgår i kolonnenavnene", pattern=r"^[a-z][a-z0-9_]*$"),
        "tekst": text("dansk tekst, som den bruges i hæftet"),
        "kommuner": answer("ja_nej", "Ja hvis emnet er med i kommuneskemaet"),
        "helhedsplaner": answer("ja_nej", "Ja hvis emnet er med i forretningsførerskemaet"),
        "spurgt": text("hvem blev spurgt: alle, brugere:<redskab> eller ikke-brugere:<redskab>",
                       pattern=r"^(alle|brugere:[a-z]+|ikke-brugere:[a-z]+)$"),
        "type": text("for vurderinger: hvad der vurderes; for begrundelser: behov, mulighed, oensket, "
                     "besvaer eller virkning", required=False),
        "kort": pa.Column(TEXT, required=False, description="kort form til lister i teksten (et mål eller en "
                          "begrundelse uden indledende 'at'); tom eller udeladt: som 'tekst'"),
    }, strict=True, unique=["gruppe", "kode"], ordered=False),
    key=("gruppe", "kode"),
)


def codebook_labels(codebook: pd.DataFrame, group: str) -> dict[str, str]:
    """Code -> Danish text (the long form) for one codebook group (codes repeat across groups)."""
    rows = codebook[codebook["gruppe"] == group]
    return dict(zip(rows["kode"], rows["tekst"]))


def codebook_items(codebook: pd.DataFrame, group: str, survey: str) -> list[str]:
    rows = codebook[(codebook["gruppe"] == group) & (codebook[survey] == JA)]
    return list(rows["kode"])


def reason_groups(codebook: pd.DataFrame, survey: str) -> list[str]:
    groups = codebook.loc[codebook[survey] == JA, "gruppe"]
    return [g for g in dict.fromkeys(groups) if g.startswith("grund_")]


# A survey's items as its schema reads them from the codebook: (gruppe, kode, tekst, spurgt) per row.
SurveyItems = tuple[tuple[str, str, str, str], ...]


def survey_items(codebook: pd.DataFrame, survey: str) -> SurveyItems:
    rows = codebook[codebook[survey] == JA]
    return tuple(rows[["gruppe", "kode", "tekst", "spurgt"]].itertuples(index=False, name=None))


def _item_columns(items: SurveyItems) -> dict[str, pa.Column]:
    """The answer columns both surveys share in form, built from the codebook."""
    cols: dict[str, pa.Column] = {}
    for g, k, t, spurgt in items:
        if g == "redskab":
            cols[f"{k}_perioden"] = answer("brug", f"{t}: anvendt i programperioden")
            cols[f"{k}_pt"] = answer("brug", f"{t}: anvendes p.t.")
        elif g in ("maal", "maalgruppe"):
            cols[f"{g}_{k}"] = answer("valg", f"{'målsætning' if g == 'maal' else 'målgruppe for kommunal anvisning'}: {t} (1 = valgt)")
        elif g == "vurdering":
            cols[f"vurdering_{k}"] = answer("likert", f"vurdering ({spurgt}): {t}")
        else:
            tool = g.split("_", 1)[1]
            cols[f"{g}_{k}"] = answer("valg", f"begrundelse for ikke at bruge {tool} ({spurgt}): {t}")
    return cols


# The schemas built from the codebook are the same for the same codebook rows, and building one
# costs more than checking a table with it: each is built once per distinct set of rows (a schema
# is never changed after it is built, so one object can serve every validation).
def kommuner_contract(codebook: pd.DataFrame) -> TableContract:
    return _kommuner_contract(survey_items(codebook, "kommuner"))


@functools.lru_cache(maxsize=8)
def _kommuner_contract(items: SurveyItems) -> TableContract:
    cols = {
        "kommune_nr": integer("løbenummer (eller kommunekode) for den svarende kommune", 1, 999,
                              "løbenumre og kommunekoder", unique=True),
        "kommune": text("kommunens navn", unique=True),
        "indbyggere": integer("antal indbyggere (til sammenligning af de største kommuner)", 1_000, 1_000_000,
                              "indbyggere i en kommune"),
        "andel_almene_boliger": share("almene boliger i pct. af kommunens samlede boligmasse"),
        "saeraftale": answer("brug", "særaftale med en eller flere boligafdelinger om udvidet anvisningsret i perioden"),
        "anvisningsret_100": answer("ja_nej_tom", "Ja hvis særaftalen gav 100 pct. anvisningsret til ledige boliger"),
    }
    cols.update(_item_columns(items))
    return TableContract(
        "kommuner", "Kommuneskemaet", "Ét skema pr. svarende kommune.",
        pa.DataFrameSchema(cols, strict=True, ordered=False), key=("kommune_nr",))


def helhedsplaner_contract(codebook: pd.DataFrame) -> TableContract:
    return _helhedsplaner_contract(survey_items(codebook, "helhedsplaner"))


@functools.lru_cache(maxsize=8)
def _helhedsplaner_contract(items: SurveyItems) -> TableContract:
    cols = {
        "helhedsplan_id": text("helhedsplanens id", unique=True, pattern=r"^[A-Za-z0-9_.-]+$"),
        "helhedsplan": text("helhedsplanens navn"),
        "boligorganisation": text("boligorganisationen, hvis forretningsfører har svaret"),
        "kommune": text("kommunen, helhedsplanen ligger i"),
    }
    cols.update(_item_columns(items))
    return TableContract(
        "helhedsplaner", "Forretningsførerskemaet", "Ét skema pr. helhedsplan støttet af programmets midler.",
        pa.DataFrameSchema(cols, strict=True, ordered=False), key=("helhedsplan_id",))


def afdelinger_contract(tools: list[str]) -> TableContract:
    return _afdelinger_contract(tuple(tools))


@functools.lru_cache(maxsize=8)
def _afdelinger_contract(tools: tuple[str, ...]) -> TableContract:
    cols = {
        "afdeling_id": text("boligafdelingens id", unique=True, pattern=r"^[A-Za-z0-9_.-]+$"),
        "afdeling": text("boligafdelingens navn"),
        "kommune": text("kommunen, afdelingen ligger i"),
        "helhedsplan_id": text("helhedsplanen, afdelingen er omfattet af (tom: ingen)", required=False),
        "udlejninger": integer("udlejninger i afdelingen i programperioden", 0, PERSONS_IN_AFDELING,
                               "udlejninger i en afdeling"),
        "udlejninger_via_redskab": integer("heraf udlejninger via kommunal anvisning eller fleksibel udlejning",
                                           0, PERSONS_IN_AFDELING, "udlejninger i en afdeling"),
    }
    for t in tools:
        cols[t] = answer("ja_nej", f"Ja hvis afdelingen har brugt redskabet '{t}' i perioden")
    return TableContract(
        "afdelinger", "Boligafdelinger (register)", "Én række pr. almen boligafdeling i registeranalysen.",
        pa.DataFrameSchema(cols, strict=True, ordered=False),
        pa.DataFrameSchema(checks=[at_most("udlejninger_via_redskab", "udlejninger", "antal udlejninger")]),
        key=("afdeling_id",))


BEBOERE = TableContract(
    "beboere", "Beboere, tilflyttere og fraflyttere (register)",
    "Én række pr. afdeling × år × gruppe. Flytninger internt i en afdeling er ikke med. "
    "Aggregater fra Danmarks Statistiks forskerservere.",
    pa.DataFrameSchema({
        "afdeling_id": text("boligafdelingens id (som i afdelinger)"),
        "aar": year("år"),
        "gruppe": answer("gruppe", "beboere (alle pr. 1. januar), tilflyttere eller fraflyttere i året"),
        "personer": persons("antal personer i gruppen"),
        "voksne": persons("heraf voksne 25–64 år (grundlag for uddannelse og beskæftigelse)"),
        "kompetencegivende_uddannelse": persons("voksne med en kompetencegivende uddannelse"),
        "beskaeftigede": persons("voksne i beskæftigelse"),
        "ikke_vestlig_oprindelse": persons("personer med ikke-vestlig oprindelse"),
        "husstande": integer("antal husstande (grundlag for indkomst)", 0, PERSONS_IN_AFDELING,
                             "husstande i en afdeling"),
        "husstandsindkomst_gns": income("husstandsindkomst, gennemsnit i kr."),
        "husstandsindkomst_median": income("husstandsindkomst, median i kr."),
    }, strict=True, ordered=False, unique=["afdeling_id", "aar", "gruppe"]),
    pa.DataFrameSchema(checks=[
        at_most("voksne", "personer", "antal personer"),
        at_most("kompetencegivende_uddannelse", "voksne", "antal voksne"),
        at_most("beskaeftigede", "voksne", "antal voksne"),
        at_most("ikke_vestlig_oprindelse", "personer", "antal personer"),
        at_most("husstande", "personer", "antal personer"),
    ]),
    key=("afdeling_id", "aar", "gruppe"),
)

FLYTNINGER = TableContract(
    "flytninger", "Flytninger efter fra- og til-type (register)",
    "Flytninger til og fra de undersøgte afdelinger pr. år, efter hvor flytningen kom fra og gik til. "
    "Flytninger internt i en afdeling er ikke med.",
    pa.DataFrameSchema({
        "aar": year("år"),
        "fra": answer("boligtype", "fraflytningsstedet: almen afdeling eller anden bolig"),
        "til": answer("boligtype", "tilflytningsstedet: almen afdeling eller anden bolig"),
        "flytninger": integer("antal flytninger", 0, 1_000_000, "flytninger på et år"),
    }, strict=True, ordered=False, unique=["aar", "fra", "til"]),
    pa.DataFrameSchema(checks=[pa.Check(lambda df: (df["fra"] == "almen afdeling") | (df["til"] == "almen afdeling"),
                                        error="til: mindst én ende skal være en almen afdeling")]),
    key=("aar", "fra", "til"),
)


# ---------------------------------------------------------------- facts (pydantic)
class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _hidden(value, key: str) -> tuple[str, str] | None:
    """(key path, problem) of the first string in a fact value, or key of a mapping in it, with a
    control or invisible character: the rule of data cells (``rawtable``), so a title cannot print
    "Vollsmose50 percent" from "Vollsmose\u202e tnecrep 05" in the PDF. Tab and line break are
    allowed: YAML's own white space (a block scalar keeps its line breaks), white space in print too."""
    if isinstance(value, str):
        bad = next((ch for ch in value if ch not in "\t\n" and unicodedata.category(ch) in HIDDEN_CATEGORIES), None)
        if bad is not None:
            kind = "kontroltegnet" if unicodedata.category(bad) == "Cc" else "det usynlige tegn"
            return key, f"værdien indeholder {kind} {character_name(bad)}, som ikke hører hjemme i data"
    elif isinstance(value, dict):
        for k, v in value.items():
            in_key = _hidden(k, key or "(rod)")  # named by the mapping it is in: the key can't be shown
            found = (in_key[0], in_key[1].replace("værdien", "en nøgle", 1)) if in_key else \
                _hidden(v, f"{key}.{k}" if key else str(k))
            if found:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = _hidden(v, f"{key}[{i + 1}]")
            if found:
                return found
    return None


class FactFile(Strict):
    """A whole fact file: its strings are checked for hidden characters before anything else."""

    name: ClassVar[str]

    @model_validator(mode="before")
    @classmethod
    def _visible(cls, data):
        found = _hidden(data, "")
        if found:
            raise DataError(fact_source(cls.name), found[1], key=found[0])
        return data


class Period(Strict):
    start: int = Field(ge=1900, le=2100)
    slut: int = Field(ge=1900, le=2100)

    @model_validator(mode="after")
    def ordered(self):
        if self.slut < self.start:
            raise ValueError("slut ligger før start")
        return self


class Margins(Strict):
    procentpoint: float = Field(gt=0, le=100, description="største forskel i en andel, i procentpoint, der regnes for 'stort set ingen forskel'")
    kr: float = Field(gt=0, description="største forskel i gennemsnitlig husstandsindkomst, i kr., der regnes for 'stort set ingen forskel'")


class Program(FactFile):
    name: ClassVar[str] = "program"
    navn: str = Field(description="programmets navn, som det bruges i teksten")
    udbyder: str = Field(description="hvem der har uddelt midlerne")
    formaal: str = Field(description="hvad midlerne er givet til")
    bevilling_kr: int = Field(gt=0, description="samlet bevilling i kr.")
    periode: Period = Field(description="programperioden: start og slut (årstal)")
    evaluator: list[str] = Field(description="hvem der har evalueret")
    register_redskaber: list[str] = Field(min_length=1, description="redskaber, der definerer sammenligningen i registeranalysen")
    stoerste_kommuner: int = Field(ge=1, description="antal kommuner i gruppen 'de største' (efter indbyggere)")
    diskretion_min: int = Field(default=5, ge=3, description="mindste antal personer bag et offentliggjort registertal (Danmarks Statistik: 3; mange bruger 5)")
    aekvivalensgraense: Margins = Field(description="ækvivalensgrænser for sammenligningen af det sociale mix (procentpoint, kr): "
                                        "'stort set ingen forskel' kræver, at 90 pct.-konfidensintervallet ligger inden for dem")


class Case(Strict):
    kommune: str = Field(description="kommunens navn, som i kommuneskemaet")
    nummer: int = Field(ge=1, description="casens nummer (Case I, II, …)")
    interviewede: list[str] = Field(min_length=1, description="kommunen og boligorganisationerne, der er interviewet")
    redskaber: list[str] = Field(description="koder for de redskaber, casens aftaler omfatter")
    fakta: dict[str, int | str | list[str]] = Field(
        default={}, description="tal og navne, casens tekst nævner; nøgler på _aar er årstal, på _pct procent")


class Cases(FactFile):
    name: ClassVar[str] = "cases"
    cases: list[Case] = Field(min_length=1, description="case-kommunerne (se Case-felterne ovenfor)")
    note: str = Field(default="", description="fri note om valg i data")


def _isbn(value: str | None) -> str | None:
    """An ISBN-13 (or ISBN-10) with a valid check digit, written with hyphens as given."""
    if value is None:
        return None
    from stdnum import isbn
    from stdnum.exceptions import ValidationError as NotAnIsbn

    try:
        isbn.validate(value)
    except NotAnIsbn:
        raise ValueError(f"'{value}' er ikke et gyldigt ISBN (kontrolcifferet eller længden passer ikke)") from None
    return value


Isbn = Annotated[str | None, AfterValidator(_isbn)]


def _web_address(value: str | None) -> str | None:
    """An address the booklet links to: http(s) only, so no data can make a javascript: link."""
    from urllib.parse import urlsplit

    if value is None:
        return value
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in value for c in ' "<>\\`\n'):
        raise ValueError(f"'{value}' er ikke en netadresse (skal begynde med https://)")
    return value


WebAddress = Annotated[str | None, AfterValidator(_web_address)]
Unknown = "null: ukendt; en udgivelse kræver en værdi"


class UnderlyingReport(Strict):
    """The SFI report the booklet summarises; the back cover gives its details ('se bagsiden')."""

    titel: str | None = Field(description=f"rapportens titel ({Unknown})")
    forfattere: list[str] | None = Field(description=f"rapportens forfattere ({Unknown})")
    aar: int | None = Field(ge=1900, le=2100, description=f"udgivelsesår ({Unknown})")
    isbn: Isbn = Field(description=f"rapportens ISBN ({Unknown})")
    url: WebAddress = Field(description=f"hvor rapporten kan hentes ({Unknown})")


class Publication(FactFile):
    """The booklet as a publication: cover, colophon, back cover, citation and web metadata.

    Every key must be written; a value the data do not know is written ``null`` and shown as
    unknown. Such a booklet is a draft ("UDKAST"); a release build refuses it and names the keys
    (``Publication.missing``)."""

    name: ClassVar[str] = "publikation"

    # the names and titles a cover, a colophon and a page's head hold are a line or two: a longer
    # one is a mistake (a 55.000-character title took the PDF step 73 s, and pandoc refused more)
    serie: str | None = Field(max_length=200, description=f"seriens navn på forsiden ({Unknown})")
    titel: str = Field(min_length=1, max_length=200, description="hæftets titel")
    undertitel: str = Field(max_length=200, description="undertitel")
    forfattere: list[str] | None = Field(description=f"hæftets forfattere ({Unknown})")
    aar: int | None = Field(ge=1900, le=2100, description=f"udgivelsesår ({Unknown})")
    udgivelsesdato: date | None = Field(description=f"udgivelsesdato, ÅÅÅÅ-MM-DD ({Unknown})")
    udgiver: str = Field(min_length=1, max_length=200, description="udgiver")
    isbn: Isbn = Field(description=f"ISBN for den trykte udgave ({Unknown})")
    eisbn: Isbn = Field(description=f"ISBN for den elektroniske udgave, e-ISBN ({Unknown})")
    rapport: UnderlyingReport = Field(description="den SFI-rapport, hæftet bygger på (se felterne ovenfor)")
    layout: str | None = Field(max_length=200, description=f"hvem der har sat hæftet op ({Unknown})")
    tryk: str | None = Field(max_length=200, description=f"trykkeri ({Unknown})")
    url: WebAddress = Field(description=f"hæftets adresse på nettet ({Unknown})")
    tilgaengelighedserklaering: WebAddress = Field(
        description=f"adressen på tilgængelighedserklæringen for webversionen ({Unknown})")
    beskrivelse: str = Field(min_length=1, max_length=300,
                             description="kort beskrivelse af hæftet (søgemaskiner, deling, meta description)")
    udgave: str = Field(max_length=200, description="udgave")
    datagrundlag: str = Field(max_length=200, description="fx 'rekonstrueret referencedata' eller 'survey- og registerdata'")
    sprog: str = Field(default="da", description="sprogkode")

    def missing(self) -> list[str]:
        """The keys written as unknown (null), dotted for nested ones: 'isbn', 'rapport.titel'."""
        out = [key for key, value in self if value is None]
        out += [f"rapport.{key}" for key, value in self.rapport if value is None]
        return out

    @property
    def draft(self) -> bool:
        return bool(self.missing())


FACT_MODELS = {"program": Program, "cases": Cases, "publikation": Publication}


# ---------------------------------------------------------------- documentation
def _type_text(col: pa.Column) -> str:
    kind = getattr(col, "answer_kind", None)
    if kind:
        return _shown(CATEGORICAL[kind])
    kind = {"int64": "heltal", "float64": "tal"}.get(str(col.dtype), "tekst")
    if getattr(col, "plausible", None):
        kind += " " + range_text(*col.plausible)
    if getattr(col, "percent", False):
        kind += " (pct.)"
    return kind


def _table_markdown(contract: TableContract, path: str) -> list[str]:
    lines = [f"### `{path}` – {contract.title}", "", contract.description, ""]
    if contract.key:
        lines += [f"Nøgle: {', '.join(f'`{k}`' for k in contract.key)} (skal være entydig).", ""]
    lines += ["| kolonne | værdier | betydning |", "|---|---|---|"]
    for name, col in contract.columns.columns.items():
        lines.append(f"| `{name}` | {_type_text(col)} | {col.description or ''} |")
    if contract.relations is not None:
        checks = [chk.error for chk in contract.relations.checks]
        lines += ["", "Krav på tværs af kolonner: " + "; ".join(c.replace(": ", " ", 1) for c in checks) + "."]
    return lines + [""]


def _model_markdown(name: str, model: type[BaseModel]) -> list[str]:
    lines = [f"### `data/fakta/{name}.yaml`", "", "| nøgle | type | betydning |", "|---|---|---|"]
    for key, field in model.model_fields.items():
        ann = getattr(field.annotation, "__name__", str(field.annotation)).replace("|", "eller")
        lines.append(f"| `{key}` | {ann} | {field.description or ''} |")
    return lines + [""]


def describe(codebook: pd.DataFrame, tools: list[str]) -> str:
    """The contract as Markdown tables: the generated part of data/README.md."""
    from hæfte.project import TABLE_FILES

    contracts = [CODEBOOK, kommuner_contract(codebook), helhedsplaner_contract(codebook),
                 afdelinger_contract(tools), BEBOERE, FLYTNINGER]
    lines: list[str] = []
    for contract in contracts:
        lines += _table_markdown(contract, f"data/{TABLE_FILES[contract.name]}.csv")
    for name, model in FACT_MODELS.items():
        lines += _model_markdown(name, model)
    return "\n".join(lines).rstrip() + "\n"
