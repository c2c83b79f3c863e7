"""A generated part of a hand-written Markdown file, kept between two markers.

In:  a file, its start and end markers and a function that makes the generated text.
Out: ``is_current`` (is the file's part what the generator makes now?) and ``write``.
Used by the data contract's column tables (``data/README.md``) and the editors' list of names
(``templates/README.md``), so neither can go stale without a failing test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from hæfte.errors import ProjectError
from hæfte.project import Project


@dataclass(frozen=True)
class GeneratedSection:
    relative_path: str
    start: str
    end: str
    generate: Callable[[Project], str]

    def _current(self, project: Project) -> str:
        path = project.root / self.relative_path
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        if self.start not in text or self.end not in text:
            raise ProjectError(f"{self.relative_path} mangler markeringerne {self.start} og {self.end}")
        return text

    def expected(self, project: Project) -> str:
        block = re.compile(re.escape(self.start) + r".*?" + re.escape(self.end), re.S)
        generated = self.generate(project)
        return block.sub(lambda _: f"{self.start}\n{generated}{self.end}", self._current(project))

    def is_current(self, project: Project) -> bool:
        return self.expected(project) == self._current(project)

    def write(self, project: Project) -> bool:
        new = self.expected(project)
        if new == self._current(project):
            return False
        (project.root / self.relative_path).write_text(new, encoding="utf-8")
        return True
