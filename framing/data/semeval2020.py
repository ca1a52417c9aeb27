"""Reader for the PTC v2, SemEval-2020 Task 11 release (SI and TC, 14 techniques).

Sources: Da San Martino, Barrón-Cedeño, Wachsmuth, Petrov, Nakov, "SemEval-2020 Task 11:
Detection of Propaganda Techniques in News Articles", SemEval 2020; corpus from Da San
Martino et al., EMNLP-IJCNLP 2019. Layout of the organisers' archive::

    <root>/{train,dev,test}-articles/article<ID>.txt
    <root>/{split}-labels-task-flc-tc/article<ID>.task-flc-tc.labels   TC gold: id, technique, start, end
    <root>/{split}-labels-task-si/article<ID>.task-si.labels           SI gold: id, start, end
    <root>/{split}-task-flc-tc.labels, {split}-task-si.labels          the same gold, one file per split
    <root>/test-task-tc-template.out                                   test spans to classify: id, ?, start, end

Offsets are code points of the UTF-8 text read without newline translation, end exclusive.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import Path

from framing.data._spans import (
    BAD_SPAN_POLICIES,
    BadSpanReport,
    SpanRow,
    apply_bad_span_policy,
    check_policy,
    read_span_rows,
)
from framing.data.errors import CorpusFormatError
from framing.data.io import read_text
from framing.data.model import Corpus, Document, Span
from framing.data.techniques import SEMEVAL2020_TECHNIQUES

CITATION = (
    "Giovanni Da San Martino, Alberto Barrón-Cedeño, Henning Wachsmuth, Rostislav Petrov, "
    "Preslav Nakov. SemEval-2020 Task 11: Detection of Propaganda Techniques in News Articles. "
    "SemEval 2020. Corpus: Da San Martino, Yu, Barrón-Cedeño, Petrov, Nakov. Fine-Grained "
    "Analysis of Propaganda in News Articles. EMNLP-IJCNLP 2019."
)

#: The label of a template slot (``test-task-tc-template.out``).
TEMPLATE_LABEL = "?"

_TEXT_NAME = re.compile(r"article(\d+)\.txt")
_TASK_FILES = {
    # task -> (per-article folder, per-article file suffix, has a technique column)
    "tc": ("{split}-labels-task-flc-tc", ".task-flc-tc.labels", True),
    "si": ("{split}-labels-task-si", ".task-si.labels", False),
}


def _task(task: str) -> tuple[str, str, bool]:
    try:
        return _TASK_FILES[task]
    except KeyError:
        raise ValueError(f"task={task!r}: expected 'tc' or 'si'") from None


def _group(rows: Sequence[SpanRow]) -> dict[str, list[Span]]:
    out: dict[str, list[Span]] = {}
    for row in rows:
        out.setdefault(row.article_id, []).append(Span(row.start, row.end, row.label))
    return out


def read_semeval2020_labels(
    path: str | Path, task: str = "tc", *, labels: Collection[str] | None = None
) -> dict[str, list[Span]]:
    """Read a SemEval-2020 Task 11 span file: gold, per-article or combined, or a submission.

    TC files have ``id<TAB>technique<TAB>start<TAB>end`` rows, SI files ``id<TAB>start<TAB>end``
    (the official format, also that of predictions submitted to the scorer). Offsets are
    checked for form only (no text is read): integers, ``0 <= start < end``.

    Parameters
    ----------
    path : str or Path
        E.g. ``train-task-flc-tc.labels``, ``dev-task-si.labels`` or a prediction file.
    task : {"tc", "si"}, default "tc"
    labels : collection of str, optional
        Allowed techniques for TC; default :data:`SEMEVAL2020_TECHNIQUES`. Ignored for SI.

    Returns
    -------
    dict of str to list of Span
        Article id -> spans in file order (SI spans have ``label=None``). Articles
        without rows are absent.

    Raises
    ------
    CorpusFormatError
        Naming file and line: wrong field count, non-integer or negative offset,
        ``start >= end``, unknown technique, empty id, not UTF-8.
    """
    _, _, with_label = _task(task)
    if labels is None:
        labels = SEMEVAL2020_TECHNIQUES
    return _group(read_span_rows(path, with_label=with_label, labels=labels))


def read_tc_template(path: str | Path) -> dict[str, list[Span]]:
    """Read a TC template (``test-task-tc-template.out``): the spans to classify.

    Rows are ``id<TAB>?<TAB>start<TAB>end``; a prediction replaces ``?`` with a technique.

    Returns
    -------
    dict of str to list of Span
        Article id -> spans with label ``"?"``, in file order.

    Raises
    ------
    CorpusFormatError
        As :func:`read_semeval2020_labels`, and for a label other than ``"?"``.
    """
    return read_semeval2020_labels(path, "tc", labels=(TEMPLATE_LABEL,))


def read_semeval2020(
    root: str | Path,
    splits: Sequence[str] = ("train", "dev", "test"),
    *,
    on_bad_span: str = "error",
) -> Corpus:
    """Read the SemEval-2020 Task 11 release of PTC (v2): TC spans, with SI spans as metadata.

    A split is labelled when its ``{split}-labels-task-flc-tc/`` folder exists; then every
    article needs its per-article TC and SI files, and every such file its article. A
    split without gold (the released test split) is prediction-only: ``labelled=False``,
    and its spans are the ``{split}-task-tc-template.out`` slots (label ``"?"``) when that
    file exists, else none.

    Parameters
    ----------
    root : str or Path
        The unpacked archive (``train-articles/`` ...).
    splits : sequence of str, default ("train", "dev", "test")
        A single string is one split.
    on_bad_span : {"error", "drop", "clip"}, default "error"
        For spans ending past their article (none in the release): raise, drop, or clip
        the end to the text length; drop and clip emit one
        :class:`~framing.data.errors.BadSpanWarning` per read.

    Returns
    -------
    Corpus
        ``name="ptc2020"``, ``labels=SEMEVAL2020_TECHNIQUES``, documents sorted by numeric
        id. ``Document.spans`` are the TC gold spans (or template slots), sorted;
        ``metadata``: ``split``, ``path``, ``labels_path`` (TC file), ``si_labels_path``,
        ``si_spans`` (tuple of Span with ``label=None``, sorted; empty for unlabelled
        splits), ``template_path``, ``file_spans`` (the TC spans or template slots in
        the order of their file's rows: the official TC scorer needs a submission in
        that order).

    Raises
    ------
    FileNotFoundError
        A split's articles folder does not exist.
    CorpusFormatError
        Naming file and line: no articles, an empty or non-UTF-8 article, a missing SI
        folder, a missing per-article label file, a label file or template row whose
        article is not in the split, a malformed row, an unknown technique, an id column
        that differs from the file name, a span past the text (``on_bad_span="error"``).
    ValueError
        An unknown policy.
    """
    check_policy("on_bad_span", on_bad_span, BAD_SPAN_POLICIES)
    root = Path(root)
    splits = (splits,) if isinstance(splits, str) else tuple(splits)
    report = BadSpanReport("ptc2020", on_bad_span)
    files: list[Path] = []
    docs = {
        split: _read_split(root, split, on_bad_span, report, files) for split in splits
    }
    report.warn()
    return Corpus(
        name="ptc2020",
        labels=SEMEVAL2020_TECHNIQUES,
        splits=docs,
        files=tuple(files),
        citation=CITATION,
    )


def _per_article_files(root: Path, split: str, task: str, ids: set[str]) -> dict[str, Path]:
    folder_pattern, suffix, _ = _TASK_FILES[task]
    folder = root / folder_pattern.format(split=split)
    if not folder.is_dir():
        raise CorpusFormatError(
            folder,
            None,
            f"folder missing: the {split!r} split has TC gold but no {task.upper()} gold",
        )
    pattern = re.compile(r"article(\d+)" + re.escape(suffix))
    found = {}
    for path in folder.iterdir():
        match = pattern.fullmatch(path.name)
        if match and path.is_file():
            found[match.group(1)] = path
    missing = sorted(ids - set(found), key=int)
    if missing:
        raise CorpusFormatError(
            folder / f"article{missing[0]}{suffix}",
            None,
            f"article {missing[0]} has no {task.upper()} label file in {folder}; "
            f"{len(missing)} of {len(ids)} articles of the {split!r} split lack one",
        )
    orphans = sorted(set(found) - ids, key=int)
    if orphans:
        raise CorpusFormatError(
            found[orphans[0]],
            None,
            f"label file for article {orphans[0]}, which is not in {split}-articles/ "
            f"({len(orphans)} such file(s))",
        )
    return found


def _read_split(
    root: Path, split: str, on_bad_span: str, report: BadSpanReport, files: list[Path]
) -> tuple[Document, ...]:
    folder = root / f"{split}-articles"
    if not folder.is_dir():
        raise FileNotFoundError(
            f"SemEval-2020 articles folder not found: {folder} "
            f"(expected <root>/{split}-articles/article<ID>.txt)"
        )
    texts = {}
    for path in folder.iterdir():
        match = _TEXT_NAME.fullmatch(path.name)
        if match and path.is_file():
            texts[match.group(1)] = path
    if not texts:
        raise CorpusFormatError(folder, None, "no article<ID>.txt files in this folder")
    ids = set(texts)
    labelled = (root / _TASK_FILES["tc"][0].format(split=split)).is_dir()
    tc_files = si_files = {}
    template: dict[str, list[SpanRow]] = {}
    template_path = root / f"{split}-task-tc-template.out"
    if labelled:
        tc_files = _per_article_files(root, split, "tc", ids)
        si_files = _per_article_files(root, split, "si", ids)
    elif template_path.is_file():
        files.append(template_path)
        for row in read_span_rows(template_path, with_label=True, labels=(TEMPLATE_LABEL,)):
            if row.article_id not in ids:
                raise CorpusFormatError(
                    template_path, row.line,
                    f"article {row.article_id} is not in {split}-articles/",
                )
            template.setdefault(row.article_id, []).append(row)
    docs = []
    for article_id in sorted(texts, key=int):
        text_path = texts[article_id]
        text = read_text(text_path)
        files.append(text_path)
        metadata = {
            "split": split,
            "path": str(text_path),
            "labels_path": None,
            "si_labels_path": None,
            "si_spans": (),
            "template_path": None,
        }
        if labelled:
            tc_path, si_path = tc_files[article_id], si_files[article_id]
            files += [tc_path, si_path]
            tc_rows = read_span_rows(
                tc_path, with_label=True, labels=SEMEVAL2020_TECHNIQUES, article_id=article_id
            )
            si_rows = read_span_rows(si_path, with_label=False, article_id=article_id)
            spans = _fit(tc_rows, text, tc_path, text_path, on_bad_span, report)
            si_spans = _fit(si_rows, text, si_path, text_path, on_bad_span, report)
            metadata.update(
                labels_path=str(tc_path),
                si_labels_path=str(si_path),
                si_spans=tuple(sorted(si_spans)),
            )
        else:
            spans = _fit(template.get(article_id, ()), text, template_path, text_path,
                         on_bad_span, report)
            if template_path.is_file():
                metadata["template_path"] = str(template_path)
        metadata["file_spans"] = tuple(spans)
        docs.append(Document(article_id, text, spans, metadata, labelled=labelled))
    return tuple(docs)


def _fit(
    rows: Sequence[SpanRow],
    text: str,
    path: Path,
    text_path: Path,
    on_bad_span: str,
    report: BadSpanReport,
) -> list[Span]:
    return apply_bad_span_policy(
        rows, text, path=path, policy=on_bad_span, report=report, text_path=text_path
    )
