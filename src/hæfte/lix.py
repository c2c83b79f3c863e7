"""Readability of the booklet's running text, measured with LIX (læsbarhedsindeks).

In:  the rendered sections (``Rendered.sections``: template name and Markdown).
Out: a ``Score`` per chapter and for the whole booklet: words, sentences, long words, LIX and
     the longest sentence; ``table`` prints them.

LIX = words per sentence + 100 × words of more than six letters / words (Björnsson). The
running text is what a reader reads as prose: paragraphs and list items, fact boxes and case
boxes included; headings, figures (captions, source lines, data tables), Markdown tables and
their captions, and the cover and back-cover apparatus are left out. A cross-reference counts as
its printed words ("på side 12").

Counting rules, stated once:
- a word is a run of letters or digits, joined by inner hyphens ("ikke-vestlig", "2006-10-midler");
- a long word has more than six letters (digits and hyphens are not letters);
- a sentence ends at . ! or ? before a capital letter, a digit or the end of the paragraph, and at
  a colon before a capital letter (Danish capitalises after a colon only when a whole sentence
  follows); an abbreviation such as "pct." before a small letter ends nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W_]+(?:[-–][^\W_]+)*")
_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ0-9«»\"(])|(?<=:)\s+(?=[A-ZÆØÅ«»\"])")
_CROSSREF = re.compile(r'<a class="krydsref"[^>]*>.*?</a>', re.S)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")
_RAW_BLOCK = re.compile(r"<(figure|details|table)\b.*?</\1>", re.S)
APPARATUS = {"forside", "bagside", "kolofon", "unnumbered", "unlisted", "indhold"}  # not running text


@dataclass
class Score:
    name: str
    sentences: list[str] = field(default_factory=list)

    @property
    def words(self) -> list[str]:
        return [w for s in self.sentences for w in _WORD.findall(s)]

    @property
    def long_words(self) -> int:
        return sum(1 for w in self.words if sum(c.isalpha() for c in w) > 6)

    @property
    def lix(self) -> float:
        words = len(self.words)
        return words / len(self.sentences) + 100 * self.long_words / words if words else 0.0

    @property
    def longest(self) -> tuple[int, str]:
        return max(((len(_WORD.findall(s)), s) for s in self.sentences), default=(0, ""))


def running_text(markdown: str) -> list[str]:
    """The paragraphs of running text in a piece of the booklet's Markdown."""
    text = _RAW_BLOCK.sub("", markdown)
    text = _CROSSREF.sub("på side 12", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = _LINK.sub(r"\1", text).replace("\\", "").replace("\u00a0", " ")
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.splitlines()
                 if ln.strip() and not re.match(r"\s*(#|:::|\||: )", ln)]
        if not lines:
            continue
        items = re.split(r"\n(?=\s*[-*] )", "\n".join(lines))  # each list item is a paragraph
        for item in items:
            item = re.sub(r"^\s*[-*]\s+", "", item)
            plain = " ".join(item.replace("**", "").split())
            if plain and not re.fullmatch(r"\*\*[^*]+\*\*", " ".join(item.split())):  # a bold title line
                paragraphs.append(plain)
    return paragraphs


def sentences(paragraph: str) -> list[str]:
    return [s for s in _END.split(paragraph) if _WORD.search(s)]


def chapters(sections) -> list[Score]:
    """One score per chapter: a section with a level-1 heading starts a chapter; a section without
    one (a case box) belongs to the chapter before it. The cover and back cover are left out."""
    out: list[Score] = []
    for section in sections:
        heading = re.search(r"^#\s+(.+?)\s*(\{[^}]*\})?\s*$", section.markdown, re.M)
        if heading:
            classes = set(re.findall(r"\.([\w-]+)", heading.group(2) or ""))
            out.append(Score(heading.group(1) if not classes & APPARATUS else ""))
        if not out or not out[-1].name:
            continue
        for paragraph in running_text(section.markdown):
            out[-1].sentences += sentences(paragraph)
    return [c for c in out if c.name and c.sentences]


def whole(scores: list[Score]) -> Score:
    return Score("Hele hæftet", [s for c in scores for s in c.sentences])


def table(scores: list[Score]) -> str:
    rows = [("kapitel", "ord", "sætn.", "ord/sætn.", "lange ord", "LIX", "længste sætn.")]
    for c in scores + [whole(scores)]:
        words = len(c.words)
        rows.append((c.name, str(words), str(len(c.sentences)), f"{words / len(c.sentences):.1f}",
                     f"{100 * c.long_words / words:.1f} %", f"{c.lix:.1f}", str(c.longest[0])))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i])
                               for i in range(len(r))) for r in rows)
