"""Contextual sentence embeddings as scikit-learn feature families.

Three transformers over raw text, each a dense block of a pre-trained
sentence encoder's vectors (:mod:`framing.encoders`; all-MiniLM-L6-v2 by
default, 384 dimensions):

- :class:`SentenceEmbeddings`: one vector per text (a sentence: SLC, BABE);
- :class:`SpanContextEmbeddings`: TC rows, a span and the lines around it:
  the span's vector, the context's, their difference and their product
  (the usual pair features of sentence-pair models, Reimers & Gurevych 2019);
- :class:`DocumentEmbeddings`: one vector per article (frames, genre): the
  mean of its sentences' (or paragraphs') vectors, or the vector of the
  article cut at the model's ``max_seq_length`` word pieces.

They keep the scikit-learn contract: ``__init__`` stores parameters,
``fit`` loads the encoder and records it (attributes ending in ``_``), and a
fitted transformer pickles without the torch model (only the model's name
and identity); it is loaded again at the first ``transform`` after
unpickling. Without the optional extra ``embeddings``, ``fit`` and
``transform`` raise :class:`framing.encoders.MissingExtraError` naming it.
The dimensions are not interpretable: ``framing analyze`` explains the cue
families, not these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from framing.encoders import DEFAULT_MODEL, get_encoder, require_extra, resolve_model
from framing.features.base import check_raw_documents
from framing.text import segment

#: The parts :class:`SpanContextEmbeddings` can output, in their column-block order.
SPAN_PARTS: tuple[str, ...] = ("span", "context", "difference", "product")

#: How :class:`DocumentEmbeddings` makes one vector of an article.
POOLINGS: tuple[str, ...] = ("mean", "truncate")


class _EncoderFeatures(TransformerMixin, BaseEstimator):
    """Shared parameters and encoder handling of the embedding families."""

    family: ClassVar[str] = "embeddings"

    def __init__(self, model: str = DEFAULT_MODEL, batch_size: int = 64, device: str = "cpu",
                 max_seq_length: int | None = None, progress: bool = True) -> None:
        self.model = model
        self.batch_size = batch_size
        self.device = device
        self.max_seq_length = max_seq_length
        self.progress = progress

    def _check_available(self) -> None:
        """Raise before reading any data when the model or the extra is missing.

        ``fit`` calls this first, so the parameter check of an experiment (a trial fit that stops
        at the data, :func:`framing.models.check_parameters`) reports it before a run exists.
        """
        resolve_model(self.model)
        require_extra()

    def _encoder(self):
        return get_encoder(self.model, device=self.device, batch_size=self.batch_size,
                           max_seq_length=self.max_seq_length, progress=self.progress)

    def _fit_encoder(self) -> None:
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {self.batch_size!r}")
        encoder = self._encoder()
        self.encoder_ = encoder.card()
        self.dimension_ = encoder.dimension

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        check_is_fitted(self, "encoder_")
        encoder = self._encoder()
        if encoder.identity != self.encoder_["identity"]:
            raise ValueError(
                f"the encoder {self.model!r} found now ({encoder.identity}) is not the one this transformer "
                f"was fitted with ({self.encoder_['identity']}): provide that model or refit"
            )
        return encoder.encode(texts)

    def _names(self, parts: Sequence[str]) -> np.ndarray:
        check_is_fitted(self, "encoder_")
        width = max(3, len(str(self.dimension_ - 1)))
        return np.asarray([f"{self.family}__{part}dim_{i:0{width}d}" for part in parts
                           for i in range(self.dimension_)], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags


class SentenceEmbeddings(_EncoderFeatures):
    """Sentence-encoder vectors of raw texts.

    Parameters
    ----------
    model : str, default "sentence-transformers/all-MiniLM-L6-v2"
        Hub name or folder of a sentence-transformers model
        (:func:`framing.encoders.resolve_model`; ``$FRAMING_MODELS``).
    batch_size : int, default 64
        Texts per forward pass.
    device : str, default "cpu"
        ``cpu`` or ``cuda``.
    max_seq_length : int, optional
        Truncation in word pieces; default the model's (256).
    progress : bool, default True
        Progress bar while embedding.

    Attributes
    ----------
    encoder_ : dict
        The encoder the transformer was fitted with: ``model``, ``identity``
        (weights checksum and length), ``dimension``, ``max_seq_length``,
        ``extra``, ``library``.
    dimension_ : int

    Examples
    --------
    ``SentenceEmbeddings().fit_transform(["A sentence.", "Another."])`` is an
    array of shape (2, 384) with all-MiniLM-L6-v2; feature names
    ``embeddings__dim_000`` .. ``embeddings__dim_383``.
    """

    def fit(self, X, y=None):
        """Load the encoder and record it (``X``: sequence of str, not read)."""
        self._check_available()
        check_raw_documents(X)
        self._fit_encoder()
        return self

    def transform(self, X) -> np.ndarray:
        """Vectors of ``X``.

        Parameters
        ----------
        X : sequence of str of length n_samples

        Returns
        -------
        ndarray of shape (n_samples, dimension_), float32
        """
        return self._encode(check_raw_documents(X))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self._names([""])


class SpanContextEmbeddings(_EncoderFeatures):
    """Vectors of a span, of its context, and of how the two differ (TC rows).

    Reads the ``text`` (the span) and ``context`` (the lines around it)
    columns of a DataFrame (:attr:`input_columns`); a sequence of str is read
    as spans that are their own context.

    Parameters
    ----------
    parts : sequence of str, default ("span", "context", "difference", "product")
        Blocks of output columns, in this order: ``span`` u, ``context`` v,
        ``difference`` u - v, ``product`` u * v (element-wise).
    model, batch_size, device, max_seq_length, progress
        See :class:`SentenceEmbeddings`.

    Attributes
    ----------
    encoder_ : dict
    dimension_ : int
    """

    family: ClassVar[str] = "span_embeddings"
    input_columns: ClassVar[tuple[str, ...]] = ("text", "context")

    def __init__(self, parts: Sequence[str] = SPAN_PARTS, model: str = DEFAULT_MODEL, batch_size: int = 64,
                 device: str = "cpu", max_seq_length: int | None = None, progress: bool = True) -> None:
        super().__init__(model=model, batch_size=batch_size, device=device, max_seq_length=max_seq_length,
                         progress=progress)
        self.parts = parts

    @staticmethod
    def _columns(X) -> tuple[list[str], list[str]]:
        if hasattr(X, "columns") and "text" in X.columns:
            spans = check_raw_documents(X["text"])
            contexts = check_raw_documents(X["context"]) if "context" in X.columns else spans
            return spans, contexts
        spans = check_raw_documents(X)
        return spans, spans

    def fit(self, X, y=None):
        """Check ``parts``, load the encoder and record it."""
        unknown = [p for p in self.parts if p not in SPAN_PARTS]
        if unknown or not self.parts:
            raise ValueError(f"parts must be a non-empty subset of {SPAN_PARTS}, got {list(self.parts)}")
        self._check_available()
        self._columns(X)
        self._fit_encoder()
        return self

    def transform(self, X) -> np.ndarray:
        """The configured blocks for each row.

        Parameters
        ----------
        X : pandas.DataFrame with ``text`` and ``context`` columns, or sequence of str; n_samples rows

        Returns
        -------
        ndarray of shape (n_samples, len(parts) * dimension_), float32
        """
        spans, contexts = self._columns(X)
        u = self._encode(spans)
        v = self._encode(contexts) if any(p != "span" for p in self.parts) else u
        blocks = {"span": lambda: u, "context": lambda: v, "difference": lambda: u - v, "product": lambda: u * v}
        return np.hstack([blocks[p]() for p in self.parts])

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self._names([f"{p}_" for p in self.parts])


class DocumentEmbeddings(_EncoderFeatures):
    """One vector per article: pooled sentence vectors, or the truncated article's vector.

    Parameters
    ----------
    pooling : {"mean", "truncate"}, default "mean"
        ``mean``: the mean of the vectors of the article's segments
        (:func:`framing.text.segment` with ``segmentation``); ``truncate``: the
        vector of the whole article, which the encoder cuts after
        ``max_seq_length`` word pieces (its first few sentences).
    segmentation : {"punkt", "lines", "paragraphs"}, default "punkt"
        Segments for ``mean`` pooling.
    model, batch_size, device, max_seq_length, progress
        See :class:`SentenceEmbeddings`.

    Attributes
    ----------
    encoder_ : dict
    dimension_ : int
    """

    family: ClassVar[str] = "doc_embeddings"

    def __init__(self, pooling: str = "mean", segmentation: str = "punkt", model: str = DEFAULT_MODEL,
                 batch_size: int = 64, device: str = "cpu", max_seq_length: int | None = None,
                 progress: bool = True) -> None:
        super().__init__(model=model, batch_size=batch_size, device=device, max_seq_length=max_seq_length,
                         progress=progress)
        self.pooling = pooling
        self.segmentation = segmentation

    def fit(self, X, y=None):
        """Check the options, load the encoder and record it."""
        if self.pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {POOLINGS}, got {self.pooling!r}")
        self._check_available()
        check_raw_documents(X)
        self._fit_encoder()
        return self

    def transform(self, X) -> np.ndarray:
        """Article vectors.

        Parameters
        ----------
        X : sequence of str of length n_samples (whole articles)

        Returns
        -------
        ndarray of shape (n_samples, dimension_), float32
            An article without any segment (empty) gets the vector of the empty string.
        """
        docs = check_raw_documents(X)
        if self.pooling == "truncate":
            return self._encode(docs)
        pieces = [[s.text for s in segment(doc, self.segmentation)] or [doc] for doc in docs]
        flat = self._encode([t for p in pieces for t in p])
        out, i = np.zeros((len(docs), self.dimension_), dtype=np.float32), 0
        for row, p in enumerate(pieces):
            out[row] = flat[i : i + len(p)].mean(axis=0)
            i += len(p)
        return out

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return self._names([""])


def encoder_cards(estimator) -> list[dict]:
    """The ``encoder_`` records of every fitted embedding family inside ``estimator`` (a pipeline).

    Parameters
    ----------
    estimator : fitted estimator, Pipeline or ColumnTransformer

    Returns
    -------
    list of dict
        One per distinct encoder identity; empty for a model without embeddings.
    """
    found: dict[str, dict] = {}

    def walk(obj, depth=0):
        if depth > 8 or obj is None:
            return
        if isinstance(obj, _EncoderFeatures) and hasattr(obj, "encoder_"):
            found.setdefault(obj.encoder_["identity"], dict(obj.encoder_))
            return
        for attr in ("steps", "transformers_", "transformer_list"):
            for item in getattr(obj, attr, None) or []:
                walk(item[1], depth + 1)
        for attr in ("estimator", "estimator_", "final_estimator_"):
            walk(getattr(obj, attr, None), depth + 1)

    walk(estimator)
    return list(found.values())
