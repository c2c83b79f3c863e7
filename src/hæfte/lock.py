"""The figure lock: what the booklet quotes, recorded so that any drift is seen.

In:  ``Results``, the ``Rendered`` booklet (with what its templates read) and the data files.
Out: a snapshot (the content of ``figurer.lock.json``): every quoted figure with its display,
     numerator, base, a hash of the data it came from and the sentences it stands in; every
     sentence of the booklet; every claim the fixed prose declares. ``compare`` lists the
     differences between two snapshots; ``change_report`` writes them in Danish for editors.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from hæfte import figurelink
from hæfte.project import Project
from hæfte.render import Rendered
from hæfte.resultset import Results

LOCK_FILE = "figurer.lock.json"
VERSION = 1
_TAGS = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÆØÅ0-9«»(])")


def file_hash(path: Path) -> str:
    return "sha256:" + hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def _clean(text: str) -> str:
    text = _TAGS.sub("", text).replace("\\", "")
    text = re.sub(r"\{[#.][^}]*\}", "", text)
    text = re.sub(r"^[#:>\-*\s]+", "", text)
    return " ".join(text.split())


def sentences_with_figures(markdown: str) -> list[tuple[str, list[str]]]:
    """Split a section into sentences; each with the ids of the figures displayed in it."""
    out = []
    for block in re.split(r"\n\s*\n", markdown):
        if block.lstrip().startswith("<figure") or block.lstrip().startswith("<details"):
            continue
        marked = figurelink.MARKDOWN.sub(lambda m: f"\x00{m.group(2)}\x01{m.group(1)}\x02", block)
        for sentence in _SENTENCE_END.split(" ".join(marked.split())):
            ids = re.findall(r"\x00([^\x01]+)\x01", sentence)
            text = _clean(re.sub(r"\x00[^\x01]+\x01([^\x02]*)\x02", r"\1", sentence))
            if text:
                out.append((text, ids))
    return out


def data_hashes(project: Project) -> dict[str, str]:
    files = project.data_files()
    return {project.shown(p): file_hash(p) for p in files}


def _figure_data_hash(source: str, hashes: dict[str, str]) -> str:
    parts = [hashes[s.strip()] for s in source.split(",") if s.strip() in hashes]
    return "sha256:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16] if parts else ""


def snapshot(project: Project, results: Results, rendered: Rendered) -> dict:
    hashes = data_hashes(project)
    sentences: dict[str, list[str]] = {}
    where: dict[str, list[dict]] = {}
    for section in rendered.sections:
        for text, ids in sentences_with_figures(section.markdown):
            sentences.setdefault(section.name, []).append(text)
            for figure_id in ids:
                where.setdefault(figure_id, []).append({"template": section.name, "sentence": text})
    figures = {}
    for figure_id in sorted(rendered.tracker.uses):
        f = results.figures[figure_id]
        lines = sorted({(t, line) for t, line in rendered.tracker.uses[figure_id]})
        figures[figure_id] = {
            "display": f.display, "numerator": f.numerator, "base": f.base,
            "data": _figure_data_hash(f.source, hashes),
            "templates": [f"{t}:{line}" for t, line in lines],
            "sentences": [w["sentence"] for w in where.get(figure_id, [])],
        }
    claims = [{"template": f"{t}:{line}", "claim": text, "holds": holds}
              for t, line, text, holds in rendered.tracker.claims]
    words = {f"{t}:{line}:{rule}:{'+'.join(ids)}": word for t, line, rule, ids, word in rendered.tracker.words}
    return {"version": VERSION, "data": hashes, "figures": figures, "words": dict(sorted(words.items())),
            "orderings": dict(sorted(rendered.tracker.orderings.items())), "claims": claims, "sentences": sentences}


def read(project: Project) -> dict | None:
    path = project.root / LOCK_FILE
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def write(project: Project, snap: dict) -> Path:
    path = project.root / LOCK_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(snap, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


@dataclass(frozen=True)
class Drift:
    figure_id: str
    locked: str
    now: str
    where: str  # template:line
    sentence: str


def _shown(entry: dict | None) -> str:
    if entry is None:
        return "(intet)"
    base = f" ({entry['numerator']}/{entry['base']})" if entry.get("numerator") is not None else \
        (f" (n={entry['base']})" if entry.get("base") is not None else "")
    return entry["display"].replace("\u00a0", " ") + base


def compare(locked: dict, now: dict) -> list[Drift]:
    """Figures whose display, numerator or base differ, and figures quoted or dropped since."""
    drifts = []
    for figure_id in sorted(set(locked["figures"]) | set(now["figures"])):
        old, new = locked["figures"].get(figure_id), now["figures"].get(figure_id)
        keys = ("display", "numerator", "base")
        if old and new and all(old[k] == new[k] for k in keys):
            continue
        ref = new or old
        drifts.append(Drift(figure_id, _shown(old), _shown(new), (ref["templates"] or [""])[0],
                            (ref["sentences"] or [""])[0]))
    return drifts


def changed_wording(locked: dict, now: dict) -> list[Drift]:
    """Words chosen by rule ('knap hver fjerde') and rankings the text reads, against the lock."""
    drifts = []
    for key in sorted(set(locked.get("words", {})) | set(now.get("words", {}))):
        old, new = locked.get("words", {}).get(key), now.get("words", {}).get(key)
        if old != new:
            template, line, rule, ids = key.split(":", 3)
            drifts.append(Drift(f"ord ({rule}) {ids}", old or "(intet)", new or "(intet)", f"{template}:{line}", ""))
    for key in sorted(set(locked.get("orderings", {})) | set(now.get("orderings", {}))):
        old, new = locked.get("orderings", {}).get(key), now.get("orderings", {}).get(key)
        if old != new:
            drifts.append(Drift(f"rangorden.{key}", " > ".join(old or []) or "(intet)",
                                " > ".join(new or []) or "(intet)", "", ""))
    return drifts


def changed_sentences(locked: dict, now: dict) -> list[tuple[str, list[str], list[str]]]:
    """Per template, the sentences that went and the sentences that came."""
    out = []
    for name in sorted(set(locked["sentences"]) | set(now["sentences"])):
        old, new = locked["sentences"].get(name, []), now["sentences"].get(name, [])
        gone, came = [], []
        for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            tag, i1, i2, j1, j2 = op
            if tag != "equal":
                gone += old[i1:i2]
                came += new[j1:j2]
        if gone or came:
            out.append((name, gone, came))
    return out


def change_report(locked: dict | None, now: dict) -> str:
    lines = ["# Ændringer i hæftet", ""]
    if locked is None:
        return "\n".join(lines + ["Der var ingen lås før; alle tal er låst for første gang.", ""])
    drifts = compare(locked, now)
    if not drifts and not changed_sentences(locked, now):
        return "\n".join(lines + ["Ingen tal og ingen sætninger er ændret.", ""])
    lines += [f"## Ændrede tal ({len(drifts)})", ""]
    for d in drifts:
        old = locked["figures"].get(d.figure_id, {})
        new = now["figures"].get(d.figure_id, {})
        lines += [f"### `{d.figure_id}`: {d.locked} → {d.now}", "", f"Skabelon: `{d.where}`", ""]
        for label, entry in (("Før", old), ("Nu", new)):
            for sentence in entry.get("sentences", [])[:3]:
                lines.append(f"- {label}: {sentence}")
        lines.append("")
    sentence_changes = changed_sentences(locked, now)
    lines += [f"## Ændrede sætninger ({sum(len(c) for _, _, c in sentence_changes)})", ""]
    for name, gone, came in sentence_changes:
        lines += [f"### `{name}`", ""]
        lines += [f"- Før: {s}" for s in gone]
        lines += [f"- Nu: {s}" for s in came]
        lines.append("")
    return "\n".join(lines)
