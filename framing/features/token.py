"""Token features for span identification (SI, FLC): each token in its sentence, with a context window.

Sequence taggers for propaganda spans (the SemEval-2020 Task 11 SI systems,
Da San Martino et al. 2020) classify each token from the token itself, its
neighbours and its sentence. :class:`TokenFeatures` builds such a feature
dictionary per token, the classic feature set of linear and CRF taggers
(Ratnaparkhi 1996; Sha & Pereira 2003: words and POS tags in a window, word
shape, affixes), plus what this project adds: the framing cues of its four
feature families that fire on or next to the token, and the cues and VADER
sentiment of the whole sentence. ``sklearn.feature_extraction.DictVectorizer``
turns the dictionaries into a sparse matrix.

A row is one token, given by the sentence text and the token's position in
:func:`framing.text.annotate`'s tokenisation of it, so the transformer sees
the whole sentence (the window, the cues) and needs no row order.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import ClassVar

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.utils.validation import check_is_fitted

from framing.text import Annotation, annotate

#: Padding of the window beyond the sentence's edges.
BOS, EOS = "<s>", "</s>"
#: PTB tags of quotation marks (the annotation tags typographic quotes the same way).
QUOTE_TAGS = frozenset({"``", "''"})
_LENGTH_BUCKETS = ((5, "1-5"), (10, "6-10"), (20, "11-20"), (40, "21-40"))


@lru_cache(maxsize=200_000)
def word_shape(token: str) -> str:
    """Collapsed character classes of a token: ``Kyiv`` -> ``Xx``, ``1,200`` -> ``d,d``.

    Upper-case letters become ``X``, other letters ``x``, digits ``d``; other
    characters stay; repeated classes collapse to one (Collins 2002's
    "word class" features, as in common CRF taggers).
    """
    out = []
    for ch in token:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _length_bucket(n: int) -> str:
    for limit, name in _LENGTH_BUCKETS:
        if n <= limit:
            return name
    return "41+"


def check_token_table(X) -> tuple[list[str], np.ndarray]:
    """Validate a token table: ``(sentences, positions)``.

    Parameters
    ----------
    X : pandas.DataFrame with columns ``sentence`` (str) and ``index`` (int),
        or a 2-D array-like of shape (n_samples, 2) with those two columns.

    Raises
    ------
    ValueError
        For a single string, a wrong shape, a non-string sentence or a
        negative position.
    """
    if isinstance(X, str):
        raise ValueError("a token table (sentence, index) was expected, got a single string")
    if isinstance(X, pd.DataFrame):
        missing = {"sentence", "index"} - set(X.columns)
        if missing:
            raise ValueError(f"the token table needs columns 'sentence' and 'index'; missing {sorted(missing)}")
        sentences, positions = X["sentence"].tolist(), X["index"].to_numpy()
    else:
        array = np.asarray(X, dtype=object)
        if array.ndim != 2 or array.shape[1] != 2:
            raise ValueError(f"the token table needs 2 columns (sentence, index), got shape {array.shape}")
        sentences, positions = array[:, 0].tolist(), array[:, 1]
    for i, s in enumerate(sentences):
        if not isinstance(s, str):
            raise ValueError(f"row {i}: the sentence is {type(s).__name__}, expected str")
    positions = np.asarray(positions, dtype=np.int64)
    if positions.size and positions.min() < 0:
        raise ValueError("token positions must be >= 0")
    return sentences, positions


class TokenFeatures(TransformerMixin, BaseEstimator):
    """Sparse features of a token in its sentence, for BIO/IO span taggers.

    Parameters
    ----------
    window : int, default 2
        Neighbours on each side whose words and POS tags are features.
    affix_length : int, default 3
        Length of the prefix and suffix features (0: none).
    pos : bool, default True
        POS tags (window, and tag bigrams around the token).
    cue_families : sequence of str, default ("loaded", "agency", "hedging", "style")
        Feature families (:mod:`framing.features`, default configuration)
        whose ``explain`` cues are features: on the token, next to it, and
        anywhere in the sentence.
    cue_window : int, default 1
        Neighbours on each side whose cues are features.
    sentence_features : bool, default True
        Sentence-level features repeated on each token: cue categories in
        the sentence, VADER sentiment, length bucket.
    min_count : int, default 2
        Keep only features that fire on at least this many training tokens.

    Attributes
    ----------
    families_ : list of CueFeatures
        The fitted cue families.
    vectorizer_ : sklearn.feature_extraction.DictVectorizer
        Feature names to columns, restricted to ``min_count``.

    Raises
    ------
    ValueError
        In ``fit``/``transform`` for a malformed token table
        (:func:`check_token_table`) or a position past its sentence's tokens;
        in ``fit`` for an unknown family name.
    sklearn.exceptions.NotFittedError
        ``transform`` before ``fit``.

    Notes
    -----
    Input and output: ``X`` is a token table, ``pandas.DataFrame`` with columns ``sentence``
    (the sentence text, str) and ``index`` (the token's position in
    ``framing.text.annotate(sentence).tokens``), of length n_samples; the
    experiment's SI and FLC tasks build it (:attr:`input_columns`).
    ``transform`` returns a ``scipy.sparse.csr_matrix`` of shape
    (n_samples, n_features), float64.

    Features (names as in :meth:`get_feature_names_out`; indicator = 1.0 when present):

    - ``w[k]=<word>``: lower-cased token at offset k in [-window, window]
      (``<s>``/``</s>`` beyond the sentence); indicator.
    - ``w[-1]|w=``, ``w|w[+1]=``: word bigrams with the previous/next token; indicator.
    - ``pos[k]=<TAG>``, ``pos[-1]|pos=``, ``pos|pos[+1]=``: Penn Treebank tags
      (NLTK averaged perceptron tagger) in the window and tag bigrams; indicator.
    - ``prefix=``, ``suffix=``: first/last ``affix_length`` characters of the
      lower-cased token (tokens longer than that); indicator.
    - ``shape=``: :func:`word_shape`; ``title``, ``upper`` (all capitals, two or
      more letters), ``punct`` (no letter or digit): indicators.
    - ``first``, ``last``: first/last token of the sentence; indicators.
      ``rel_position``: index / (n_tokens - 1), in [0, 1] (0 for one-token sentences).
    - ``in_quotes``: an odd number of quotation marks (PTB ````/'' tags) precede
      the token in its sentence; indicator.
    - ``cue=<family>:<category>``: a cue of a family's ``explain`` covers (part
      of) the token; ``cue[k]=...``: covers the token at offset k, 0 < |k| <= cue_window;
      indicators. Categories and their sources are those of the families
      (project lexicons, NLTK resources; see each family's docstring).
    - ``sent_cue=<family>:<category>``: the cue fires somewhere in the sentence; indicator.
    - ``vader_neg``, ``vader_pos``, ``vader_compound``: VADER scores of the
      sentence (Hutto & Gilbert 2014), in [0, 1], [0, 1], [-1, 1].
    - ``sent_len=<bucket>``: sentence length in tokens (1-5, 6-10, 11-20, 21-40, 41+); indicator.
    """

    #: Columns of the experiment's token table this transformer reads
    #: (``framing.models.build_features`` hands it these instead of ``text``).
    input_columns: ClassVar[tuple[str, ...]] = ("sentence", "index")
    #: The output is sparse indicator features: the pipeline builder does not standardise it.
    sparse_output: ClassVar[bool] = True

    def __init__(
        self,
        window: int = 2,
        affix_length: int = 3,
        pos: bool = True,
        cue_families: Sequence[str] = ("loaded", "agency", "hedging", "style"),
        cue_window: int = 1,
        sentence_features: bool = True,
        min_count: int = 2,
    ) -> None:
        self.window = window
        self.affix_length = affix_length
        self.pos = pos
        self.cue_families = cue_families
        self.cue_window = cue_window
        self.sentence_features = sentence_features
        self.min_count = min_count

    # -- sklearn API
    def fit(self, X, y=None):
        """Fit the cue families and learn the feature vocabulary.

        Returns
        -------
        self
        """
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X, y=None):
        """Fit, then return the features of ``X`` (one pass over the tokens).

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_samples, n_features)
        """
        from framing.features import family_class

        if self.window < 0 or self.cue_window < 0 or self.affix_length < 0 or self.min_count < 1:
            raise ValueError("window, cue_window and affix_length must be >= 0 and min_count >= 1")
        self.families_ = [family_class(name)().fit() for name in self.cue_families]
        vectorizer = DictVectorizer(dtype=np.float64)
        matrix = vectorizer.fit_transform(self.feature_dicts(X)).tocsc()
        keep = np.asarray(matrix.getnnz(axis=0) >= self.min_count)
        vectorizer.restrict(keep)
        self.vectorizer_ = vectorizer
        return matrix[:, keep].tocsr()

    def transform(self, X):
        """Features of each token.

        Parameters
        ----------
        X : token table of length n_samples (see the class docstring)

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_samples, n_features), float64
        """
        check_is_fitted(self, "vectorizer_")
        return self.vectorizer_.transform(self.feature_dicts(X))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Feature names (``w[0]=police``, ``cue=loaded:fear_threat`` ...), one per column.

        Returns
        -------
        ndarray of str of shape (n_features,)
        """
        check_is_fitted(self, "vectorizer_")
        return np.asarray(self.vectorizer_.get_feature_names_out(), dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags

    # -- features
    def feature_dicts(self, X) -> Iterator[dict]:
        """The feature dictionary of each token of ``X``, in row order.

        Each sentence is annotated and explained once (rows of one sentence
        are usually adjacent; a small cache serves the rest).

        Yields
        ------
        dict of str to str, float or list of str
            ``DictVectorizer`` input: strings are one-hot encoded as
            ``name=value``, lists as one indicator per element.
        """
        if not hasattr(self, "families_"):
            raise ValueError("feature_dicts needs the fitted cue families: call fit first")
        sentences, positions = check_token_table(X)
        unique = list(dict.fromkeys(sentences))
        annotations = dict(zip(unique, annotate(unique)))
        cues = {s: [] for s in unique}
        for family in self.families_:
            for sentence, found in zip(unique, family.explain_many(unique)):
                cues[sentence].extend((c.start, c.end, f"{c.family}:{c.category}") for c in found)
        cache: OrderedDict[str, list[dict]] = OrderedDict()
        for row, (sentence, i) in enumerate(zip(sentences, positions)):
            features = cache.get(sentence)
            if features is None:
                features = self._sentence_features(annotations[sentence], cues.pop(sentence, None) or [])
                cache[sentence] = features
                if len(cache) > 64:
                    cache.popitem(last=False)
            if i >= len(features):
                raise ValueError(
                    f"row {row}: token position {i} is past the {len(features)} tokens of its sentence "
                    f"({sentence[:60]!r})"
                )
            yield features[i]

    def _sentence_features(self, ann: Annotation, cues: list[tuple[int, int, str]]) -> list[dict]:
        n = len(ann)
        if n == 0:
            return []
        w = self.window
        words = (BOS,) * w + ann.lower + (EOS,) * w
        tags = (BOS,) * w + ann.tags + (EOS,) * w
        offsets = range(-w, w + 1)
        word_keys = [f"w[{k:+d}]" if k else "w[0]" for k in offsets]
        tag_keys = [f"pos[{k:+d}]" if k else "pos[0]" for k in offsets]

        on_token: list[set[str]] = [set() for _ in range(n)]
        if cues:
            starts = [a for a, _ in ann.offsets]
            ends = [b for _, b in ann.offsets]
            for start, end, name in cues:
                # tokens with tok_start < cue_end and tok_end > cue_start
                for t in range(bisect_right(ends, start), bisect_left(starts, end)):
                    on_token[t].add(name)
        shared: dict = {}
        if self.sentence_features:
            neg, _, posv, compound = ann.sentiment
            shared = {"vader_neg": neg, "vader_pos": posv, "vader_compound": compound, "sent_len": _length_bucket(n)}
            in_sentence = sorted({name for _, _, name in cues})
            if in_sentence:
                shared["sent_cue"] = in_sentence

        out = []
        quotes = 0
        a = self.affix_length
        for i in range(n):
            token, lower, j = ann.tokens[i], ann.lower[i], i + w
            f = dict(shared)
            for key, k in zip(word_keys, offsets):
                f[key] = words[j + k]
            f["w[-1]|w"] = f"{ann.lower[i - 1] if i else BOS}|{lower}"
            f["w|w[+1]"] = f"{lower}|{ann.lower[i + 1] if i + 1 < n else EOS}"
            if self.pos:
                for key, k in zip(tag_keys, offsets):
                    f[key] = tags[j + k]
                f["pos[-1]|pos"] = f"{ann.tags[i - 1] if i else BOS}|{ann.tags[i]}"
                f["pos|pos[+1]"] = f"{ann.tags[i]}|{ann.tags[i + 1] if i + 1 < n else EOS}"
            if a and len(lower) > a:
                f["prefix"] = lower[:a]
                f["suffix"] = lower[-a:]
            f["shape"] = word_shape(token)
            if token.istitle():
                f["title"] = 1.0
            if token.isupper() and sum(ch.isalpha() for ch in token) > 1:
                f["upper"] = 1.0
            if not any(ch.isalnum() for ch in token):
                f["punct"] = 1.0
            if i == 0:
                f["first"] = 1.0
            if i == n - 1:
                f["last"] = 1.0
            f["rel_position"] = i / (n - 1) if n > 1 else 0.0
            if ann.tags[i] in QUOTE_TAGS:
                quotes += 1
            elif quotes % 2:
                f["in_quotes"] = 1.0
            if on_token[i]:
                f["cue"] = sorted(on_token[i])
            for k in range(1, self.cue_window + 1):
                if i - k >= 0 and on_token[i - k]:
                    f[f"cue[-{k}]"] = sorted(on_token[i - k])
                if i + k < n and on_token[i + k]:
                    f[f"cue[+{k}]"] = sorted(on_token[i + k])
            out.append(f)
        return out
