"""Shared checks for character-span label files: row parsing, the bad-span policy, UTF-16 offsets.

Used by the PTC readers (:mod:`framing.data.ptc2019`, :mod:`framing.data.semeval2020`) and
by other readers. The API other modules may rely on (keep it stable):

- :func:`read_span_rows` parses an ``id<TAB>[label<TAB>]start<TAB>end`` table into
  :class:`SpanRow` (line, article id, label, start, end), checking the form of every row;
- :func:`check_policy` and :data:`BAD_SPAN_POLICIES` validate a reader's ``on_bad_span``;
- :func:`apply_bad_span_policy` turns one document's rows into Spans under that policy,
  recording what it dropped or clipped in a :class:`BadSpanReport`, which warns once::

    report = BadSpanReport("semeval2023_en", policy=on_bad_span)
    for ...:
        spans = apply_bad_span_policy(rows, text, path=label_file, policy=on_bad_span,
                                      report=report, text_path=article_file)
    report.warn()          # one BadSpanWarning per read, only if a span was dropped or clipped

:func:`detect_utf16_offsets` (PTC-2019's UTF-16 files) is specific to the PTC readers.
"""

from __future__ import annotations

import bisect
import difflib
import re
import warnings
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from framing.data.errors import BadSpanWarning, CorpusFormatError
from framing.data.io import read_lines
from framing.data.model import Span

#: Values of ``on_bad_span``: raise, drop the span, or clip its end to the text length.
BAD_SPAN_POLICIES: tuple[str, ...] = ("error", "drop", "clip")

#: Values of ``on_utf16_offsets``: raise, convert the file's offsets to code points, keep them.
UTF16_POLICIES: tuple[str, ...] = ("error", "convert", "keep")

#: How many more span boundaries must fall inside a word when a file's offsets are read as
#: code points than when read as UTF-16 code units before the file is taken to be in UTF-16
#: units (see :func:`detect_utf16_offsets`).
UTF16_MIN_EVIDENCE = 2

#: How many file:line locations a BadSpanWarning lists.
_MAX_LOCATIONS = 5

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class SpanRow(NamedTuple):
    """One parsed row of a span table, before it is checked against the text.

    Parameters
    ----------
    line : int
        1-based line of the row in its file.
    article_id : str
        Column 1.
    label : str or None
        The technique column (``None`` for tables without one, e.g. SemEval-2020 SI).
    start, end : int
        Character offsets as written, ``0 <= start < end``.
    """

    line: int
    article_id: str
    label: str | None
    start: int
    end: int


def check_policy(name: str, value: str, allowed: Sequence[str]) -> None:
    """Raise ValueError unless ``value`` is one of ``allowed`` (a reader's policy argument)."""
    if value not in allowed:
        raise ValueError(f"{name}={value!r}: expected one of {', '.join(map(repr, allowed))}")


