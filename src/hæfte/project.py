"""Find the project a command acts on: the current folder (or ``--project DIR``), as quarto does.

In:  a folder.
Out: ``Project`` with the paths of its data, templates, styles and outputs.

A project is any folder with a ``data/`` folder holding the files of the data contract. Nothing
is read next to the installed package, so a copy of the project with other data or other text
builds its own booklet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hæfte.errors import ProjectError

# Table name -> path below data/ without extension (one file in one of TABLE_SUFFIXES)
TABLE_FILES = {
    "kodebog": "kodebog",
    "kommuner": "survey/kommuner",
    "helhedsplaner": "survey/helhedsplaner",
    "afdelinger": "register/afdelinger",
    "beboere": "register/beboere",
    "flytninger": "register/flytninger",
}
FACT_FILES = {
    "program": "fakta/program.yaml",
    "cases": "fakta/cases.yaml",
    "publikation": "fakta/publikation.yaml",
}
# The formats a table may come in; the cache, the lock and the watcher hash and watch these too.
TABLE_SUFFIXES = (".csv", ".xlsx", ".sav", ".sas7bdat", ".dta", ".parquet")
DATA_SUFFIXES = TABLE_SUFFIXES + (".yaml",)


def fact_source(name: str) -> str:
    """A fact file as the project names it, in messages and as a figure's source: 'data/fakta/program.yaml'."""
    return f"data/{FACT_FILES[name]}"


@dataclass(frozen=True)
class Project:
    root: Path

    def __post_init__(self) -> None:
        # Project("mappe") from a notebook is a path like any other: the paths below need a Path
        object.__setattr__(self, "root", Path(self.root).resolve())

    @classmethod
    def find(cls, folder: Path | str | None = None) -> "Project":
        root = Path(folder or Path.cwd()).resolve()
        if not (root / "data").is_dir():
            raise ProjectError(f"{root} er ikke et hæfte-projekt: mappen 'data/' mangler "
                               "(kør kommandoen i projektmappen eller brug --project MAPPE)")
        return cls(root)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"

    @property
    def output_dir(self) -> Path:
        return self.root / "_output"

    def table_path(self, name: str) -> Path:
        """The one file holding a table (``<stem>.csv``, ``.xlsx``, ``.sav`` …), never two, never outside."""
        stem = self.data_dir / TABLE_FILES[name]
        for suffix in TABLE_SUFFIXES:
            self.regular(stem.with_name(stem.name + suffix), "datafilen")
        found = [stem.with_name(stem.name + s) for s in TABLE_SUFFIXES if stem.with_name(stem.name + s).is_file()]
        if not found:
            formats = ", ".join(TABLE_SUFFIXES[1:])
            raise ProjectError(f"{self.shown(stem)}.csv mangler (eller {formats}): tabellen '{name}' "
                               "er en del af datakontrakten (se data/README.md)")
        if len(found) > 1:
            names = [self.shown(p) for p in found]
            both = ", ".join(names[:-1]) + " og " + names[-1]
            raise ProjectError(f"{both} findes {'begge' if len(found) == 2 else 'alle'}: tabellen '{name}' "
                               "skal ligge i én fil; behold kun den ene")
        self.inside(found[0], "datafilen")
        return found[0]

    def fact_path(self, name: str) -> Path:
        path = self.data_dir / FACT_FILES[name]
        self.regular(path, "faktafilen")
        if not path.is_file():
            raise ProjectError(f"{self.shown(path)} mangler: faktafilen '{name}' er en del af "
                               "datakontrakten (se data/README.md)")
        self.inside(path, "faktafilen")
        return path

    def data_files(self) -> list[Path]:
        """Every data and fact file under ``data/`` (for hashing and locking), each checked by ``inside``:
        a symlink out of the project is refused before a single byte of it is read."""
        found = sorted(p for p in self.data_dir.rglob("*") if p.suffix.lower() in DATA_SUFFIXES and p.is_file())
        return [p for p in found if self.inside(p, "faktafilen" if p.suffix.lower() == ".yaml" else "datafilen")]

    def regular(self, path: Path, what: str) -> None:
        """Nothing, or an error if ``path`` is there but is no file: a folder, a named pipe (which
        would make the build wait for a writer for ever) or a device."""
        if path.exists() and not path.is_file():
            raise ProjectError(f"{self.shown(path)} er ikke en almindelig fil, men en mappe, et navngivet rør eller "
                               f"en enhed: {what} skal være en fil")

    def inside(self, path: Path | str, what: str) -> Path:
        """``path`` with every symlink resolved, if it lies inside the project folder.

        The one gate for every file a build reads or publishes (data, templates and what they
        include, styles, fonts, images): a symlink or a path that leads out of the project is
        refused with a ``ProjectError`` naming the path as written and where it leads."""
        resolved = Path(path).resolve()
        if not resolved.is_relative_to(self.root):
            raise ProjectError(f"{self.shown(path)}: {what} fører uden for projektmappen (til {resolved}); "
                               "hæfte læser kun filer inde i projektet")
        return resolved

    def shown(self, path: Path | str) -> str:
        """The path as written, relative to the project where it can be (symlinks not followed)."""
        path = Path(path)
        if not path.is_absolute():
            return path.as_posix()
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def relative(self, path: Path) -> str:
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)
