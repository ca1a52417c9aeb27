"""Token tagging for the span tasks (SI, FLC): the token table, gold tags, predicted spans.

Shared by :class:`~framing.tasks.si.SITask` and :class:`~framing.tasks.flc.FLCTask`:
every sentence of every article is annotated (:func:`framing.text.annotate`)
and each token becomes a row of a *token table* (:func:`token_table`); gold
character spans become token tags (:func:`covering_span`, :func:`span_tags`);
decoded tags become :class:`PredictedSpan` again. Tags are ``O`` (outside),
``B``/``I`` (begin/inside) and, for FLC, ``<technique>``, ``B-<technique>``,
``I-<technique>`` (:func:`technique_of`, :func:`technique_scores`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing.data.model import Document
from framing.tasks.base import Examples
from framing.text import annotate, segment

OUTSIDE, BEGIN, INSIDE = "O", "B", "I"
TAGGINGS = ("io", "bio")
#: Characters trimmed from the edges of a predicted span: the SemEval-2020
#: release (PTC v2) trimmed its gold spans of these (see its README).
TRIM_CHARACTERS = frozenset(".,:;")
#: Columns of the token table (X) and of the row references.
X_COLUMNS = ("text", "sentence", "index")
REF_COLUMNS = ("doc_id", "start", "end", "sentence_start", "index")


@dataclass(frozen=True, slots=True)
class PredictedSpan:
    """A predicted span of an article.

    Parameters
    ----------
    doc_id : str
    start, end : int
        Character offsets into the article text, end exclusive.
    label : str or None
        The technique (FLC), ``None`` for SI.
    score : float or None
        Mean probability of the span's tokens being inside a span (of this
        technique, for FLC); ``None`` when the model gives no probabilities.
    """

    doc_id: str
    start: int
    end: int
    label: str | None = None
    score: float | None = None


def _object_series(values) -> pd.Series:
    # object dtype keeps one shared str per sentence (a string dtype would copy each row)
    return pd.Series(values, dtype=object)


def token_table(docs: Sequence[Document], segmentation: str) -> pd.DataFrame:
    """Every token of the documents, one row each, in text order.

    Parameters
    ----------
    docs : sequence of Document
    segmentation : {"lines", "punkt", "paragraphs"}
        How documents are split into sentences (:func:`framing.text.segment`).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``start``, ``end`` (the token's character offsets
        in the document), ``sentence_start`` (the sentence's offset),
        ``index`` (the token's position in the sentence), ``text`` (the
        token) and ``sentence`` (the sentence text, one shared object per
        sentence); sorted by document, sentence and position.
    """
    sentences = [(doc.id, s) for doc in docs for s in segment(doc.text, segmentation)]
    annotations = annotate([s.text for _, s in sentences])
    n = sum(len(a) for a in annotations)
    doc_ids = np.empty(n, dtype=object)
    texts = np.empty(n, dtype=object)
    sentence_texts = np.empty(n, dtype=object)
    starts = np.empty(n, dtype=np.int64)
    ends = np.empty(n, dtype=np.int64)
    sentence_starts = np.empty(n, dtype=np.int64)
    index = np.empty(n, dtype=np.int64)
    row = 0
    for (doc_id, sent), ann in zip(sentences, annotations):
        k = len(ann)
        if not k:
            continue
        offsets = np.asarray(ann.offsets, dtype=np.int64)
        sl = slice(row, row + k)
        doc_ids[sl] = doc_id
        texts[sl] = ann.tokens
        sentence_texts[sl] = [sent.text] * k
        starts[sl] = offsets[:, 0] + sent.start
        ends[sl] = offsets[:, 1] + sent.start
        sentence_starts[sl] = sent.start
        index[sl] = np.arange(k)
        row += k
    return pd.DataFrame(
        {
            "doc_id": _object_series(doc_ids),
            "start": starts,
            "end": ends,
            "sentence_start": sentence_starts,
            "index": index,
            "text": _object_series(texts),
            "sentence": _object_series(sentence_texts),
        }
    )


def covering_span(token_starts: np.ndarray, token_ends: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """For each token, the index of the shortest span that overlaps it (-1: none).

    A token overlaps a span when they share a character. Where spans
    overlap (FLC: one fragment, several techniques), the shortest span wins,
    the most specific one (a loaded word inside a longer appeal); ties go to
    the earlier span.

    Parameters
    ----------
    token_starts, token_ends : ndarray of int of shape (n_tokens,)
        Sorted character offsets of one document's tokens.
    spans : sequence of (start, end)

    Returns
    -------
    ndarray of int of shape (n_tokens,)
    """
    chosen = np.full(len(token_starts), -1, dtype=np.int64)
    length = np.full(len(token_starts), np.iinfo(np.int64).max, dtype=np.int64)
    ends = token_ends.tolist()
    starts = token_starts.tolist()
    for k, (start, end) in enumerate(spans):
        first, last = bisect_right(ends, start), bisect_left(starts, end)
        if first >= last:
            continue
        better = length[first:last] > end - start
        chosen[first:last][better] = k
        length[first:last][better] = end - start
    return chosen


def span_tags(table: pd.DataFrame, spans_by_doc: dict[str, Sequence[tuple]]) -> tuple[np.ndarray, np.ndarray]:
    """Gold tags of a token table: ``(span index per token, begins)``.

    Returns
    -------
    covering : ndarray of int of shape (n_tokens,)
        Index into the document's span list (-1: outside every span).
    begins : ndarray of bool of shape (n_tokens,)
        The token starts its span (the previous token is in another span or none).
    """
    covering = np.full(len(table), -1, dtype=np.int64)
    if not len(table):
        return covering, np.zeros(0, dtype=bool)
    doc_ids = table["doc_id"].to_numpy()
    boundaries = np.flatnonzero(doc_ids[1:] != doc_ids[:-1]) + 1
    starts, ends = table["start"].to_numpy(), table["end"].to_numpy()
    for a, b in zip(np.r_[0, boundaries], np.r_[boundaries, len(table)]):
        spans = spans_by_doc.get(doc_ids[a], ())
        if spans:
            covering[a:b] = covering_span(starts[a:b], ends[a:b], [(s[0], s[1]) for s in spans])
    previous = np.r_[-1, covering[:-1]]
    new_doc = np.zeros(len(table), dtype=bool)
    new_doc[np.r_[0, boundaries]] = True
    begins = (covering >= 0) & ((covering != previous) | new_doc)
    return covering, begins


def are_probabilities(y_score) -> bool:
    y_score = np.asarray(y_score, dtype=float)
    if y_score.ndim != 2 or not len(y_score):
        return y_score.ndim == 2
    return bool(y_score.min() >= 0.0 and y_score.max() <= 1.0 and np.allclose(y_score.sum(axis=1), 1.0, atol=1e-6))


def is_trimmed(token: str) -> bool:
    return bool(token) and all(ch in TRIM_CHARACTERS for ch in token)


def gold_of(examples: Examples) -> dict[str, list[tuple]]:
    gold = examples.meta.get("gold")
    if gold is None:
        raise ValueError("these examples have no gold spans (an unlabelled split)")
    present = set(map(str, examples.doc_ids))
    return {doc: spans for doc, spans in gold.items() if doc in present}



def technique_of(tag: str) -> str:
    """``B-Doubt`` / ``I-Doubt`` / ``Doubt`` -> ``Doubt``; ``O`` stays ``O``."""
    if tag.startswith((BEGIN + "-", INSIDE + "-")):
        return tag[2:]
    return tag


def technique_scores(y_score: np.ndarray, classes) -> tuple[list[str], np.ndarray]:
    """Per-technique probabilities: the B- and I- columns of a technique summed.

    Returns
    -------
    techniques : list of str
        Sorted technique names (``O`` excluded).
    scores : ndarray of shape (n_samples, n_techniques)
    """
    names = [technique_of(str(c)) for c in classes]
    techniques = sorted({n for n in names if n != OUTSIDE})
    column = {t: i for i, t in enumerate(techniques)}
    out = np.zeros((len(y_score), len(techniques)), dtype=float)
    for j, name in enumerate(names):
        if name != OUTSIDE:
            out[:, column[name]] += y_score[:, j]
    return techniques, out
