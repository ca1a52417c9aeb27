"""Errors and warnings the corpus readers raise.

Every problem names the file and, where there is one, the 1-based line, so a
user can open the file at the spot.
"""

from __future__ import annotations

from pathlib import Path

from framing.errors import UserError


class CorpusFormatError(UserError, ValueError):
    """A corpus file does not have the documented format.

    Parameters
    ----------
    path : str or Path
        The offending file.
    line : int or None
        1-based line number, ``None`` when the problem is not on one line.
    problem : str
        What is wrong, in words.
    """

    def __init__(self, path: str | Path, line: int | None, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        super().__init__(f"{where}: {problem}")


class CorpusWarning(UserWarning):
    """A reader's warning about a corpus file (it names the file and line itself)."""


class BadSpanWarning(CorpusWarning):
    """Spans were dropped or clipped under the ``on_bad_span`` policy."""


class OffsetUnitWarning(CorpusWarning):
    """Span offsets of a file were converted from UTF-16 code units to code points."""
