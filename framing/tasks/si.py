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

import numpy as np

from framing.data.model import Document
from framing.evaluate import Scores, si_submission_scores
from framing.models import predict_with_scores
from framing.tasks.base import Examples, Task, require_span_gold
from framing.tasks.tagging import (
    BEGIN,
    INSIDE,
    OUTSIDE,
    REF_COLUMNS,
    TAGGINGS,
    X_COLUMNS,
    PredictedSpan,
    are_probabilities,
    gold_of,
    is_trimmed,
    span_tags,
    token_table,
)

log = logging.getLogger("framing.tasks.si")


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
        labelled = all(doc.labelled for doc in docs)
        if labelled:
            require_span_gold(docs, self.name)
        table = token_table(docs, segmentation)
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
        if y_score is not None and classes is not None and outside in classes and are_probabilities(y_score):
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
                while run and is_trimmed(tokens[run[0]]):
                    run = run[1:]
                while run and is_trimmed(tokens[run[-1]]):
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
        """Official SI scores of the submission file, and ``*_all_articles`` (:func:`~framing.evaluate.si_submission_scores`)."""
        gold = gold_of(examples)
        return si_submission_scores(gold, self.spans_by_article(examples, y_pred))

    def official_predictions(self, examples, y_pred) -> tuple[str, str]:
        """``article_id<TAB>start<TAB>end`` rows the official scorer accepts.

        On a labelled split, spans of articles without gold spans are left out:
        the official gold file has no line for such an article and the scorer
        refuses a submission naming it (they count in ``f1_all_articles``).
        """
        gold = examples.meta.get("gold")
        keep = None if gold is None else {a for a, spans in gold.items() if len(spans)}
        lines = [
            f"{s.doc_id}\t{s.start}\t{s.end}"
            for s in sorted(self.predicted_spans(examples, y_pred), key=lambda s: (s.doc_id, s.start))
            if keep is None or s.doc_id in keep
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
        examples = self.rows_for_text(text, segmentation, doc_id)
        if not len(examples):
            return []
        y_pred, y_score = predict_with_scores(model, examples.X)
        classes = getattr(model, "classes_", None)
        tags = self.decode(examples, y_pred, y_score, classes)
        return self.predicted_spans(examples, tags, y_score, classes)
