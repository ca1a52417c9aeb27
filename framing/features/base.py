"""What every feature family shares: the :class:`Cue` record and the transformer contract.

A family subclasses :class:`CueFeatures` and implements three things:

- ``_prepare()`` (called by ``fit``) loads its lexicons into fitted attributes;
- ``_feature_names()`` lists its features (without the family prefix);
- ``_featurize(annotation)`` returns ``(values, cues)`` for one sentence:
  the feature vector and the cues that fired.

``transform`` and ``explain`` both go through ``_featurize``, so the words an
explanation shows are exactly the ones the features counted.

:class:`ExplainableTransformer` is what every explainable transformer shares
(the families, their document aggregates, the length baseline): feature names
from ``feature_names_out_``, ``explain`` through ``explain_many``, raw-text
input tags. Also shared: :func:`word_count` (the one definition of a word
token) and :func:`check_raw_documents`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from framing.lexicons.lexicon import TokenMemo
from framing.text import Annotation, annotate


@dataclass(frozen=True, slots=True)
class Cue:
    """One framing cue that fired in a text.

    Parameters
    ----------
    family : str
        Feature family: ``"loaded"``, ``"agency"``, ``"hedging"``, ``"style"``.
    category : str
        What fired, as in the feature names (``"fear_threat"``,
        ``"agentless_passive"``, ``"hedge"`` ...).
    start, end : int
        Character offsets of the matched words in the explained text, end exclusive.
    words : str
        ``text[start:end]``.
    source : str
        The lexicon or rule that matched (``"project:loaded"``, ``"mpqa"``,
        ``"rule:passive"`` ...).
    """

    family: str
    category: str
    start: int
    end: int
    words: str
    source: str = ""

    def shifted(self, offset: int) -> Cue:
        """The same cue with offsets moved by ``offset`` (sentence -> document)."""
        return Cue(self.family, self.category, self.start + offset, self.end + offset, self.words, self.source)


def check_raw_documents(X) -> list[str]:
    """Validate ``X`` as an iterable of strings (as ``TfidfVectorizer`` does).

    Raises
    ------
    ValueError
        If ``X`` is a single string or contains a non-string.
    """
    if isinstance(X, str):
        raise ValueError("Iterable over raw text documents expected, string object received.")
    if hasattr(X, "ndim") and getattr(X, "ndim", 1) == 2:
        if X.shape[1] != 1:
            raise ValueError(f"expected one column of raw text, got {X.shape[1]} columns")
        X = X.iloc[:, 0] if hasattr(X, "iloc") else X[:, 0]
    docs = list(X)
    for i, doc in enumerate(docs):
        if not isinstance(doc, str):
            raise ValueError(f"sample {i} is {type(doc).__name__}, expected str")
    return docs


def cue_span(annotation: Annotation, text: str, first: int, last: int) -> tuple[int, int, str]:
    """Character span covering tokens ``first`` .. ``last - 1`` of an annotated text."""
    start = annotation.offsets[first][0]
    end = annotation.offsets[last - 1][1]
    return start, end, text[start:end]


class ExplainableTransformer(TransformerMixin, BaseEstimator):
    """What an explainable transformer on raw texts shares.

    A subclass sets ``feature_names_out_`` in ``fit`` and implements
    ``transform`` and :meth:`explain_many`; it gets :meth:`get_feature_names_out`,
    :meth:`explain` and scikit-learn's raw-text input tags.
    """

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the output columns (``<family>__<feature>``).

        Returns
        -------
        ndarray of str of shape (n_features,)

        Raises
        ------
        sklearn.exceptions.NotFittedError
            Before ``fit``.
        """
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()

    def explain(self, text: str) -> list[Cue]:
        """The cues that fired in one text, with character offsets into it.

        Parameters
        ----------
        text : str

        Returns
        -------
        list of Cue
            Sorted by offset; ``text[c.start:c.end] == c.words``.
        """
        return self.explain_many([text])[0]

    def explain_many(self, texts: Iterable[str]) -> list[list[Cue]]:  # pragma: no cover - overridden
        """:meth:`explain` for many texts, in one batch."""
        raise NotImplementedError

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = True
        return tags


class CueFeatures(ExplainableTransformer):
    """Base class of the feature families; see the module docstring.

    Input ``X`` is a sequence of raw sentences (``list[str]``, a pandas Series
    or a one-column frame); annotations come from :func:`framing.text.annotate`.
    Output is a dense ``ndarray`` of shape ``(n_samples, n_features)``.
    """

    family: ClassVar[str] = ""

    # -- to implement
    def _prepare(self) -> None:  # pragma: no cover - overridden
        """Load lexicons and set fitted attributes."""

    def _feature_names(self) -> list[str]:  # pragma: no cover - overridden
        raise NotImplementedError

    def _featurize(self, annotation: Annotation, text: str, explain: bool) -> tuple[Sequence[float], list[Cue]]:
        raise NotImplementedError  # pragma: no cover

    # -- sklearn API
    def fit(self, X=None, y=None):
        """Load the family's lexicons; ``X`` and ``y`` are ignored.

        Returns
        -------
        self
        """
        self._prepare()
        self.feature_names_out_ = np.asarray(
            [f"{self.family}__{name}" for name in self._feature_names()], dtype=object
        )
        return self

    def transform(self, X) -> np.ndarray:
        """Features of each sentence.

        Parameters
        ----------
        X : sequence of str of length n_samples
            Raw sentences (or other short texts).

        Returns
        -------
        ndarray of shape (n_samples, n_features), float64
            Columns as named by :meth:`get_feature_names_out`.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            Before ``fit``.
        ValueError
            If ``X`` is a single string or holds non-strings.
        """
        check_is_fitted(self, "feature_names_out_")
        docs = check_raw_documents(X)
        featurize = self._featurize
        rows = [featurize(ann, doc, False)[0] for doc, ann in zip(docs, annotate(docs))]
        return np.array(rows, dtype=np.float64).reshape(len(docs), len(self.feature_names_out_))

    def explain_many(self, texts: Iterable[str]) -> list[list[Cue]]:
        """:meth:`explain` for many texts, annotating them in one batch."""
        check_is_fitted(self, "feature_names_out_")
        docs = check_raw_documents(texts)
        return [
            sorted(self._featurize(ann, doc, True)[1], key=lambda c: (c.start, c.end, c.category))
            for doc, ann in zip(docs, annotate(docs))
        ]


def is_word(token: str) -> int:
    """1 if the token has a letter or digit (a word token), else 0 (punctuation)."""
    return int(any(ch.isalnum() for ch in token))


#: :func:`is_word` of every token seen, shared by the families.
IS_WORD = TokenMemo(is_word)


def word_count(tokens: Annotation | Sequence[str]) -> int:
    """Word tokens: tokens with at least one letter or digit (punctuation excluded).

    Parameters
    ----------
    tokens : Annotation or sequence of str
        An annotated sentence (its ``tokens``) or tokens (original or lower case:
        the answer is the same).

    Returns
    -------
    int
    """
    if isinstance(tokens, Annotation):
        tokens = tokens.tokens
    return sum(map(IS_WORD.__getitem__, tokens))


def safe_rate(count: float, total: float) -> float:
    """``count / total``, 0 when ``total`` is 0."""
    return count / total if total else 0.0
