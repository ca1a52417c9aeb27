"""Reader for the project's generic JSON Lines corpus format.

One JSON object per line, ``id`` and ``text`` required::

    {"id": "a1", "text": "Shameful!", "spans": [{"start": 0, "end": 8, "label": "Loaded_Language"}]}
    {"id": "a2", "text": "It rained.", "labels": ["reporting"], "split": "dev"}

Offsets are Python string indices into ``text`` (code points, ``end``
exclusive), exactly as in :mod:`framing.data.model`. The full format is in
``docs/jsonl_format.md``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from framing.data._spans import (
    BAD_SPAN_POLICIES,
    BadSpanReport,
    SpanRow,
    apply_bad_span_policy,
    check_policy,
)
from framing.data.errors import CorpusFormatError
from framing.data.io import read_text
from framing.data.model import Corpus, Document

#: Top-level keys a line may have; anything else is an error (a typo would lose data).
JSONL_KEYS: frozenset[str] = frozenset(
    {"id", "text", "spans", "labels", "split", "metadata", "labelled"}
)
#: Metadata keys the reader sets itself.
RESERVED_METADATA: frozenset[str] = frozenset({"split", "labels", "path", "line"})
#: Split of a line with no ``split`` key read from a single path.
DEFAULT_SPLIT = "all"


def read_jsonl(
    paths: str | Path | Mapping[str, str | Path],
    *,
    labels: Iterable[str] | None = None,
    name: str = "jsonl",
    on_bad_span: str = "error",
) -> Corpus:
    """Read documents from JSON Lines files (one JSON object per line).

    Each line is an object with keys ``id`` (str, required, unique across all
    files), ``text`` (str, required), and optionally ``spans`` (list of
    ``{"start": int, "end": int, "label": str or null}``), ``labels`` (list of
    str: document-level labels such as a genre, frames or a bias class),
    ``split`` (str), ``labelled`` (bool, default true: false for texts without
    gold) and ``metadata`` (object). Blank lines are skipped; a UTF-8 BOM at
    the start of a file is ignored. Example (see ``docs/jsonl_format.md``)::

        {"id": "a1", "text": "They are traitors.",
         "spans": [{"start": 9, "end": 17, "label": "Name_Calling,Labeling"}]}
        {"id": "a2", "text": "It rained.", "labels": ["reporting"], "split": "dev"}

    (one object per line in the file; the first is wrapped here.)

    >>> corpus = read_jsonl({"train": "train.jsonl", "dev": "dev.jsonl"})  # doctest: +SKIP

    Parameters
    ----------
    paths : str, Path or mapping of str to path
        One file, or ``{split: file}`` (a ``None`` file leaves the split out).
        With a mapping, a line's ``split`` key must agree with the file's
        split; with one file, the ``split`` key decides (default ``"all"``).
    labels : iterable of str, optional
        The allowed label set, used for ``Corpus.labels`` in the given order;
        every span label and document label must belong to it. ``None``:
        the sorted set of labels found in the data.
    name : str, default "jsonl"
        ``Corpus.name``.
    on_bad_span : {"error", "drop", "clip"}, default "error"
        What to do with a span that ends past the end of its text: raise;
        drop it; or clip its end to the text length (dropped when nothing is
        left). Dropped and clipped spans are reported in one
        :class:`~framing.data.errors.BadSpanWarning` per read (the shared
        policy of :func:`framing.data._spans.apply_bad_span_policy`). A
        negative offset or ``start >= end`` is always an error.

    Returns
    -------
    Corpus
        Documents by split, in file order. ``Document.metadata`` holds the
        line's ``metadata`` plus ``split``, ``labels`` (tuple of str),
        ``path`` and ``line`` (1-based).

    Raises
    ------
    FileNotFoundError
        If a file does not exist.
    CorpusFormatError
        On invalid JSON or UTF-8, a line that is not an object, a missing or
        non-string ``id``/``text``, an unknown key, a duplicate id, a malformed
        span, a bad span under ``on_bad_span="error"``, an unknown label when
        ``labels`` is given, or a metadata key the reader reserves. The
        message names the file and line.
    ValueError
        If ``on_bad_span`` is not one of the policies.
    """
    check_policy("on_bad_span", on_bad_span, BAD_SPAN_POLICIES)
    if isinstance(paths, Mapping):
        # a split given as None is left out (the dataset config's dev=null for cross-validated tasks)
        sources = [(str(split), Path(p)) for split, p in paths.items() if p is not None]
    else:
        sources = [(None, Path(paths))]
    allowed = None if labels is None else tuple(labels)
    allowed_set = None if allowed is None else set(allowed)

    report = BadSpanReport(name, on_bad_span)
    splits: dict[str, list[Document]] = {}
    first_seen: dict[str, tuple[Path, int]] = {}
    found: set[str] = set()
    for file_split, path in sources:
        if file_split is not None:
            splits.setdefault(file_split, [])
        text = read_text(path, allow_empty=True).removeprefix("\ufeff")
        for number, raw in enumerate(text.split("\n"), start=1):
            raw = raw.removesuffix("\r")
            if not raw.strip():
                continue
            doc = _parse_line(raw, path, number, file_split, allowed_set, on_bad_span, report)
            if doc.id in first_seen:
                p0, l0 = first_seen[doc.id]
                raise CorpusFormatError(
                    path, number, f"duplicate id {doc.id!r} (first at {p0}:{l0})"
                )
            first_seen[doc.id] = (path, number)
            found.update(doc.metadata["labels"])
            found.update(s.label for s in doc.spans if s.label is not None)
            splits.setdefault(doc.metadata["split"], []).append(doc)

    report.warn()
    return Corpus(
        name=name,
        labels=allowed if allowed is not None else tuple(sorted(found)),
        splits=splits,
        files=tuple(p for _, p in sources),
    )


def _parse_line(
    raw: str,
    path: Path,
    line: int,
    file_split: str | None,
    allowed: set[str] | None,
    on_bad_span: str,
    report: BadSpanReport,
) -> Document:
    def fail(problem: str) -> CorpusFormatError:
        return CorpusFormatError(path, line, problem)

    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise fail(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise fail(f"expected a JSON object, got {type(obj).__name__}")
    unknown = sorted(set(obj) - JSONL_KEYS)
    if unknown:
        raise fail(
            f"unknown key(s) {unknown}; allowed: {sorted(JSONL_KEYS)} "
            "(put extra fields in 'metadata')"
        )
    for key in ("id", "text"):
        if key not in obj:
            raise fail(f"missing required key {key!r}")
        if not isinstance(obj[key], str):
            raise fail(f"{key!r} must be a string, got {type(obj[key]).__name__}")
    if not obj["id"]:
        raise fail("'id' is empty")
    text: str = obj["text"]

    split = obj.get("split", file_split or DEFAULT_SPLIT)
    if not isinstance(split, str) or not split:
        raise fail(f"'split' must be a non-empty string, got {split!r}")
    if file_split is not None and split != file_split:
        raise fail(f"'split' is {split!r} but the file was given as split {file_split!r}")

    doc_labels = obj.get("labels", [])
    if not isinstance(doc_labels, list) or not all(isinstance(x, str) for x in doc_labels):
        raise fail(f"'labels' must be a list of strings, got {doc_labels!r}")
    for label in doc_labels:
        _check_label(label, allowed, fail)

    labelled = obj.get("labelled", True)
    if not isinstance(labelled, bool):
        raise fail(f"'labelled' must be true or false, got {labelled!r}")

    metadata = obj.get("metadata", {})
    if not isinstance(metadata, dict):
        raise fail(f"'metadata' must be an object, got {type(metadata).__name__}")
    clash = sorted(RESERVED_METADATA & set(metadata))
    if clash:
        raise fail(f"metadata key(s) {clash} are set by the reader; rename them")

    raw_spans = obj.get("spans", [])
    if not isinstance(raw_spans, list):
        raise fail(f"'spans' must be a list, got {type(raw_spans).__name__}")
    rows = [_span_row(item, k, obj["id"], line, allowed, fail) for k, item in enumerate(raw_spans)]
    # Spans past the end of the text go through the shared on_bad_span policy.
    spans = apply_bad_span_policy(rows, text, path=path, policy=on_bad_span, report=report)

    metadata = {
        **metadata,
        "split": split,
        "labels": tuple(doc_labels),
        "path": str(path),
        "line": line,
    }
    return Document(
        id=obj["id"], text=text, spans=tuple(spans), metadata=metadata, labelled=labelled
    )


def _check_label(label: str, allowed: set[str] | None, fail: Callable[[str], Exception]) -> None:
    if allowed is not None and label not in allowed:
        raise fail(f"unknown label {label!r}; allowed: {sorted(allowed)}")


def _span_row(
    item: Any,
    k: int,
    doc_id: str,
    line: int,
    allowed: set[str] | None,
    fail: Callable[[str], Exception],
) -> SpanRow:
    """Check one span object's form (as the TAB-separated readers do) and make a SpanRow."""
    if not isinstance(item, dict) or "start" not in item or "end" not in item:
        raise fail(f"span {k} must be an object with 'start' and 'end', got {item!r}")
    extra = sorted(set(item) - {"start", "end", "label"})
    if extra:
        raise fail(f"span {k} has unknown key(s) {extra}")
    start, end, label = item["start"], item["end"], item.get("label")
    # bool is an int subclass; true/false offsets are a data error.
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise fail(f"span {k} offsets must be integers, got start={start!r} end={end!r}")
    if start < 0:
        raise fail(f"span {k} has a negative start offset {start}")
    if start >= end:
        raise fail(f"span {k}: start {start} is not before end {end} (offsets are [start, end))")
    if label is not None:
        if not isinstance(label, str) or not label:
            raise fail(f"span {k} label must be a non-empty string or null, got {label!r}")
        _check_label(label, allowed, fail)
    return SpanRow(line, doc_id, label, start, end)
