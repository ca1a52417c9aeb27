"""SI: propaganda span identification (SemEval-2020 Task 11, subtask SI) as token tagging.

Rows are tokens: every sentence of every article is annotated
(:func:`framing.text.annotate`) and each token becomes a row of a *token
table* with the token (``text``), its sentence (``sentence``) and its
position there (``index``), which :class:`framing.features.token.TokenFeatures`
reads. Gold spans become token tags; a classifier tags each token; runs of
tagged tokens become character spans again, from the first token's start to
the last token's end, so predicted spans always lie inside the text and are
never shifted.

Tagging schemes. ``io`` (default): a token is inside (1) or outside (0) a
propaganda span; a span is a maximal run of inside tokens. ``bio`` adds a
begin tag, which only matters where two spans touch; SemEval-2020 SI gold
spans are merged, so they almost never touch, and a token classifier
without structured decoding predicts ``I`` after ``O`` anyway (such an
``I`` starts a span). ``io`` keeps the classifier binary, which suits a decision threshold on
P(inside) (see ``threshold``). Measured on PTC-2020 SI dev with the default
features and model: ``io`` span F1 0.3600, ``bio`` 0.3530 (and a slower fit),
so ``io`` is the default.

Scoring uses the article's gold spans, not the token tags:
:func:`framing.evaluate.si_scores` (partial-overlap precision, recall and F1 of
the SemEval-2020 task paper and official scorer). Predictions are written in
the official format ``article_id<TAB>start<TAB>end``.
"""

from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framing.data.model import Document
from framing.evaluate import Scores, si_scores
from framing.tasks.base import Examples, Task
from framing.text import annotate, segment

log = logging.getLogger("framing.tasks.si")

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


def si_gold_spans(doc: Document) -> list[tuple[int, int]]:
    """The SI gold of an article: ``(start, end)`` sorted.

    The SemEval-2020 reader keeps the SI gold (``metadata["si_spans"]``, the
    release's merged spans); other PTC releases have technique spans only,
    whose offsets are the SI gold (the scorer merges overlaps).
    """
    spans = doc.metadata.get("si_spans")
    if spans is None:
        spans = doc.spans
    return sorted((s.start, s.end) for s in spans)


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


