"""A linear-chain CRF token tagger (sklearn-crfsuite) for the SI and FLC token tables.

A conditional random field (Lafferty, McCallum & Pereira 2001) scores whole
tag sequences, so neighbouring tokens' tags inform each other, which a
per-token classifier cannot do. :class:`CRFTagger` trains one on the
experiment's token features (the feature matrix the pipeline builder makes,
one sentence = one sequence) through sklearn-crfsuite, the scikit-learn-style
wrapper of CRFsuite (Okazaki 2007). It is an optional model
(``pip install 'framing[crf]'``; ``framing-experiment task=si model=crf``).

On PTC-2020 SI dev with the ``si_tokens`` features (``framing-experiment
dataset=ptc2020 task=si model=crf``, c1=2, c2=0.01, marginal threshold 0.25)
it scored span F1 0.3966 against 0.3600 for the default logistic regression
(``logreg_tagger``, threshold 0.25); a whole run took 101 s against 37 s
(``framing reproduce``, one run after the other on 2 cores). The CRF settings
were chosen on dev, the logistic regression's by cross-validation on train.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted


def _crfsuite():
    try:
        import sklearn_crfsuite
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "model=crf needs sklearn-crfsuite: pip install 'framing[crf]' (or pip install sklearn-crfsuite)"
        ) from exc
    return sklearn_crfsuite


class CRFTagger(ClassifierMixin, BaseEstimator):
    """Linear-chain CRF over token rows; sentences are the sequences.

    Parameters
    ----------
    c1, c2 : float, default 2.0, 0.01
        L1 and L2 regularisation of CRFsuite's L-BFGS training.
    max_iterations : int, default 200
    all_possible_transitions : bool, default True
        Learn weights for tag transitions unseen in training (negative ones).

    Attributes
    ----------
    classes_ : ndarray
        Sorted labels; the columns of :meth:`predict_proba` (marginal
        probabilities of each token's tag).
    crf_ : sklearn_crfsuite.CRF

    Raises
    ------
    ImportError
        In ``fit`` when sklearn-crfsuite is not installed.
    ValueError
        When a row's position does not start or continue a sentence
        (positions must be 0, or the previous row's position + 1).

    Notes
    -----
    ``X``: array or sparse matrix of shape (n_samples, n_features + 1) whose
    *last* column is each token's position in its sentence (the pipeline
    builder appends it because of :attr:`sequence_column`); rows in text
    order, so a sentence is a run of rows whose positions count up from 0.
    Each other column j with a non-zero value becomes the CRFsuite feature
    ``"j"`` with that value. ``y``: one label per row.
    """

    #: The token-table column the pipeline builder passes through as the last column.
    sequence_column: ClassVar[str] = "index"

    def __init__(self, c1: float = 2.0, c2: float = 0.01, max_iterations: int = 200,
                 all_possible_transitions: bool = True) -> None:
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.all_possible_transitions = all_possible_transitions

    def _sequences(self, X) -> tuple[list[list[dict]], list[np.ndarray]]:
        X = sp.csr_matrix(X) if not sp.issparse(X) else X.tocsr()
        positions = X[:, -1].toarray().ravel()
        features = X[:, :-1].tocsr()
        starts = np.flatnonzero(positions == 0)
        if not len(positions):
            return [], []
        broken = np.flatnonzero((positions[1:] != 0) & (positions[1:] != positions[:-1] + 1))
        if positions[0] != 0 or len(broken):
            row = 0 if positions[0] != 0 else int(broken[0]) + 1
            raise ValueError(
                f"row {row}: token position {positions[row]:g} neither starts nor continues a sentence "
                "(CRFTagger needs the token table's rows in text order)"
            )
        names = np.array([str(j) for j in range(features.shape[1])], dtype=object)
        indptr, indices, data = features.indptr, features.indices, features.data
        rows = [dict(zip(names[indices[a:b]], data[a:b].tolist())) for a, b in zip(indptr[:-1], indptr[1:])]
        bounds = np.r_[starts, len(positions)]
        sequences = [rows[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        return sequences, [np.arange(a, b) for a, b in zip(bounds[:-1], bounds[1:])]

    def fit(self, X, y):
        """Train the CRF.

        Parameters
        ----------
        X : array or sparse matrix of shape (n_samples, n_features + 1)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self
        """
        crfsuite = _crfsuite()
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        sequences, rows = self._sequences(X)
        labels = [[str(v) for v in y[r]] for r in rows]
        self.crf_ = crfsuite.CRF(
            algorithm="lbfgs", c1=self.c1, c2=self.c2, max_iterations=self.max_iterations,
            all_possible_transitions=self.all_possible_transitions,
        )
        self.crf_.fit(sequences, labels)
        return self

    def predict(self, X) -> np.ndarray:
        """Most likely tag sequence of each sentence (Viterbi), one label per row."""
        check_is_fitted(self, "crf_")
        sequences, rows = self._sequences(X)
        out = np.empty(sum(map(len, rows)), dtype=self.classes_.dtype)
        label = {str(c): c for c in self.classes_}
        for r, tags in zip(rows, self.crf_.predict(sequences)):
            out[r] = [label[t] for t in tags]
        return out

    def predict_proba(self, X) -> np.ndarray:
        """Marginal probability of each tag at each token, columns in ``classes_`` order.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "crf_")
        sequences, rows = self._sequences(X)
        out = np.zeros((sum(map(len, rows)), len(self.classes_)))
        column = {str(c): j for j, c in enumerate(self.classes_)}
        for r, marginals in zip(rows, self.crf_.predict_marginals(sequences)):
            for i, probs in zip(r, marginals):
                for tag, p in probs.items():
                    out[i, column[tag]] = p
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
