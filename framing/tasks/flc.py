"""FLC: fragment-level technique detection (Da San Martino et al. 2019; NLP4IF-2019 task FLC).

Find the propaganda fragments of an article *and* their techniques. This is
a joint tagger: each token is tagged with the technique of the span it is in
(``O`` outside; with ``tagging="bio"``, ``B-<technique>``/``I-<technique>``),
by one multi-class classifier over the same token table and token features
as SI (:mod:`framing.tasks.si`). Decoding then finds spans the way SI does
(runs of tokens tagged with any technique) and, by default, gives each span
the technique with the highest summed probability over its tokens
(``technique_decoding="run"``), so a span is not cut in pieces where the
per-token argmax wavers between two techniques. ``"token"`` keeps the
per-token techniques and cuts spans where they change.

Why joint rather than SI followed by TC: one model, trained and logged as one
scikit-learn pipeline, whose token features already see each technique's
vocabulary, and it scored higher. On PTC-2019 dev (logistic regression C=0.1,
threshold 0.3 on 1 - P(O)) the joint tagger reached micro-F1 0.168, an SI
tagger (the same features, binary) followed by a TC classifier trained on the
gold spans (TF-IDF words and characters + the cue families, logistic
regression) 0.143. Class weights hurt the joint tagger badly (balanced:
0.03-0.10): they push the argmax towards rare techniques.

Gold spans overlap when a fragment carries several techniques (719 such
pairs in PTC-2019 train); a token takes the technique of the shortest span
covering it (:func:`framing.tasks.tagging.covering_span`), so the tagger learns the
specific technique of a loaded word inside a longer appeal.

Scoring: :func:`framing.evaluate.flc_scores` (partial overlap credited only
between spans of the same technique; micro over spans, and per technique).
Predictions are written as ``article_id<TAB>technique<TAB>start<TAB>end``.
"""

from __future__ import annotations

import numpy as np

from framing.evaluate import Scores, flc_scores
from framing.tasks.si import SITask
from framing.tasks.tagging import (
    BEGIN,
    INSIDE,
    OUTSIDE,
    PredictedSpan,
    are_probabilities,
    gold_of,
    technique_of,
    technique_scores,
)

TECHNIQUE_DECODINGS = ("run", "token")


