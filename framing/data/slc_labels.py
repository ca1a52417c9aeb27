"""Official sentence-level (SLC) label files of NLP4IF-2019, read beside the span gold they were derived from.

Format (the shared task's README and its scorer ``task-SLC_scorer.py``, a copy of
which is ``tools/task-SLC_scorer.py`` in ``shehel/BERT_propaganda_detection``)::

    article_id<TAB>sentence_id<TAB>label

one row for **every line** of the article file, empty lines included (the
organisers' baseline numbers the lines of ``f.readlines()`` from 1), with
``label`` ``propaganda`` or ``non-propaganda`` (the scorer lower-cases it). The
release ships one file per article (``article<ID>.task-SLC.labels``) and
combined files (``train.task-SLC.labels``); every ``*.task-SLC.labels`` file of
the folder is read, so either layout works.

The files carry the organisers' labels. Our own labels are *derived* from the
spans by the NLP4IF-2019 rule (a line is propaganda when a technique span shares
a character with it, :func:`framing.data.model.label_sentences`); the two can
differ, and :func:`attach_slc_labels` counts on how many lines they do.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

from framing.data.errors import CorpusFormatError, CorpusWarning
from framing.data.io import read_lines
from framing.data.model import Document

PROPAGANDA, NON_PROPAGANDA = "propaganda", "non-propaganda"
#: File names the reader takes from the labels folder.
PATTERN = "*.task-SLC.labels"


class SLCLabelWarning(CorpusWarning):
    """Which splits use official SLC labels, and how often they differ from the span-derived ones."""


def line_count(text: str) -> int:
    """Lines of an article as ``readlines()`` counts them (a final line break ends the last line)."""
    if not text:
        return 0
    return text.count("\n") + (0 if text.endswith("\n") else 1)


def derived_line_labels(doc: Document) -> list[bool]:
    """Per line (index 0 = line 1): does a span of ``doc`` share a character with the line's trimmed text?

    The NLP4IF-2019 rule at line granularity; empty and blank lines are never propaganda.
    """
    out, start = [], 0
    text = doc.text
    for _ in range(line_count(text)):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        out.append(a < b and any(s.start < b and a < s.end for s in doc.spans))
        start = end + 1
    return out


def read_slc_labels(folder: str | Path) -> dict[str, dict[int, tuple[str, Path, int]]]:
    """Every ``*.task-SLC.labels`` file of ``folder``: ``{article id: {sentence id: (label, file, line)}}``.

    Parameters
    ----------
    folder : str or Path

    Returns
    -------
    dict
        Labels lower-cased (``"propaganda"``, ``"non-propaganda"``).

    Raises
    ------
    FileNotFoundError
        If the folder does not exist.
    CorpusFormatError
        Naming file and line: no label file in the folder, a row without three
        tab-separated fields, a sentence id that is not a positive integer, a
        label other than the two (``?``: a template, not gold), a sentence
        labelled twice.
    """
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"SLC labels folder not found: {folder} (dataset.slc_labels_dir)")
    paths = sorted(folder.glob(PATTERN))
    if not paths:
        raise CorpusFormatError(folder, None, f"no {PATTERN} files (NLP4IF-2019 SLC label files) in this folder")
    out: dict[str, dict[int, tuple[str, Path, int]]] = {}
    for path in paths:
        # read_lines skips blank rows: a row exists for every article line, so the line's own text is never blank
        for number, row in read_lines(path):
            fields = row.split("\t")
            if len(fields) != 3:
                raise CorpusFormatError(path, number, f"expected 3 tab-separated fields (article_id, sentence_id, "
                                                      f"label), found {len(fields)}")
            article, sentence, label = fields[0].strip(), fields[1].strip(), fields[2].strip().lower()
            if not sentence.isdigit() or int(sentence) < 1:
                raise CorpusFormatError(path, number, f"sentence id {sentence!r} is not a positive integer")
            if label not in (PROPAGANDA, NON_PROPAGANDA):
                hint = " (a template row: the folder must hold gold labels)" if label == "?" else ""
                raise CorpusFormatError(path, number, f"label {fields[2]!r} is neither {PROPAGANDA} nor "
                                                      f"{NON_PROPAGANDA}{hint}")
            rows = out.setdefault(article, {})
            if int(sentence) in rows:
                _, first_path, first_line = rows[int(sentence)]
                raise CorpusFormatError(path, number, f"article {article} sentence {sentence} is labelled twice "
                                                      f"(first at {first_path}:{first_line})")
            rows[int(sentence)] = (label, path, number)
    return out


def attach_slc_labels(
    splits: Mapping[str, Sequence[Document]], folder: str | Path, corpus: str = "ptc2019"
) -> dict[str, tuple[Document, ...]]:
    """Documents with their official SLC labels, and a report of where official and derived labels differ.

    Every split with labels must have them for every article and every line;
    a split none of whose articles has labels keeps the derived labels.

    Parameters
    ----------
    splits : mapping of split name to sequence of Document
    folder : str or Path
        The labels folder (``dataset.slc_labels_dir``).
    corpus : str
        For the report.

    Returns
    -------
    dict of split name to tuple of Document
        Labelled documents of covered splits gain ``metadata`` ``slc_labels``
        (tuple of str, one per line, index 0 = line 1), ``slc_labels_path``
        and ``slc_disagreements`` (1-based line numbers where the official
        label differs from the span-derived one).

    Warns
    -----
    SLCLabelWarning
        One line: the splits scored with official labels and the number of
        lines on which official and derived labels disagree, with examples.

    Raises
    ------
    CorpusFormatError
        Labels that match no article; a split only partly covered; an article
        whose rows are not exactly sentences 1..n for its n lines.
    """
    labels = read_slc_labels(folder)
    folder = Path(folder).expanduser()
    out, parts, examples, matched = {}, [], [], 0
    for split, docs in splits.items():
        covered = [d for d in docs if d.id in labels]
        matched += len(covered)
        if not covered or not all(d.labelled for d in docs):
            out[split] = tuple(docs)
            continue
        if len(covered) != len(docs):
            missing = [d.id for d in docs if d.id not in labels]
            raise CorpusFormatError(folder, None, f"official SLC labels cover {len(covered)} of the {len(docs)} "
                                                  f"articles of the {split!r} split (none for {missing[:5]}): give "
                                                  "labels for every article of a split or for none")
        new_docs, n_lines, official_only, derived_only = [], 0, 0, 0
        for doc in docs:
            rows = labels[doc.id]
            n = line_count(doc.text)
            if sorted(rows) != list(range(1, n + 1)):
                _, path, number = next(iter(rows.values()))
                raise CorpusFormatError(path, number, f"article {doc.id} has {n} lines ({doc.metadata.get('path')}) "
                                                      f"but its SLC rows number sentences {min(rows)}..{max(rows)} "
                                                      f"({len(rows)} rows): expected one row per line, 1..{n}")
            official = tuple(rows[i][0] for i in range(1, n + 1))
            derived = derived_line_labels(doc)
            differ = tuple(i + 1 for i in range(n) if (official[i] == PROPAGANDA) != derived[i])
            for line in differ:
                if official[line - 1] == PROPAGANDA:
                    official_only += 1
                else:
                    derived_only += 1
                if len(examples) < 3:
                    examples.append(f"article {doc.id} line {line}: official {official[line - 1]}")
            n_lines += n
            meta = {**doc.metadata, "slc_labels": official, "slc_labels_path": str(rows[1][1]),
                    "slc_disagreements": differ}
            new_docs.append(dataclasses.replace(doc, metadata=meta))
        out[split] = tuple(new_docs)
        parts.append(f"{split}: {len(docs)} articles, {n_lines} lines, {official_only + derived_only} differ "
                     f"({official_only} propaganda only in the official labels, {derived_only} only in the "
                     "derived ones)")
    if not matched:
        raise CorpusFormatError(folder, None, f"no article of {corpus} ({', '.join(splits)}) has a row in these "
                                              "SLC label files: wrong folder or corpus?")
    if parts:
        warnings.warn(
            f"{corpus}: official SLC labels from {folder} are the gold of " + "; ".join(parts)
            + (f"; e.g. {', '.join(examples)}" if examples else ""),
            SLCLabelWarning, stacklevel=2,
        )
    return out


def slc_label_agreement(docs: Sequence[Document]) -> dict[str, int]:
    """Counts over documents read with official labels: ``articles``, ``lines``, ``disagreements``."""
    official = [d for d in docs if "slc_labels" in d.metadata]
    return {
        "articles": len(official),
        "lines": sum(len(d.metadata["slc_labels"]) for d in official),
        "disagreements": sum(len(d.metadata["slc_disagreements"]) for d in official),
    }
