"""Content-hash keys, a small on-disk cache of plain JSON, and the manifest of published outputs.

In:  the project's input files (data, templates, styles), hæfte's own code, the versions of the
     libraries and the pandoc binary that shape the output, and the build's options.
Out: ``Keys`` (one hash per kind of input, from file contents, never file times); a cache in
     ``_output/.cache/`` of stage results (statistics, rendered text, charts) as JSON; the
     manifest beside the outputs with their keys and the SHA-256 of every published file.

Each stage's key is the hash of exactly what it depends on: statistics on data, code and tools;
rendered text on the statistics and templates; a chart on its own table and the fonts; the web
version and the PDF on the Markdown, the charts, the styles and the options.

The cache is data, never code: an entry is JSON with a format version, its kind and key and a
hash of its content (see ``codec``). An entry that is damaged, from another version or fails its
hash is deleted and recomputed. No pickle is ever read from ``_output/.cache``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import shutil
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from hæfte import codec
from hæfte.project import Project

CACHE_DIR = ".cache"
MANIFEST = ".manifest.json"
FORMAT = "hæfte-cache"
VERSION = 2
ENTRY = "indhold.json"  # the entry file inside a folder of laid-out outputs

# The libraries whose version can change a byte of the output (the pandoc binary is asked itself).
TOOLS = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "pillow", "pyphen",
         "matplotlib", "numpy", "pandas", "pandera", "pydantic", "babel", "jinja2", "markupsafe", "pyyaml",
         "openpyxl", "pypandoc-binary", "python-stdnum", "duckdb", "linearmodels", "scipy",
         "threadpoolctl", "pyreadstat")


def hash_files(paths, root: Path) -> str:
    """One hash of the files' contents and their paths relative to ``root`` (so a project can move)."""
    return _hash_contents({Path(p): Path(p).read_bytes() for p in paths}, root)


def _hash_contents(contents: dict[Path, bytes], root: Path) -> str:
    """``hash_files`` of files already read (path -> content)."""
    h = hashlib.sha256()
    for path in sorted(contents, key=lambda p: p.relative_to(root).as_posix()):
        h.update(path.relative_to(root).as_posix().encode("utf-8"))
        h.update(b"\0")
        h.update(contents[path])
    return h.hexdigest()[:20]


