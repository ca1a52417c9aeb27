"""Article-level features from a sentence-level cue family.

The cue families (:mod:`framing.features.loaded`, ``agency``, ``hedging``,
``style``, :mod:`framing.features.frames`) measure sentences. Article tasks
(SemEval-2023 Task 3 subtasks 1 and 2: genre, frames) need one row per
article, so :class:`DocumentFeatures` segments each article into sentences
(:func:`framing.text.segment`, exact offsets), runs the family on every
sentence and aggregates each feature over the article's sentences:

``mean``
    the mean over sentences (each sentence weighs the same);
``max``
    the largest sentence value (does the cue peak anywhere?);
``share``
    the share of sentences where the feature is non-zero (does the cue run
    through the article?), in [0, 1];
``pooled``
    the mean weighted by each sentence's word tokens: for a feature that is
    a rate per word token (``*_rate``, ``*_per_1k_words``) this is exactly
    the article's own rate, count over the article's words;
``sum``
    the sum over sentences (with ``style__n_words``: the article's length).

Mean and max pooling of sentence features is the usual way to lift
sentence features to documents; ``share`` and ``pooled`` are the project's
additions, defined above.

The families' lexicons and the NLTK tagger are English: document features
built on them are English-only (TF-IDF on words or characters is not; see
``docs/frames_genre.md``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted

from framing.features.base import Cue, CueFeatures, ExplainableTransformer, check_raw_documents, word_count
from framing.text import annotate, segment

#: Aggregations :class:`DocumentFeatures` knows, in their column-block order.
AGGREGATIONS: tuple[str, ...] = ("mean", "max", "share", "pooled", "sum")

#: Family names :class:`DocumentFeatures` resolves (besides an estimator instance).
DOCUMENT_FAMILIES: tuple[str, ...] = ("loaded", "agency", "hedging", "style", "frames")

SEGMENTATIONS: tuple[str, ...] = ("punkt", "lines", "paragraphs")


def family_estimator(family: str | CueFeatures, params: Mapping[str, Any] | None = None) -> CueFeatures:
    """An unfitted cue family from its name (with ``params``) or a copy of an estimator.

    Raises
    ------
    ValueError
        For an unknown name, or ``params`` given with an estimator.
    TypeError
        If ``family`` is neither a name nor a :class:`CueFeatures`.
    """
    params = dict(params or {})
    if isinstance(family, CueFeatures):
        if params:
            raise ValueError("family_params only go with a family given by name; set them on the estimator")
        return clone(family)
    if not isinstance(family, str):
        raise TypeError(f"family must be a family name or a CueFeatures estimator, got {type(family).__name__}")
    if family == "frames":
        from framing.features.frames import FrameLexiconFeatures

        return FrameLexiconFeatures(**params)
    if family not in DOCUMENT_FAMILIES:
        raise ValueError(f"unknown feature family {family!r}; choose from {DOCUMENT_FAMILIES}")
    from framing.features import family_class

    return family_class(family)(**params)


@lru_cache(maxsize=16384)
def _sentence_bounds(text: str, mode: str) -> tuple[tuple[int, int], ...]:
    # Cross-validation transforms the same articles once per fold: segment each once.
    return tuple((s.start, s.end) for s in segment(text, mode))


class DocumentFeatures(ExplainableTransformer):
    """A sentence-level cue family aggregated over each document's sentences.

    Parameters
    ----------
    family : str or CueFeatures, default "loaded"
        ``"loaded"``, ``"agency"``, ``"hedging"``, ``"style"`` or
        ``"frames"`` (:class:`~framing.features.frames.FrameLexiconFeatures`),
        or an unfitted family estimator (cloned at ``fit``).
    family_params : dict or None, default None
        Keyword arguments of the family named by ``family``.
    segmentation : {"punkt", "lines", "paragraphs"}, default "punkt"
        How documents are split into sentences (:func:`framing.text.segment`):
        ``"punkt"`` runs NLTK's Punkt (English model) within each line.
    aggregations : sequence of str, default ("mean", "max", "share")
        Any of :data:`AGGREGATIONS` (see the module docstring), each giving
        one block of columns.

    Input and output: ``X`` is a sequence of str of length n_samples (whole
    documents); :meth:`transform` returns an ndarray of shape (n_samples,
    n_family_features * n_aggregations), columns named
    ``<family>__<feature>_<aggregation>`` (``loaded__fear_threat_rate_max``),
    aggregation blocks in the order of ``aggregations``. Units: ``mean``,
    ``max``, ``pooled`` and ``sum`` keep the family feature's unit;
    ``share`` is a proportion of sentences. A document without sentences
    gets zeros.

    Raises
    ------
    ValueError
        At ``fit``: unknown family, segmentation or aggregation, or no
        aggregation. At ``transform``: ``X`` is a single string or holds
        non-strings.
    sklearn.exceptions.NotFittedError
        ``transform``, ``explain`` or ``get_feature_names_out`` before ``fit``.
    """

    def __init__(
        self,
        family: str | CueFeatures = "loaded",
        family_params: Mapping[str, Any] | None = None,
        segmentation: str = "punkt",
        aggregations: Sequence[str] = ("mean", "max", "share"),
    ) -> None:
        self.family = family
        self.family_params = family_params
        self.segmentation = segmentation
        self.aggregations = aggregations

    def fit(self, X=None, y=None):
        """Fit the family (load its lexicons); ``X`` and ``y`` are ignored.

        Returns
        -------
        self
        """
        if self.segmentation not in SEGMENTATIONS:
            raise ValueError(f"unknown segmentation {self.segmentation!r}; choose from {SEGMENTATIONS}")
        if isinstance(self.aggregations, str):
            raise ValueError(f"aggregations must be a sequence of names, got the string {self.aggregations!r}")
        aggregations = tuple(self.aggregations)
        if not aggregations:
            raise ValueError(f"choose at least one aggregation of {AGGREGATIONS}")
        unknown = [a for a in aggregations if a not in AGGREGATIONS]
        if unknown or len(set(aggregations)) != len(aggregations):
            raise ValueError(f"aggregations must be distinct names from {AGGREGATIONS}, got {aggregations}")
        self.family_ = family_estimator(self.family, self.family_params).fit()
        self.aggregations_ = aggregations
        inner = self.family_.get_feature_names_out()
        self.feature_names_out_ = np.asarray([f"{name}_{agg}" for agg in aggregations for name in inner], dtype=object)
        return self

    # -- sentences
    def sentence_spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` character offsets of the sentences the family reads in ``text``."""
        return list(_sentence_bounds(text, self.segmentation))

    def _split(self, docs: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """All sentences of ``docs`` in order, and each document's sentence count."""
        sentences: list[str] = []
        counts = np.zeros(len(docs), dtype=np.intp)
        for i, doc in enumerate(docs):
            bounds = _sentence_bounds(doc, self.segmentation)
            counts[i] = len(bounds)
            sentences.extend(doc[a:b] for a, b in bounds)
        return sentences, counts

    # -- sklearn API
    def transform(self, X) -> np.ndarray:
        """Aggregated family features of each document.

        Parameters
        ----------
        X : sequence of str of length n_samples
            Whole documents.

        Returns
        -------
        ndarray of shape (n_samples, n_features), float64
            Columns as named by :meth:`get_feature_names_out`.
        """
        check_is_fitted(self, "feature_names_out_")
        docs = check_raw_documents(X)
        sentences, counts = self._split(docs)
        n_inner = len(self.feature_names_out_) // len(self.aggregations_)
        out = np.zeros((len(docs), len(self.feature_names_out_)), dtype=np.float64)
        if not sentences:
            return out
        # one batch: the annotation cache annotates all misses in parallel
        values = self.family_.transform(sentences)
        weights = None
        if "pooled" in self.aggregations_:
            weights = np.array([word_count(a) for a in annotate(sentences)], dtype=np.float64)
        has = counts > 0
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[has]
        for block, agg in enumerate(self.aggregations_):
            columns = slice(block * n_inner, (block + 1) * n_inner)
            out[has, columns] = _aggregate(agg, values, starts, counts[has], weights)
        return out

    def explain_many(self, texts: Iterable[str]) -> list[list[Cue]]:
        """:meth:`explain` for many documents, annotating their sentences in one batch."""
        check_is_fitted(self, "feature_names_out_")
        docs = check_raw_documents(texts)
        sentences, counts = self._split(docs)
        found = self.family_.explain_many(sentences) if sentences else []
        out, i = [], 0
        for doc, n in zip(docs, counts):
            bounds = _sentence_bounds(doc, self.segmentation)
            cues = [c.shifted(start) for (start, _), cs in zip(bounds, found[i : i + n]) for c in cs]
            out.append(sorted(cues, key=lambda c: (c.start, c.end, c.category)))
            i += n
        return out

def _aggregate(
    agg: str, values: np.ndarray, starts: np.ndarray, counts: np.ndarray, weights: np.ndarray | None
) -> np.ndarray:
    """One aggregation over consecutive row groups ``values[starts[i]:starts[i] + counts[i]]`` (counts > 0)."""
    if agg == "max":
        return np.maximum.reduceat(values, starts, axis=0)
    if agg == "sum":
        return np.add.reduceat(values, starts, axis=0)
    if agg == "mean":
        return np.add.reduceat(values, starts, axis=0) / counts[:, None]
    if agg == "share":
        return np.add.reduceat((values != 0).astype(np.float64), starts, axis=0) / counts[:, None]
    if agg == "pooled":
        total = np.add.reduceat(weights, starts)
        weighted = np.add.reduceat(values * weights[:, None], starts, axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            pooled = weighted / total[:, None]
        return np.where(total[:, None] > 0, pooled, 0.0)
    raise ValueError(f"unknown aggregation {agg!r}")  # pragma: no cover - checked in fit
