"""Surface shape of a text (a TC span or a sentence): length, repetition, punctuation.

Several techniques have a typical surface form: Slogans and
Thought-terminating_Cliches are short and often quoted or exclaimed, Doubt
is often a question, Repetition repeats words that occur elsewhere in the
article, Name_Calling is short, Causal_Oversimplification and
Black-and-White_Fallacy are long. The organisers' TC baseline used the span
length alone (Da San Martino et al. 2020); teams such as CyberWallE
(Blaschke et al. 2020) added repetition counts. These features describe the
text itself and how often it recurs in its article; its words are left to
the bag-of-words features. The TC, SLC and sentence-technique tasks give
their rows the ``repeats`` column these features read.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

FEATURES = (
    "log_chars",
    "log_words",
    "log_repeats",
    "repeated",
    "question",
    "exclamation",
    "quoted",
    "capitalised_share",
    "all_caps_share",
    "commas",
)

_QUOTES = "\"'“”‘’«»"


def _normalise(text: str) -> str:
    return " ".join(text.split()).casefold()


def _others(needle: str, haystack: str) -> int:
    """Occurrences of ``needle`` in ``haystack`` (overlapping) minus its own."""
    if not needle:
        return 0
    count, start = 0, haystack.find(needle)
    while start >= 0:
        count += 1
        start = haystack.find(needle, start + 1)
    return max(count - 1, 0)


def repeat_count(text: str, document: str) -> int:
    """Occurrences of ``text`` in ``document`` besides itself, case-insensitive.

    Overlapping occurrences count; whitespace runs are compared as single
    spaces, so a phrase broken across lines still matches.
    """
    return _others(_normalise(text), _normalise(document))


def repeat_counts(texts, document: str) -> list[int]:
    """:func:`repeat_count` of each of ``texts`` in one ``document`` (normalised once, not per text)."""
    haystack = _normalise(document)
    return [_others(_normalise(t), haystack) for t in texts]


def _first_letter(word: str) -> str:
    return next((c for c in word if c.isalpha()), "")


def text_shape(text: str, repeats: int) -> list[float]:
    """The :data:`FEATURES` of one text (see :class:`TextShapeFeatures`)."""
    words = text.split()
    n_words = len(words)
    stripped = text.strip()
    alpha = [w for w in words if any(c.isalpha() for c in w)]
    return [
        math.log1p(len(text)),
        math.log1p(n_words),
        math.log1p(repeats),
        float(repeats > 0),
        float("?" in text),
        float("!" in text),
        float(len(stripped) > 1 and stripped[0] in _QUOTES and stripped[-1] in _QUOTES),
        sum(_first_letter(w).isupper() for w in alpha) / len(alpha) if alpha else 0.0,
        sum(w.isupper() and sum(c.isalpha() for c in w) > 1 for w in alpha) / len(alpha) if alpha else 0.0,
        float(text.count(",")),
    ]


class TextShapeFeatures(TransformerMixin, BaseEstimator):
    """Length, repetition and punctuation shape of spans or sentences.

    Reads two columns of a task's rows (:attr:`input_columns`): ``text``
    and ``repeats``, the number of other occurrences of the text in its
    article (:func:`repeat_count`).

    Output: ``ndarray`` of shape (n_samples, 10), columns

    - ``shape__log_chars``: log(1 + characters), log count
    - ``shape__log_words``: log(1 + whitespace-separated words), log count
    - ``shape__log_repeats``: log(1 + other occurrences in the article), log count
    - ``shape__repeated``: the text occurs elsewhere in the article, 0/1
    - ``shape__question``: contains ``?``, 0/1
    - ``shape__exclamation``: contains ``!``, 0/1
    - ``shape__quoted``: starts and ends with a quotation mark, 0/1
    - ``shape__capitalised_share``: share of words whose first letter is a capital
    - ``shape__all_caps_share``: share of words of 2+ letters all in capitals
    - ``shape__commas``: number of commas

    Source: the span-length baseline of SemEval-2020 Task 11 TC (Da San
    Martino et al. 2020) and the repetition features of CyberWallE
    (Blaschke et al. 2020), as described in their system paper.
    """

    family = "shape"
    input_columns: ClassVar[tuple[str, ...]] = ("text", "repeats")

    def fit(self, X=None, y=None):
        """Nothing to learn; ``X`` and ``y`` are ignored. Returns self."""
        self.feature_names_out_ = np.asarray([f"shape__{name}" for name in FEATURES], dtype=object)
        return self

    def transform(self, X) -> np.ndarray:
        """Features of each text.

        Parameters
        ----------
        X : pandas.DataFrame with columns ``text`` and ``repeats``, n_samples rows

        Returns
        -------
        ndarray of shape (n_samples, 10)

        Raises
        ------
        ValueError
            If a column is missing.
        """
        check_is_fitted(self, "feature_names_out_")
        missing = [c for c in self.input_columns if c not in getattr(X, "columns", ())]
        if missing:
            raise ValueError(f"TextShapeFeatures needs the columns {self.input_columns}; missing {missing}")
        rows = [text_shape(t, int(r)) for t, r in zip(X["text"], X["repeats"])]
        return np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURES))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()