class SITask(Task):
    """Span identification: which character spans of an article are propaganda.

    Parameters
    ----------
    tagging : {"io", "bio"}, default "io"
        Token tags: inside/outside (binary classifier) or begin/inside/outside
        (three classes). See the module docstring.
    threshold : float or None, default None
        Tag a token inside a span when the classifier's probability of
        "inside" (1 - P(O)) is at least this; ``None``: the classifier's own
        prediction (argmax).
    join_lines : bool, default True
        Continue a span across a line break when the last token of a
        sentence and the first token of the next are both inside (about 4 %
        of SemEval-2020 SI gold spans cross a line).
    trim_punctuation : bool, default True
        Drop tokens made only of ``. , : ;`` from the edges of predicted
        spans, as the SemEval-2020 release trimmed its gold.

    Notes
    -----
    Rows and labels. ``X``: the token table's ``text``, ``sentence`` and ``index`` columns
    (:func:`token_table`). ``y``: 1/0 (``io``) or ``"B"``/``"I"``/``"O"``
    (``bio``) per token; a token is inside when it shares a character with a
    gold span. ``refs``: ``doc_id``, ``start``, ``end``, ``sentence_start``,
    ``index``. ``meta["gold"]``: the SI gold spans of each article.
    """

    name = "si"
    kind = "binary"
    main_metric = "f1"

    def __init__(self, tagging: str = "io", threshold: float | None = None, join_lines: bool = True,
                 trim_punctuation: bool = True) -> None:
        if tagging not in TAGGINGS:
            raise ValueError(f"tagging={tagging!r}: choose one of {TAGGINGS}")
        if threshold is not None and not 0.0 < float(threshold) < 1.0:
            raise ValueError(f"threshold={threshold!r}: expected a probability in (0, 1) or None")
        self.tagging = tagging
        self.threshold = threshold
        self.join_lines = join_lines
        self.trim_punctuation = trim_punctuation
        self.kind = "binary" if tagging == "io" else "multiclass"

    # -- rows
    def gold_spans(self, doc: Document) -> list[tuple]:
        """The gold spans this task scores against (SI: :func:`si_gold_spans`)."""
        return si_gold_spans(doc)

    def example_labels(self, corpus_labels) -> tuple[str, ...]:
        """``labels`` of the examples: the token tags (SI) or the corpus's techniques (FLC)."""
        return (OUTSIDE, INSIDE) if self.tagging == "io" else (OUTSIDE, BEGIN, INSIDE)

    def _token_targets(self, table, covering, begins, gold) -> np.ndarray:
        if self.tagging == "io":
            return (covering >= 0).astype(np.int64)
        tags = np.full(len(table), OUTSIDE, dtype=object)
        tags[covering >= 0] = INSIDE
        tags[begins] = BEGIN
        return tags

    def examples(self, docs, labels, segmentation) -> Examples:
        table = token_table(docs, segmentation)
        labelled = all(doc.labelled for doc in docs)
        gold = {doc.id: self.gold_spans(doc) for doc in docs} if labelled else None
        y = None
        if labelled:
            covering, begins = span_tags(table, gold)
            y = self._token_targets(table, covering, begins, gold)
        return Examples(
            X=table[list(X_COLUMNS)],
            y=y,
            doc_ids=table["doc_id"].to_numpy(),
            refs=table[list(REF_COLUMNS)],
            labels=self.example_labels(labels),
            meta={"gold": gold, "segmentation": segmentation},
        )

    # -- predictions
    def _inside(self, y_pred, y_score, classes) -> tuple[np.ndarray, np.ndarray | None]:
        """Which tokens are inside a span, and P(inside) per token (or None).

        ``y_score`` counts as probabilities only when it looks like
        ``predict_proba`` output (values in [0, 1], rows summing to 1);
        decision values (``LinearSVC``) leave the threshold unused.
        """
        classes = list(classes) if classes is not None else None
        outside = 0 if self.kind == "binary" else OUTSIDE
        p_inside = None
        if y_score is not None and classes is not None and outside in classes and _are_probabilities(y_score):
            p_inside = 1.0 - np.asarray(y_score, dtype=float)[:, classes.index(outside)]
        elif self.threshold is not None and y_score is not None:
            log.warning("threshold=%s needs class probabilities (predict_proba); using the predicted tags", self.threshold)
        if self.threshold is not None and p_inside is not None:
            inside = p_inside >= float(self.threshold)
        else:
            inside = np.asarray(y_pred, dtype=object) != outside
        return inside, p_inside

    def decode(self, examples, y_pred, y_score, classes):
        """Token tags after the decision threshold (unchanged when ``threshold`` is None)."""
        inside, _ = self._inside(y_pred, y_score, classes)
        if self.tagging == "io":
            return inside.astype(np.int64)
        tags = np.asarray(y_pred, dtype=object).copy()
        tags[~inside] = OUTSIDE
        if y_score is not None and classes is not None and self.threshold is not None:
            classes = list(classes)
            b, i = classes.index(BEGIN), classes.index(INSIDE)
            tags[inside] = np.where(y_score[inside, b] > y_score[inside, i], BEGIN, INSIDE)
        return tags

    def _begins(self, tags: np.ndarray) -> np.ndarray:
        if self.tagging == "io":
            return np.zeros(len(tags), dtype=bool)
        return np.array([t == BEGIN or str(t).startswith(BEGIN + "-") for t in tags], dtype=bool)

    def runs(self, examples: Examples, inside: np.ndarray, begins: np.ndarray, labels: np.ndarray | None = None) -> list[np.ndarray]:
        """Rows of each predicted span: maximal runs of adjacent inside tokens.

        A run breaks at an outside token, at a begin tag, where ``labels``
        change (FLC), and at a sentence boundary unless ``join_lines`` and the
        run reaches the end of the sentence and the next sentence's first
        token is inside. Edge tokens of punctuation are trimmed
        (``trim_punctuation``).

        Returns
        -------
        list of ndarray of int
            Row positions of each run, in text order; no run is empty.
        """
        refs = examples.refs.reset_index(drop=True)
        # text order within each article (rows are built that way; subsets may not be)
        order = refs.sort_values(["doc_id", "sentence_start", "index"], kind="stable").index.to_numpy()
        doc_ids = refs["doc_id"].to_numpy()
        sentence = refs["sentence_start"].to_numpy()
        index = refs["index"].to_numpy()
        tokens = examples.X["text"].to_numpy()
        runs, current, previous = [], [], None
        for r in order:
            if not inside[r]:
                if current:
                    runs.append(current)
                current, previous = [], r
                continue
            continues = bool(current) and not begins[r] and doc_ids[r] == doc_ids[previous]
            if continues and labels is not None:
                continues = labels[r] == labels[previous]
            if continues:
                if sentence[r] == sentence[previous]:
                    continues = index[r] == index[previous] + 1
                else:
                    continues = self.join_lines and index[r] == 0
            if not continues and current:
                runs.append(current)
                current = []
            current.append(r)
            previous = r
        if current:
            runs.append(current)
        out = []
        for run in runs:
            if self.trim_punctuation:
                while run and _is_trimmed(tokens[run[0]]):
                    run = run[1:]
                while run and _is_trimmed(tokens[run[-1]]):
                    run = run[:-1]
            if run:
                out.append(np.asarray(run, dtype=np.int64))
        return out

    def predicted_spans(self, examples: Examples, y_pred, y_score=None, classes=None) -> list[PredictedSpan]:
        """Spans of decoded token tags (``y_pred`` as :meth:`decode` returns them).

        ``score`` is the mean P(inside) of the span's tokens when ``y_score``
        and ``classes`` are given.
        """
        tags = np.asarray(y_pred, dtype=object)
        inside = tags != (0 if self.kind == "binary" else OUTSIDE)
        p_inside = None
        if y_score is not None and classes is not None:
            _, p_inside = self._inside(y_pred, y_score, classes)
        starts, ends = examples.refs["start"].to_numpy(), examples.refs["end"].to_numpy()
        doc_ids = examples.refs["doc_id"].to_numpy()
        return [
            PredictedSpan(
                str(doc_ids[run[0]]), int(starts[run[0]]), int(ends[run[-1]]), None,
                float(p_inside[run].mean()) if p_inside is not None else None,
            )
            for run in self.runs(examples, inside, self._begins(tags))
        ]

    def spans_by_article(self, examples: Examples, y_pred) -> dict[str, list[tuple]]:
        """``article id -> [(start, end), ...]`` of decoded tags, every article of ``examples`` present."""
        out: dict[str, list[tuple]] = {str(d): [] for d in dict.fromkeys(examples.doc_ids)}
        for span in self.predicted_spans(examples, y_pred):
            out[span.doc_id].append((span.start, span.end) if span.label is None else (span.start, span.end, span.label))
        return out

    def score(self, examples, y_pred, y_score, classes) -> Scores:
        gold = _gold_of(examples)
        return si_scores(gold, self.spans_by_article(examples, y_pred))

    def official_predictions(self, examples, y_pred) -> tuple[str, str]:
        lines = [
            f"{s.doc_id}\t{s.start}\t{s.end}"
            for s in sorted(self.predicted_spans(examples, y_pred), key=lambda s: (s.doc_id, s.start))
        ]
        return "predictions-si.txt", "\n".join(lines) + ("\n" if lines else "")

    def label_names(self, y, classes) -> list[str]:
        if self.kind == "binary":
            return [INSIDE if v else OUTSIDE for v in y]
        return [str(v) for v in y]

    def cv_splitter(self, folds: int, seed: int):
        """Folds grouped by article (token tags are not stratified)."""
        from sklearn.model_selection import GroupKFold

        return GroupKFold(n_splits=folds, shuffle=True, random_state=seed)

    # -- raw text (the analyzer)
    def predict_spans(self, model, text: str, segmentation: str = "punkt", doc_id: str = "text") -> list[PredictedSpan]:
        """Predicted spans of a raw text with a fitted token-tagging pipeline.

        Parameters
        ----------
        model : fitted estimator
            A pipeline fitted by ``framing-experiment task=si`` (or ``flc``),
            taking the token table's ``text``, ``sentence``, ``index`` columns.
        text : str
        segmentation : {"punkt", "lines", "paragraphs"}, default "punkt"
        doc_id : str
            The id the spans carry.

        Returns
        -------
        list of PredictedSpan
            In text order; ``text[s.start:s.end]`` is each span's text.
        """
        doc = Document(doc_id, text, labelled=False)
        examples = self.examples([doc], (), segmentation)
        if not len(examples):
            return []
        y_pred = model.predict(examples.X)
        y_score = model.predict_proba(examples.X) if hasattr(model, "predict_proba") else None
        classes = getattr(model, "classes_", None)
        tags = self.decode(examples, y_pred, y_score, classes)
        return self.predicted_spans(examples, tags, y_score, classes)