def hash_text(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:20]


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _files(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    return [p for pattern in patterns for p in folder.rglob(pattern) if p.is_file()] if folder.is_dir() else []


@functools.lru_cache(maxsize=1)
def tool_versions() -> dict[str, str]:
    """Python, pandoc and every library in ``TOOLS``, with their versions."""
    from hæfte.write.pandoc import pandoc_version

    versions = {"python": platform.python_version(), "pandoc": pandoc_version()}
    for name in TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "mangler"
    return versions


@dataclass(frozen=True)
class Options:
    """The build's options that change the output (add new options here, with the outputs they
    change in ``CHANGES``). The whole set is part of the published set's key, so a build with other
    options is never "nothing to do"; each output's key holds the options that change it, so a
    printer's build with bleed lays out the booklet again and reuses the web version and catalogue."""

    bleed: bool = False
    release: bool = False

    # option -> the outputs it changes; None: every output (release refuses drafts; kept for all,
    # so a release build never reuses what a draft build made). The date is every PDF's.
    CHANGES = {"bleed": ("pdf",), "release": None, "dato": ("pdf", "katalog")}

    def key(self, output: str | None = None) -> str:
        """The options ``output`` depends on ("pdf", "katalog", "web"), or all of them."""
        from hæfte.write.pdf import source_date

        # SOURCE_DATE_EPOCH is the PDFs' date: a PDF made under another date is not the one asked
        # for (and a value that is no date stops the build here, before any work)
        values = {**asdict(self), "dato": source_date()}
        return json.dumps({name: value for name, value in values.items()
                           if output is None or self.CHANGES[name] is None or output in self.CHANGES[name]},
                          sort_keys=True)


# The style files each output is made from (names in styles/; a folder stands for its files). A
# file named for no output (a logo an editor adds, say) counts for every output, so nothing that
# might read it is reused: a change to web.css lays out no PDF, and one to print.css remakes no
# web version, but a new file remakes all.
STYLE_FILES = {
    "web": ("web.html", "web.css", "web.js", "fonts.css", "fonts"),
    "pdf": ("print.html", "print.css", "beskaering.css", "fonts.css", "fonts", "orddeling.txt"),
    "katalog": ("print.html", "katalog-print.css", "fonts.css", "fonts"),
    "figur": ("fonts",),  # the charts are drawn with the fonts, in colours of their own
}


def _style_keys(contents: dict[Path, bytes], styles_dir: Path, root: Path) -> tuple[tuple[str, str], ...]:
    named = {name for names in STYLE_FILES.values() for name in names}

    def reads(output: str, path: Path) -> bool:
        top = path.relative_to(styles_dir).parts[0]
        return top in STYLE_FILES[output] or top not in named

    return tuple((output, _hash_contents({p: c for p, c in contents.items() if reads(output, p)}, root))
                 for output in STYLE_FILES)


@dataclass(frozen=True)
class Keys:
    code: str
    tools: str
    data: str
    templates: str
    styles: str  # every style file: a change to any is a change to the published set
    style_parts: tuple[tuple[str, str], ...] = ()  # output -> the hash of the style files it reads

    def styles_of(self, output: str) -> str:
        """The hash of the style files ``output`` ("web", "pdf", "katalog", "figur") is made from."""
        return dict(self.style_parts)[output]

    @classmethod
    def of(cls, project: Project) -> "Keys":
        package = Path(__file__).resolve().parent
        # each style file is read once, for the whole set's key and for each output's
        styles = {p: p.read_bytes() for p in _files(project.styles_dir, ("*",))}
        return cls(
            code=hash_files(_files(package, ("*.py",)), package),
            tools=hash_text(json.dumps(tool_versions(), sort_keys=True)),
            data=hash_files(project.data_files(), project.root),
            templates=hash_files(_files(project.templates_dir, ("*.j2",)), project.root),
            styles=_hash_contents(styles, project.root),
            style_parts=_style_keys(styles, project.styles_dir, project.root),
        )

    @property
    def results(self) -> str:
        return hash_text("results", self.code, self.tools, self.data)

    @property
    def rendered(self) -> str:
        return hash_text("rendered", self.results, self.templates)

    def as_dict(self) -> dict:
        return {**asdict(self), "style_parts": dict(self.style_parts)}  # as it reads back from JSON


def _register_render_types() -> None:
    from hæfte.render import Rendered, Section, Tracker

    codec.register(Rendered, Section, Tracker)  # the rendered text is cached too (registering twice is fine)


def _canonical(data) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


class Cache:
    def __init__(self, project: Project):
        self.dir = project.output_dir / CACHE_DIR
        self.manifest_path = project.output_dir / MANIFEST
        _register_render_types()

    def _path(self, kind: str) -> Path:
        return self.dir / f"{kind}.json"

    def load(self, kind: str, key: str):
        """The stored value of ``kind`` if it was stored under ``key`` and is intact, else None."""
        path = self._path(kind)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if not (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("version") == VERSION
                    and entry.get("kind") == kind):
                raise ValueError("not a cache entry of this version")
            if entry.get("key") != key:
                return None  # a valid entry for other inputs: it is replaced when the stage is stored
            if hashlib.sha256(_canonical(entry["data"])).hexdigest() != entry.get("sha256"):
                raise ValueError("content does not match its hash")
            return codec.decode(entry["data"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):  # damaged: forget it and compute again
            path.unlink(missing_ok=True)
            return None

    def store(self, kind: str, key: str, value) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        data = codec.encode(value)
        entry = {"format": FORMAT, "version": VERSION, "kind": kind, "key": key,
                 "sha256": hashlib.sha256(_canonical(data)).hexdigest(), "data": data}
        write_atomic(self._path(kind), json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        for stale in self.dir.glob("*.pickle"):  # caches of older hæfte versions: never read, removed
            stale.unlink(missing_ok=True)

    # Laid-out outputs: the files of an output group (the PDF with its print HTML and charts, the
    # catalogue's PDF) made by the last layout of that group, kept under their key. A layout takes
    # WeasyPrint most of the build's time, and the same inputs are laid out again in everyday
    # sequences that publish nothing in between: 'hæfte check' and then 'hæfte build', a build
    # refused for hidden text and the check that lists it, 'check', 'lock', 'check'.
    def _outputs_dir(self, group: str, key: str) -> Path:
        return self.dir / f"uddata-{group}-{key}"

    def store_outputs(self, group: str, key: str, stage: Path, paths: tuple[str, ...], extra: dict) -> None:
        """Keep copies of ``paths`` (files or folders in ``stage``) with ``extra`` (plain data about
        the layout) under ``key``; only the newest entry of a group is kept."""
        target = self._outputs_dir(group, key)
        tmp = self.dir / f".uddata-{group}.{os.getpid()}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for rel in paths:
            src = stage / rel
            shutil.copytree(src, tmp / rel) if src.is_dir() else shutil.copy2(src, tmp / rel)
        data = codec.encode(extra)
        entry = {"format": FORMAT, "version": VERSION, "kind": f"uddata-{group}", "key": key, "data": data,
                 "files": {p.relative_to(tmp).as_posix(): file_sha256(p) for p in sorted(tmp.rglob("*")) if p.is_file()}}
        (tmp / ENTRY).write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(tmp, target)  # whole or absent: the entry file is inside the folder renamed in one step
        except OSError:  # a check beside this build stored the same layout first: keep that one
            shutil.rmtree(tmp, ignore_errors=True)
            return
        for old in self.dir.glob(f"uddata-{group}-*"):
            if old != target:
                shutil.rmtree(old, ignore_errors=True)

    def load_outputs(self, group: str, key: str, stage: Path) -> dict | None:
        """Copy the files kept under ``key`` into ``stage`` and return their ``extra``; None when
        there is no such entry. An entry whose files differ from the SHA-256 it recorded, that
        holds a link or a file it did not record, is deleted and the group laid out again."""
        folder = self._outputs_dir(group, key)
        try:
            entry = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
            if not (isinstance(entry, dict) and entry.get("format") == FORMAT and entry.get("version") == VERSION
                    and entry.get("kind") == f"uddata-{group}" and entry.get("key") == key):
                raise ValueError("not an entry of this version and key")
            found = {}
            for path in sorted(folder.rglob("*")):
                if path.is_symlink():
                    raise ValueError("a link in a cache entry")
                if path.is_file() and path.name != ENTRY:
                    found[path.relative_to(folder).as_posix()] = file_sha256(path)
            if found != entry["files"]:
                raise ValueError("files do not match the entry")
            extra = codec.decode(entry["data"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):  # damaged: forget it and lay out again
            shutil.rmtree(folder, ignore_errors=True)
            return None
        for rel in sorted({name.split("/", 1)[0] for name in found}):
            src = folder / rel
            shutil.copytree(src, stage / rel) if src.is_dir() else shutil.copy2(src, stage / rel)
        return extra

    def manifest(self) -> dict:
        """The manifest of the published outputs (empty if there is none or it is damaged)."""
        try:
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("version") == VERSION else {}


def manifest_for(folder: Path, keys: dict, outputs: dict) -> dict:
    """The manifest of a finished output folder: keys, output keys and every file's SHA-256."""
    files = {p.relative_to(folder).as_posix(): file_sha256(p)
             for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}
    return {"version": VERSION, "keys": keys, "outputs": outputs, "files": files}


def damaged_files(output: Path, manifest: dict) -> list[str]:
    """The published files (relative paths) that are missing or differ from the manifest."""
    damaged = []
    for rel, digest in sorted(manifest.get("files", {}).items()):
        path = output / rel
        try:
            if not path.is_file() or file_sha256(path) != digest:
                damaged.append(rel)
        except OSError:
            damaged.append(rel)
    return damaged


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so that it is either the old or the new content, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
