"""The figure catalogue: every computed figure with its provenance, as a table or as JSON.

In:  ``Results``.
Out: text for ``hæfte figures`` (a readable table) and ``hæfte figures --json`` (records with
     id, value, display, definition, numerator, base, source, population).
"""

from __future__ import annotations

import json

from hæfte.resultset import Results


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


def catalogue_markdown(results: Results, snap: dict, layout: str = "table") -> str:
    """The figure catalogue for readers: every figure, its definition and counts, who was asked,
    the source table, the data hash and where the booklet quotes it. Each row is an anchor that
    the figures in the web text link to."""
    import html

    quoted = snap["figures"]
    rows = []
    for f in results.figures.values():
        entry = quoted.get(f.id)
        counts = f"{f.numerator} af {f.base}" if f.numerator is not None else (f"n = {f.base}" if f.base else "")
        where = ", ".join(entry["templates"]) if entry else "citeres ikke"
        data = entry["data"] if entry else ""
        if layout == "blocks":  # for print: WeasyPrint lays out blocks far faster than a long table
            # one sentence per field, none empty ("n = 0" has no counts, an unquoted figure no data)
            fields = [f.definition.rstrip(". "), counts, f"Spurgt: {f.population or '–'}",
                      " ".join(filter(None, (f"Kilde: {f.source}", data))),
                      f"Citeret i: {where}" if entry else "Citeres ikke"]
            text = ". ".join(html.escape(field) for field in fields if field) + "."
            rows.append(
                f'<div class="post"><p class="post-id"><code>{html.escape(f.id)}</code> <b>{html.escape(f.display)}</b></p>'
                f"<p>{text}</p></div>")
            continue
        rows.append(
            f'<tr id="{html.escape(f.id)}"><th scope="row"><code>{html.escape(f.id)}</code></th>'
            f"<td>{html.escape(f.display)}</td><td>{html.escape(f.definition)}</td><td>{html.escape(counts)}</td>"
            f"<td>{html.escape(f.population)}</td><td>{html.escape(f.source)}</td>"
            f"<td><code>{html.escape(data)}</code></td><td>{html.escape(where)}</td></tr>")
    n_quoted = sum(1 for f in results.figures if f in quoted)
    if layout == "blocks":
        head, tail = ['<div class="katalog">'], ["</div>"]
    else:
        head = ['<table class="katalog"><thead><tr><th scope="col">Id</th><th scope="col">Vises som</th>'
                '<th scope="col">Definition</th><th scope="col">Tæller og grundlag</th><th scope="col">Spurgt</th>'
                '<th scope="col">Kilde</th><th scope="col">Data</th><th scope="col">Citeret i</th></tr></thead><tbody>']
        tail = ["</tbody></table>"]
    return "\n".join([
        "# Figurkatalog {#katalog}", "",
        f"Kataloget viser alle {len(results.figures)} tal, programmet beregner; {n_quoted} af dem citeres i "
        "hæftet. For hvert tal: definition, tæller og grundlag, hvem der blev spurgt, kildetabel, en "
        "kontrolsum af de data, tallet bygger på, og hvor i skabelonerne det citeres.", "",
        "```{=html}", *head, *rows, *tail, "```", ""])  # raw HTML: pandoc must not read "10." as a list
