"""Content-hash keys and a small on-disk cache, so a rebuild does only what changed.

In:  the project's input files (data, templates, styles) and hæfte's own code.
Out: ``Keys`` (one hash per kind of input, from file contents, never file times) and a cache in
     ``_output/.cache/`` of pickled stage results (statistics, rendered text, charts).

Each stage's key is the hash of exactly what it depends on: statistics on data and code;
rendered text on the statistics, templates and code; a chart on its own table and the fonts;
the web version and the PDF on the Markdown, the charts and the styles.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import asdict, dataclass
from pathlib import Path

from hæfte.project import Project

CACHE_DIR = ".cache"
MANIFEST = ".manifest.json"


def hash_files(paths) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(str(path).encode())
        h.update(b"\0")
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:20]


def hash_text(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:20]


def _files(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    return [p for pattern in patterns for p in folder.rglob(pattern) if p.is_file()] if folder.is_dir() else []


@dataclass(frozen=True)
class Keys:
    code: str
    data: str
    templates: str
    styles: str

    @classmethod
    def of(cls, project: Project) -> "Keys":
        package = Path(__file__).resolve().parent
        return cls(
            code=hash_files(_files(package, ("*.py",))),
            data=hash_files(project.data_files()),
            templates=hash_files(_files(project.templates_dir, ("*.j2",))),
            styles=hash_files(_files(project.styles_dir, ("*",))),
        )

    @property
    def results(self) -> str:
        return hash_text("results", self.code, self.data)

    @property
    def rendered(self) -> str:
        return hash_text("rendered", self.results, self.templates)

    def as_dict(self) -> dict:
        return asdict(self)


class Cache:
    def __init__(self, project: Project):
        self.dir = project.output_dir / CACHE_DIR
        self.manifest_path = project.output_dir / MANIFEST

    def load(self, kind: str, key: str):
        path = self.dir / f"{kind}-{key}.pickle"
        if not path.is_file():
            return None
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # a cache from another version of hæfte: recompute
            return None

    def store(self, kind: str, key: str, value) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob(f"{kind}-*.pickle"):  # keep one entry per kind
            old.unlink()
        tmp = self.dir / f".{kind}-{key}.tmp"
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(self.dir / f"{kind}-{key}.pickle")

    def manifest(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def write_manifest(self, data: dict) -> None:
        tmp = self.manifest_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(self.manifest_path)
