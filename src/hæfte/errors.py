"""User-facing errors: one exception class per kind, each with one clean Danish message.

The command line prints ``fejl: <message>`` and exits with status 2; a traceback is shown only
with ``--verbose``. Anything else that escapes is a bug in hæfte, not in the user's input.
"""

from __future__ import annotations

from pathlib import Path


class HaefteError(Exception):
    """Base class for errors caused by input the user can fix."""

    exit_code = 2

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DataError(HaefteError):
    """A data file breaks the data contract; the message names file, row and column."""

    def __init__(self, path: Path | str, problem: str, row: int | None = None,
                 column: str | None = None, more: int = 0, key: str | None = None):
        self.path, self.row, self.column, self.problem = str(path), row, column, problem
        where = [self.path]
        if row is not None:
            where.append(f"række {row}")
        if column is not None:
            where.append(f"kolonne '{column}'")
        if key is not None:  # in a YAML fact file
            where.append(f"nøgle '{key}'")
        message = ", ".join(where) + ": " + problem
        if more:
            message += f" (og {more} fejl mere i samme fil)"
        super().__init__(message)


class ProjectError(HaefteError):
    """The project folder lacks something the build needs."""


class TemplateError(HaefteError):
    """A text template cannot be rendered; the message names template and line."""


class ResourceError(HaefteError):
    """A template points at a file or address outside what the build may read."""


class DisclosureError(HaefteError):
    """A register figure rests on too few persons, or a hidden one could be recovered."""


class BusyError(HaefteError):
    """Another build of the same project is running."""


class VisibilityError(HaefteError):
    """A section or sentence of the booklet is missing or hidden in the PDF or the web page."""
