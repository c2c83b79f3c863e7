"""Faithful to the seed: every part of the booklet's original text is carried by a template.

``tests/seed.txt`` is a copy of the seed (the original booklet's text, as extracted from its
layout); ``tests/seed_map.yaml`` splits it into headings and paragraphs, each paragraph into the
statements it makes, and points every statement at the template line that carries it, with the
key words that line's paragraph must hold. The test checks both directions:

- completeness: the parts, read in order, are the whole seed and nothing else (compared without
  spaces and hyphens, since the seed is hyphenated at line ends), so no paragraph is left out;
- carriage: every template line exists and its paragraph holds the statement's key words.
"""

import re
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parent / "templates"
MAP = yaml.safe_load((HERE / "seed_map.yaml").read_text(encoding="utf-8"))["dele"]


def squeeze(text: str) -> str:
    """Text without spaces, line breaks and hyphens: the seed's layout leaves no other trace."""
    return re.sub(r"[\s\-\u2013\u00ad]", "", text)


def part_text(part: dict) -> str:
    return part["overskrift"] if "overskrift" in part else " ".join(u["seed"] for u in part["udsagn"])


def test_the_parts_are_the_whole_seed_in_order():
    rest = squeeze((HERE / "seed.txt").read_text(encoding="utf-8"))
    for i, part in enumerate(MAP):
        if "afbrudt_af" in part:  # a running head the layout set inside the paragraph
            head = squeeze(part["afbrudt_af"])
            assert head in rest, (i, part["afbrudt_af"])
            at = rest.index(head)
            rest = rest[:at] + rest[at + len(head):]
        text = squeeze(part_text(part))
        assert rest.startswith(text), (i, part_text(part)[:80], rest[:80])
        rest = rest[len(text):]
    assert rest == "", f"seed text without an entry in seed_map.yaml: {rest[:120]}"


def test_every_paragraph_is_split_into_statements():
    paragraphs = [p for p in MAP if "overskrift" not in p]
    assert len(paragraphs) == 84 and all(p["udsagn"] for p in paragraphs)
    assert sum(len(p["udsagn"]) for p in paragraphs) == 151


def template_paragraph(place: str) -> str:
    """The template's text from the given line to the end of its paragraph (the next blank line)."""
    name, line = place.rsplit(":", 1)
    lines = (TEMPLATES / name).read_text(encoding="utf-8").splitlines()
    start = int(line) - 1
    assert 0 <= start < len(lines) and lines[start].strip(), f"{place}: no text on that line"
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return " ".join(" ".join(lines[start:end]).split()).lower()


STATEMENTS = [(s["sted"], s["ord"], s.get("seed", s.get("overskrift")))
              for part in MAP for s in (part["udsagn"] if "udsagn" in part else [part])]


@pytest.mark.parametrize("place,words,seed", STATEMENTS, ids=[f"{i}-{p}" for i, (p, _, _) in enumerate(STATEMENTS)])
def test_the_template_line_carries_the_statement(place, words, seed):
    paragraph = template_paragraph(place)
    missing = [w for w in words if " ".join(w.split()).lower() not in paragraph]
    assert not missing, f"{place} lacks {missing} for: {seed}"
