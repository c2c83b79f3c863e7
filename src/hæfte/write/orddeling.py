"""Danish hyphenation as a typesetter allows it, decided before WeasyPrint lays out the page.

In:  the print HTML's element tree (``xml.etree``, as WeasyPrint parsed it) and
     ``styles/orddeling.txt`` (exceptions, words never broken, English words).
Out: the same tree with soft hyphens (U+00AD) at the allowed break points, English words in
     ``<span lang="en">`` and suspended compounds ("anvisnings- og …") bound to their "og".
     The style sheet says ``hyphens: manual``, so WeasyPrint breaks words only at these points.

The rules: pyphen's Danish patterns; at least 3 letters on each side of a break; never in a word
that starts with a capital (Danish capitalises proper names and sentence starts only, so
København, Ishøj and Landsbyggefonden stay whole), in an English word, a heading, a table, the
cover or the colophon; never in a word joined to digits or a hyphen ("2006-10-midler") and never in
a paragraph's last word, so no paragraph ends on a fragment. A word in ``orddeling.txt`` breaks
only where the list puts a hyphen (a word listed without one never breaks). The rule "at most 2
hyphenated lines in a row" needs the laid-out lines; ``write/layout.py`` applies it with
``unhyphenate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SHY = "\u00ad"
MIN_SIDE = 3  # letters on each side of a break
BLOCKS = {"p", "li", "figcaption", "dd", "dt", "blockquote", "summary"}
NEVER = {"h1", "h2", "h3", "h4", "h5", "h6", "table", "code", "pre", "nav", "script", "style", "head", "title"}
NEVER_CLASSES = {"forside-serie", "undertitel", "forside-aar", "forside-udgiver", "kolofon-side", "udkast"}
_WORD = re.compile(r"[^\W\d_]+")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass
class Rules:
    """What ``styles/orddeling.txt`` says: break points for listed words, English words."""

    breaks: dict[str, tuple[int, ...]] = field(default_factory=dict)  # lower-case word -> allowed positions
    english: tuple[str, ...] = ()


def read_rules(styles: Path) -> Rules:
    path = styles / "orddeling.txt"
    rules = Rules()
    if not path.is_file():
        return rules
    english = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("en:"):
            english.append(line[3:].strip())
            continue
        word, positions, at = "", [], 0
        for part in line.split("-"):
            word += part
            at += len(part)
            positions.append(at)
        rules.breaks[word.lower()] = tuple(positions[:-1])
    rules.english = tuple(english)
    return rules


class Hyphenator:
    def __init__(self, rules: Rules):
        import pyphen

        self.rules = rules
        self.dic = pyphen.Pyphen(lang="da_DK", left=MIN_SIDE, right=MIN_SIDE)
        self._cache: dict[str, str] = {}

    def positions(self, word: str) -> tuple[int, ...]:
        listed = self.rules.breaks.get(word.lower())
        if listed is not None:
            found = listed
        elif word[0].isupper():
            return ()  # a proper name
        else:
            found = tuple(self.dic.positions(word))
        return tuple(p for p in found if MIN_SIDE <= p <= len(word) - MIN_SIDE)

    def word(self, word: str) -> str:
        if word not in self._cache:
            cut = [0, *self.positions(word), len(word)]
            self._cache[word] = SHY.join(word[a:b] for a, b in zip(cut, cut[1:]))
        return self._cache[word]

    def text(self, text: str, keep_last: bool) -> str:
        """Soft hyphens into every word of ``text`` that may break; with ``keep_last`` the last
        word stays whole (it ends the paragraph)."""
        matches = list(_WORD.finditer(text))
        out, at = [], 0
        for i, m in enumerate(matches):
            a, b = m.span()
            joined = (a > 0 and (text[a - 1] in "-\u2011" or text[a - 1].isdigit())) or \
                     (b < len(text) and (text[b] in "-\u2011" or text[b].isdigit()))
            last = keep_last and i == len(matches) - 1
            out.append(text[at:a])
            out.append(m.group(0) if joined or last or len(m.group(0)) < 2 * MIN_SIDE else self.word(m.group(0)))
            at = b
        out.append(text[at:])
        return "".join(out)


def _classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def _skipped(element) -> bool:
    return (element.tag in NEVER or element.get("lang", "da") != "da" or bool(_classes(element) & NEVER_CLASSES))


def _slots(element):
    """The text slots of a block in reading order, as (element, 'text'|'tail'); nested blocks
    and skipped elements are left out (their tails are the block's own text)."""
    if element.text is not None:
        yield element, "text"
    for child in element:
        if not isinstance(child.tag, str):
            pass
        elif not (_skipped(child) or child.tag in BLOCKS):
            yield from _slots(child)
        if child.tail is not None:
            yield child, "tail"


def _blocks(element, skipped: bool = False):
    if not isinstance(element.tag, str):
        return
    skipped = skipped or _skipped(element)
    if element.tag in BLOCKS and not skipped:
        yield element
    for child in element:
        yield from _blocks(child, skipped)


def hyphenate(root, rules: Rules) -> None:
    """Soft hyphens into every paragraph, list item and caption under ``root``'s body."""
    hyphenator = Hyphenator(rules)
    body = root.find("body")
    if body is None:
        return
    for block in _blocks(body):
        slots = list(_slots(block))
        last_with_word = max((i for i, (el, attr) in enumerate(slots) if _WORD.search(getattr(el, attr) or "")),
                             default=-1)
        for i, (el, attr) in enumerate(slots):
            setattr(el, attr, hyphenator.text(getattr(el, attr), keep_last=i == last_with_word))


def _wrap_matches(root, pattern: re.Pattern, attrs: dict[str, str], where=lambda element: True) -> None:
    """Each match of ``pattern`` in the body's text (not in attributes, never inside an element
    that already has ``attrs``) becomes a ``<span>`` with ``attrs``."""
    import xml.etree.ElementTree as ET

    body = root.find("body")
    for parent in list(body.iter()) if body is not None else []:
        if not isinstance(parent.tag, str) or parent.tag in ("script", "style") or not where(parent) \
                or all(parent.get(k) == v for k, v in attrs.items()):
            continue
        index = 0  # 0: the parent's own text; i > 0: the tail of child i - 1
        while True:
            text = (parent.text if index == 0 else parent[index - 1].tail) or ""
            m = pattern.search(text)
            if m:
                span = ET.Element("span", dict(attrs))
                span.text, span.tail = m.group(0), text[m.end():]
                if index == 0:
                    parent.text = text[:m.start()]
                else:
                    parent[index - 1].tail = text[:m.start()]
                parent.insert(index, span)
                index += 1  # go on in the new span's tail
                continue
            if index >= len(parent):
                break
            index += 1


def bind_suspended_compounds(root) -> None:
    """"anvisnings- og udlejningsredskaber": never a line break between "anvisnings-" and "og",
    where the line would end on what looks like a hyphenated word (a no-break space does not
    stop a break after a hyphen, so the words go in a ``nowrap`` span); in a heading, such as
    the cover's title, the whole phrase stays on one line."""
    _wrap_matches(root, re.compile(r"[^\W\d_]+- (?:og|eller) [^\W\d_]+"), {"class": "samlet"},
                  where=lambda element: element.tag in HEADINGS)
    _wrap_matches(root, re.compile(r"[^\W\d_]+- (?:og|eller)(?= )"), {"class": "samlet"},
                  where=lambda element: element.tag not in HEADINGS and element.get("class") != "samlet")
    # a name that opens with numbers ("2006-10-midler"): never "2006-10-" at a line's end
    _wrap_matches(root, re.compile(r"\b\d+(?:-\d+)*-[^\W\d_]+"), {"class": "samlet"},
                  where=lambda element: element.get("class") != "samlet")


def mark_english(root, words: tuple[str, ...]) -> None:
    """Each English word from the list in ``<span lang="en">``: read in English, never hyphenated."""
    if words:
        _wrap_matches(root, re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b"), {"lang": "en"})


def unhyphenate(block, fragment_before: str, fragment_after: str) -> bool:
    """Take the soft hyphens out of the word that was broken into ``fragment_before`` +
    ``fragment_after`` (as laid out, without soft hyphens) in ``block``; True when found."""
    target = fragment_before + fragment_after
    done = False
    for el, attr in _slots(block):
        value = getattr(el, attr)
        if not value or SHY not in value:
            continue

        def whole(m):
            nonlocal done
            if m.group(0).replace(SHY, "") == target:
                done = True
                return target
            return m.group(0)

        setattr(el, attr, re.sub(r"[^\W\d_]+(?:\u00ad[^\W\d_]+)+", whole, value))
    return done