def _are_probabilities(y_score) -> bool:
    y_score = np.asarray(y_score, dtype=float)
    if y_score.ndim != 2 or not len(y_score):
        return y_score.ndim == 2
    return bool(y_score.min() >= 0.0 and y_score.max() <= 1.0 and np.allclose(y_score.sum(axis=1), 1.0, atol=1e-6))


def _is_trimmed(token: str) -> bool:
    return bool(token) and all(ch in TRIM_CHARACTERS for ch in token)


def _gold_of(examples: Examples) -> dict[str, list[tuple]]:
    gold = examples.meta.get("gold")
    if gold is None:
        raise ValueError("these examples have no gold spans (an unlabelled split)")
    present = set(map(str, examples.doc_ids))
    return {doc: spans for doc, spans in gold.items() if doc in present}


def infer_span_task(model) -> SITask:
    """The SI or FLC task a fitted token tagger was trained for, from its classes.

    ``[0, 1]``: SI with ``io`` tags; ``B``/``I``/``O``: SI with ``bio``;
    technique names (with ``O``): FLC, ``bio`` when they carry ``B-``/``I-``.

    Raises
    ------
    ValueError
        If the model's classes are none of these.
    """
    classes = [c.item() if hasattr(c, "item") else c for c in getattr(model, "classes_", [])]
    if sorted(map(str, classes)) == ["0", "1"]:
        return SITask(tagging="io")
    if set(classes) == {OUTSIDE, BEGIN, INSIDE}:
        return SITask(tagging="bio")
    if OUTSIDE in classes and all(isinstance(c, str) for c in classes):
        from framing.tasks.flc import FLCTask

        bio = any(c.startswith(("B-", "I-")) for c in classes if c != OUTSIDE)
        return FLCTask(tagging="bio" if bio else "io")
    raise ValueError(f"not a span tagger: classes {classes[:5]}")


