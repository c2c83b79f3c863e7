"""The figure catalogue: every computed figure with its provenance, as a table or as JSON.

In:  ``Results``.
Out: text for ``hæfte figures`` (a readable table) and ``hæfte figures --json`` (records with
     id, value, display, definition, numerator, base, source, population).
"""

from __future__ import annotations

import json

from hæfte.results import Results


def records(results: Results) -> list[dict]:
    return [f.record() for f in results.figures.values()]


def as_json(results: Results) -> str:
    return json.dumps(records(results), ensure_ascii=False, indent=2)


def as_table(results: Results, width: int = 160) -> str:
    rows = [("id", "vises som", "tæller/grundlag", "kilde", "definition")]
    for f in results.figures.values():
        nb = f"{f.numerator}/{f.base}" if f.numerator is not None else (f"n={f.base}" if f.base is not None else "")
        rows.append((f.id, f.display.replace("\u00a0", " "), nb, f.source, f.definition))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = []
    for r in rows:
        head = "  ".join(r[i].ljust(widths[i]) for i in range(4))
        room = max(width - len(head) - 2, 20)
        definition = r[4] if len(r[4]) <= room else r[4][: room - 1] + "…"
        lines.append(f"{head}  {definition}")
    lines.insert(1, "-" * min(width, len(lines[0])))
    lines.append(f"\n{len(results.figures)} tal i kataloget")
    return "\n".join(lines)