def read_span_rows(
    path: str | Path,
    *,
    with_label: bool,
    labels: Collection[str] | None = None,
    article_id: str | None = None,
) -> list[SpanRow]:
    """Parse a PTC-style span table: ``id<TAB>[technique<TAB>]start<TAB>end`` per line.

    Blank lines are skipped (their numbers still count). Offsets are checked for
    form only (integers, ``0 <= start < end``); whether they fit the text is the
    caller's job (:func:`apply_bad_span_policy`).

    Parameters
    ----------
    path : str or Path
        The table (UTF-8).
    with_label : bool
        Whether column 2 is a technique (4 columns) or absent (3 columns, SI gold).
    labels : collection of str, optional
        Allowed techniques; ``None`` accepts any non-empty label.
    article_id : str, optional
        The id every row's column 1 must carry (per-article files).

    Returns
    -------
    list of SpanRow
        In file order.

    Raises
    ------
    CorpusFormatError
        Naming the file and 1-based line, for a wrong number of fields, an empty
        id, a non-integer or negative offset, ``start >= end``, an unknown label,
        an id that differs from ``article_id``, or a file that is not UTF-8.
    """
    path = Path(path)
    n_fields = 4 if with_label else 3
    allowed = None if labels is None else frozenset(labels)
    rows = []
    for number, line in read_lines(path):
        fields = line.split("\t")
        if len(fields) != n_fields:
            raise CorpusFormatError(
                path, number, f"expected {n_fields} tab-separated fields, got {len(fields)}"
            )
        ident = fields[0].strip()
        if not ident:
            raise CorpusFormatError(path, number, "empty article id in column 1")
        if article_id is not None and ident != article_id:
            raise CorpusFormatError(
                path,
                number,
                f"article id {ident!r} in column 1 does not match the file name's id "
                f"{article_id!r}",
            )
        label = None
        if with_label:
            label = fields[1]
            if allowed is not None and label not in allowed:
                close = difflib.get_close_matches(label, sorted(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise CorpusFormatError(
                    path,
                    number,
                    f"unknown label {label!r}{hint}; expected one of: "
                    f"{', '.join(sorted(allowed))}",
                )
            if allowed is None and not label:
                raise CorpusFormatError(path, number, "empty label in column 2")
        offsets = []
        for name, raw in (("start", fields[-2]), ("end", fields[-1])):
            try:
                offsets.append(int(raw))
            except ValueError:
                raise CorpusFormatError(
                    path, number, f"{name} offset {raw!r} is not an integer"
                ) from None
        start, end = offsets
        if start < 0:
            raise CorpusFormatError(path, number, f"negative start offset {start}")
        if start >= end:
            raise CorpusFormatError(
                path, number, f"start {start} is not before end {end} (offsets are [start, end))"
            )
        rows.append(SpanRow(number, ident, label, start, end))
    return rows


# --------------------------------------------------------------------------- bad spans


@dataclass
class BadSpanReport:
    """Collects the spans one read dropped or clipped, for one :class:`BadSpanWarning`.

    Parameters
    ----------
    corpus : str
        Name used in the warning (``ptc2019`` ...).
    policy : str
        The ``on_bad_span`` value, quoted in the warning.
    """

    corpus: str
    policy: str
    dropped: int = 0
    clipped: int = 0
    locations: list[str] = field(default_factory=list)

    def _record(self, where: str, action: str) -> None:
        if action == "dropped":
            self.dropped += 1
        else:
            self.clipped += 1
        self.locations.append(f"{where} ({action})")

    def warn(self, stacklevel: int = 3) -> None:
        """Emit one BadSpanWarning with the counts and first locations, if anything changed."""
        total = self.dropped + self.clipped
        if not total:
            return
        shown = "; ".join(self.locations[:_MAX_LOCATIONS])
        more = f"; and {total - _MAX_LOCATIONS} more" if total > _MAX_LOCATIONS else ""
        warnings.warn(
            f"{self.corpus}: {total} span(s) outside their text (on_bad_span={self.policy!r}): "
            f"{self.dropped} dropped, {self.clipped} clipped: {shown}{more}",
            BadSpanWarning,
            stacklevel=stacklevel,
        )


def apply_bad_span_policy(
    rows: Iterable[SpanRow],
    text: str,
    *,
    path: str | Path,
    policy: str,
    report: BadSpanReport,
    text_path: str | Path | None = None,
) -> list[Span]:
    """Turn parsed rows into Spans, applying ``on_bad_span`` to those outside the text.

    A span is bad when ``end > len(text)`` (the corpora's known case is a span running
    past the article's end). Form errors (``start >= end``, negative offsets) are not
    bad spans: :func:`read_span_rows` rejects them.

    Parameters
    ----------
    rows : iterable of SpanRow
        Rows of one label file, offsets in code points of ``text``.
    text : str
        The document text the offsets index.
    path : str or Path
        The label file, for messages.
    policy : {"error", "drop", "clip"}
        ``"error"`` raises; ``"drop"`` leaves the span out; ``"clip"`` sets ``end`` to
        ``len(text)`` and drops the span when nothing is left (``start >= len(text)``).
    report : BadSpanReport
        Receives every dropped or clipped span; call its ``warn()`` once per read.
    text_path : str or Path, optional
        The text file, for messages.

    Returns
    -------
    list of Span
        In row order.

    Raises
    ------
    CorpusFormatError
        With ``policy="error"``, naming the label file, line, span and text length.
    ValueError
        For an unknown policy.
    """
    check_policy("on_bad_span", policy, BAD_SPAN_POLICIES)
    n = len(text)
    spans = []
    for row in rows:
        if row.end <= n:
            spans.append(Span(row.start, row.end, row.label))
            continue
        label = f"{row.label} " if row.label is not None else ""
        what = f"span {label}[{row.start}, {row.end})"
        of = f" of {text_path}" if text_path is not None else ""
        if policy == "error":
            raise CorpusFormatError(
                path,
                row.line,
                f"{what} ends past the end of the text{of} ({n} characters); "
                "pass on_bad_span='drop' or 'clip' to read on "
                "(framing-experiment: dataset.reader.on_bad_span=drop)",
            )
        where = f"{path}:{row.line} {what} in a {n}-character text"
        if policy == "clip" and row.start < n:
            spans.append(Span(row.start, n, row.label))
            report._record(where, "clipped")
        else:
            report._record(where, "dropped")
    return spans


# --------------------------------------------------------------------------- UTF-16 offsets


def has_astral(text: str) -> bool:
    """Whether ``text`` has a character outside the Basic Multilingual Plane (emoji ...).

    Only then do code-point and UTF-16 offsets differ.
    """
    return _ASTRAL.search(text) is not None


class _Utf16Map:
    """Converts UTF-16 code-unit offsets of one text to code-point offsets."""

    def __init__(self, text: str) -> None:
        # UTF-16 unit offset at which each astral character (a surrogate pair) starts.
        self.pair_starts = [m.start() + i for i, m in enumerate(_ASTRAL.finditer(text))]
        self.units = len(text) + len(self.pair_starts)
        self._inside = {u + 1 for u in self.pair_starts}

    def to_codepoint(self, unit: int) -> int | None:
        """Code-point offset of a unit offset; None inside a surrogate pair or past the end."""
        if unit > self.units or unit in self._inside:
            return None
        return unit - bisect.bisect_right(self.pair_starts, unit - 2)


def _inside_word(text: str, offset: int | None) -> bool:
    """Whether a boundary is unusable or splits a word (alphanumeric on both sides)."""
    if offset is None or offset > len(text):
        return True
    return 0 < offset < len(text) and text[offset - 1].isalnum() and text[offset].isalnum()


@dataclass(frozen=True)
class Utf16Evidence:
    """Why a label file was taken to count offsets in UTF-16 code units.

    Attributes
    ----------
    codepoint_misplaced, utf16_misplaced : int
        Span boundaries (starts and ends) inside a word, or past the text, under each reading.
    converted : tuple of SpanRow
        The file's rows with offsets converted to code points.
    example : SpanRow
        A row (as written) that the code-point reading misplaces and the UTF-16 reading does not.
    changed : int
        Rows whose offsets differ between the two readings.
    """

    codepoint_misplaced: int
    utf16_misplaced: int
    converted: tuple[SpanRow, ...]
    example: SpanRow
    changed: int


def detect_utf16_offsets(text: str, rows: Sequence[SpanRow]) -> Utf16Evidence | None:
    """Decide whether a label file's offsets are UTF-16 code units rather than code points.

    Only a text with characters outside the BMP can be affected (each counts 2 UTF-16
    units but 1 code point). Every span boundary is read both ways: as a code point, and
    as a UTF-16 unit offset converted to code points. A boundary is *misplaced* when it
    splits a word (alphanumeric characters on both sides), lies past the text, or (UTF-16
    reading) falls between the two halves of a surrogate pair.

    Rule: the file is in UTF-16 units when the UTF-16 reading places every boundary in the
    text, outside surrogate pairs, and misplaces at least :data:`UTF16_MIN_EVIDENCE` (2)
    fewer boundaries than the code-point reading. Boundaries before the first astral
    character read the same both ways, so the difference counts only the boundaries the
    two readings disagree on. If per-boundary annotation noise and the chance that a shift
    of a few characters splits a word are both fixed, the likelihood ratio of the two
    readings depends only on that difference; requiring 2 rather than 1 means a single
    sloppy boundary never moves a file's gold. In PTC-2019 train this flags 5 of the 6
    labelled files with astral characters; the sixth (article999000870, one span, one
    mid-word boundary either way round) stays in code points, which is how the
    SemEval-2020 release has it.

    Parameters
    ----------
    text : str
        The document text.
    rows : sequence of SpanRow
        The file's rows as written.

    Returns
    -------
    Utf16Evidence or None
        None when the offsets are (taken to be) code points.
    """
    if not rows or not has_astral(text):
        return None
    umap = _Utf16Map(text)
    cp_bad = u16_bad = 0
    converted = []
    example = None
    changed = 0
    for row in rows:
        start, end = umap.to_codepoint(row.start), umap.to_codepoint(row.end)
        if start is None or end is None or start >= end or end > len(text):
            return None  # impossible as UTF-16 units
        cp_row = _inside_word(text, row.start) + _inside_word(text, row.end)
        u16_row = _inside_word(text, start) + _inside_word(text, end)
        cp_bad += cp_row
        u16_bad += u16_row
        if example is None and cp_row > u16_row:
            example = row
        changed += (start, end) != (row.start, row.end)
        converted.append(row._replace(start=start, end=end))
    if example is None or cp_bad - u16_bad < UTF16_MIN_EVIDENCE:
        return None
    return Utf16Evidence(cp_bad, u16_bad, tuple(converted), example, changed)
