"""Text length: characters and word tokens, for the organisers' length baselines.

The official baselines of two shared tasks are a logistic regression on one
feature, the length of the text in characters:

- NLP4IF-2019 SLC (Da San Martino et al. 2019, "Findings of the NLP4IF-2019
  Shared Task on Fine-Grained Propaganda Detection"): the organisers'
  ``baseline`` script uses ``len(sentence)`` of each article line;
- SemEval-2020 Task 11 TC (Da San Martino et al. 2020): the organisers'
  ``baseline`` script uses the span length ``end - start``.

Both train ``LogisticRegression(penalty="l2", class_weight="balanced",
solver="lbfgs")`` on that one raw feature. :class:`LengthFeatures` with
``units=("chars",)`` gives exactly that feature; ``"words"`` adds the number
of word tokens.
"""

from __future__ import annotations

import re

import numpy as np
from sklearn.utils.validation import check_is_fitted

from framing.features.base import Cue, ExplainableTransformer, check_raw_documents

#: The units :class:`LengthFeatures` can count.
UNITS = ("chars", "words")

# A word token: a maximal run of letters, digits or underscores (as
# ``TfidfVectorizer``'s default pattern, without its two-character minimum).
_WORD = re.compile(r"\w+")


def count_words(text: str) -> int:
    """Number of word tokens (maximal runs of ``\\w`` characters) in ``text``."""
    return sum(1 for _ in _WORD.finditer(text))


class LengthFeatures(ExplainableTransformer):
    """Length of each text in characters and/or word tokens.

    Parameters
    ----------
    units : sequence of {"chars", "words"}, default ("chars", "words")
        What to count, one output column each, in this order. ``"chars"`` is
        ``len(text)`` in Unicode code points (the unit of PTC offsets, so a
        TC span's length is ``end - start``); ``"words"`` counts maximal
        runs of word characters (``\\w+``), punctuation excluded.

    Attributes
    ----------
    units_ : tuple of str
        The validated ``units``.
    feature_names_out_ : ndarray of str
        ``length__chars``, ``length__words``.

    Notes
    -----
    Raw counts: the experiment pipeline standardises dense features before
    the classifier (:func:`framing.models.build_features`). The organisers'
    scripts fed the raw length to the logistic regression; with a single
    feature, standardising changes only how strongly the default L2 penalty
    acts, not the form of the decision rule (a length threshold per class).
    """

    family = "length"

    def __init__(self, units=UNITS):
        self.units = units

    def fit(self, X=None, y=None):
        """Validate ``units``; ``X`` and ``y`` are ignored.

        Returns
        -------
        self

        Raises
        ------
        ValueError
            If ``units`` is empty, a single string, repeats a unit or names
            an unknown one.
        """
        if isinstance(self.units, str):
            raise ValueError(f"units must be a sequence of units, e.g. ('chars',), not the string {self.units!r}")
        units = tuple(self.units)
        if not units:
            raise ValueError(f"units is empty; choose from {UNITS}")
        unknown = [u for u in units if u not in UNITS]
        if unknown:
            raise ValueError(f"unknown length unit(s) {unknown}; choose from {UNITS}")
        if len(set(units)) != len(units):
            raise ValueError(f"units repeats a unit: {units}")
        self.units_ = units
        self.feature_names_out_ = np.asarray([f"{self.family}__{u}" for u in units], dtype=object)
        return self

    def transform(self, X) -> np.ndarray:
        """Lengths of each text.

        Parameters
        ----------
        X : sequence of str of length n_samples
            Raw texts (sentences or spans).

        Returns
        -------
        ndarray of shape (n_samples, len(units)), float64
            Raw counts (characters, word tokens), columns as named by
            :meth:`get_feature_names_out`.

        Raises
        ------
        sklearn.exceptions.NotFittedError
            Before ``fit``.
        ValueError
            If ``X`` is a single string or holds non-strings.
        """
        check_is_fitted(self, "feature_names_out_")
        docs = check_raw_documents(X)
        out = np.zeros((len(docs), len(self.units_)), dtype=np.float64)
        for j, unit in enumerate(self.units_):
            count = len if unit == "chars" else count_words
            out[:, j] = [count(doc) for doc in docs]
        return out

    def explain_many(self, texts) -> list[list[Cue]]:
        """No cues: a length is a property of the whole text, not of words in it (one empty list per text)."""
        check_is_fitted(self, "feature_names_out_")
        return [[] for _ in check_raw_documents(texts)]