class FLCTask(SITask):
    """Fragment-level classification: technique spans, by joint token tagging.

    Parameters
    ----------
    tagging : {"io", "bio"}, default "io"
        ``<technique>``/``O`` tags, or ``B-<technique>``/``I-<technique>``/``O``.
    threshold : float or None, default None
        A token is inside a span when 1 - P(O) is at least this; ``None``:
        when the classifier's argmax is a technique.
    join_lines, trim_punctuation : bool, default True
        As in :class:`~framing.tasks.si.SITask`.
    technique_decoding : {"run", "token"}, default "run"
        ``"run"``: a span is a run of inside tokens and takes the technique
        with the highest summed probability over them (majority of the
        token predictions without probabilities); ``"token"``: per-token
        techniques, spans cut where they change.

    Notes
    -----
    Rows and labels: as SI (token table), with ``y`` the technique tag of each token and
    ``meta["gold"]`` the technique spans ``(start, end, technique)`` of
    each article; ``labels`` are the corpus's techniques.
    """

    name = "flc"
    kind = "multiclass"
    main_metric = "micro_f1"

    def __init__(self, tagging: str = "io", threshold: float | None = None, join_lines: bool = True,
                 trim_punctuation: bool = True, technique_decoding: str = "run") -> None:
        super().__init__(tagging=tagging, threshold=threshold, join_lines=join_lines,
                         trim_punctuation=trim_punctuation)
        if technique_decoding not in TECHNIQUE_DECODINGS:
            raise ValueError(f"technique_decoding={technique_decoding!r}: choose one of {TECHNIQUE_DECODINGS}")
        self.technique_decoding = technique_decoding
        self.kind = "multiclass"

    def example_labels(self, corpus_labels) -> tuple[str, ...]:
        """The corpus's techniques (rows of the per-technique table)."""
        return tuple(corpus_labels)

    def gold_spans(self, doc) -> list[tuple]:
        """Technique spans ``(start, end, technique)`` of the article, sorted."""
        return sorted((s.start, s.end, s.label) for s in doc.spans)

    def _token_targets(self, table, covering, begins, gold) -> np.ndarray:
        tags = np.full(len(table), OUTSIDE, dtype=object)
        doc_ids = table["doc_id"].to_numpy()
        for r in np.flatnonzero(covering >= 0):
            technique = gold[doc_ids[r]][covering[r]][2]
            if self.tagging == "io":
                tags[r] = technique
            else:
                tags[r] = f"{BEGIN if begins[r] else INSIDE}-{technique}"
        return tags

    # -- predictions
    def decode(self, examples, y_pred, y_score, classes):
        """Technique tags: threshold, then one technique per span (``"run"``) or per token."""
        y_pred = np.asarray(y_pred, dtype=object)
        inside, _ = self._inside(y_pred, y_score, classes)
        begins = self._begins(y_pred) & inside
        if y_score is not None and classes is not None and are_probabilities(y_score):
            techniques, scores = technique_scores(np.asarray(y_score, dtype=float), classes)
            per_token = np.asarray(techniques, dtype=object)[scores.argmax(axis=1)] if techniques else y_pred
        else:
            scores = None
            per_token = np.array([technique_of(str(t)) for t in y_pred], dtype=object)
        if self.technique_decoding == "token":
            runs = self.runs(examples, inside, begins, per_token)
        else:
            runs = self.runs(examples, inside, begins)
        tags = np.full(len(y_pred), OUTSIDE, dtype=object)
        for run in runs:
            if self.technique_decoding == "token":
                technique = per_token[run[0]]
            elif scores is not None:
                technique = techniques[int(scores[run].sum(axis=0).argmax())]
            else:
                values, counts = np.unique(per_token[run].astype(str), return_counts=True)
                technique = values[int(counts.argmax())]
            if self.tagging == "io":
                tags[run] = technique
            else:
                tags[run] = f"{INSIDE}-{technique}"
                tags[run[0]] = f"{BEGIN}-{technique}"
        return tags

    def predicted_spans(self, examples, y_pred, y_score=None, classes=None) -> list[PredictedSpan]:
        """Technique spans of decoded tags; ``score``: mean P(technique) of the span's tokens."""
        tags = np.asarray(y_pred, dtype=object)
        techniques_per_token = np.array([technique_of(str(t)) for t in tags], dtype=object)
        inside = techniques_per_token != OUTSIDE
        scores = None
        if y_score is not None and classes is not None and are_probabilities(y_score):
            techniques, scores = technique_scores(np.asarray(y_score, dtype=float), classes)
            column = {t: i for i, t in enumerate(techniques)}
        starts, ends = examples.refs["start"].to_numpy(), examples.refs["end"].to_numpy()
        doc_ids = examples.refs["doc_id"].to_numpy()
        out = []
        for run in self.runs(examples, inside, self._begins(tags), techniques_per_token):
            technique = str(techniques_per_token[run[0]])
            score = None
            if scores is not None and technique in column:
                score = float(scores[run, column[technique]].mean())
            out.append(PredictedSpan(str(doc_ids[run[0]]), int(starts[run[0]]), int(ends[run[-1]]), technique, score))
        return out

    def score(self, examples, y_pred, y_score, classes) -> Scores:
        return flc_scores(gold_of(examples), self.spans_by_article(examples, y_pred), examples.labels)

    def official_predictions(self, examples, y_pred) -> tuple[str, str]:
        lines = [
            f"{s.doc_id}\t{s.label}\t{s.start}\t{s.end}"
            for s in sorted(self.predicted_spans(examples, y_pred), key=lambda s: (s.doc_id, s.start, s.label))
        ]
        return "predictions-flc.txt", "\n".join(lines) + ("\n" if lines else "")

    def label_names(self, y, classes) -> list[str]:
        return [str(v) for v in y]