def span_task_from_card(card, model=None) -> SITask:
    """The SI/FLC task a logged model was evaluated with, from its ``MLmodel`` metadata.

    :func:`framing.run_artifacts.model_card` stores ``task`` (``"si"``,
    ``"flc"``) and ``task_params`` (tagging, threshold...), so spans are
    decoded as in the run. Without them (older models) the task is inferred
    from the model's classes with default decoding (:func:`infer_span_task`).

    Raises
    ------
    ValueError
        If the card names another task, or (without a card) the model is not a span tagger.
    """
    import inspect

    card = dict(card or {})
    name = card.get("task")
    if name is None:
        return infer_span_task(model)
    if name not in ("si", "flc"):
        raise ValueError(f"a {name} model is not a span tagger (task=si or task=flc)")
    from framing.tasks.flc import FLCTask

    cls = SITask if name == "si" else FLCTask
    accepted = set(inspect.signature(cls).parameters)
    params = {k: v for k, v in dict(card.get("task_params") or {}).items() if k in accepted}
    if not params and model is not None:
        return infer_span_task(model)
    return cls(**params)


def predict_spans(model, text: str, task: SITask | None = None, segmentation: str = "punkt") -> list[PredictedSpan]:
    """Propaganda spans (SI) or technique spans (FLC) of a raw text.

    Parameters
    ----------
    model : fitted token-tagging pipeline (``framing-experiment task=si`` or ``task=flc``)
    text : str
    task : SITask or FLCTask, optional
        How to decode (threshold, tagging...); default: inferred from the
        model's classes with default decoding (:func:`infer_span_task`).
    segmentation : {"punkt", "lines", "paragraphs"}, default "punkt"

    Returns
    -------
    list of PredictedSpan
    """
    task = task or infer_span_task(model)
    return task.predict_spans(model, text, segmentation)
