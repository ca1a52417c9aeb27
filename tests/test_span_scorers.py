"""SI and FLC scorers against hand-computed values (official definitions, empty cases included)."""

from __future__ import annotations

import random

import pytest

from framing.evaluate import SubmissionFormatError, flc_scores, merge_overlapping, si_scores


def si(gold, pred, **kw):
    return si_scores(gold, pred, **kw).metrics


# --------------------------------------------------------------------------- SI


def test_identical_spans_score_one():
    m = si({"a": [(0, 10), (20, 25)]}, {"a": [(20, 25), (0, 10)]})
    assert m == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_partial_overlap():
    # gold [0,10), pred [5,15): 5 shared characters; P = 5/10, R = 5/10
    m = si({"a": [(0, 10)]}, {"a": [(5, 15)]})
    assert m["precision"] == pytest.approx(0.5)
    assert m["recall"] == pytest.approx(0.5)
    assert m["f1"] == pytest.approx(0.5)


def test_prediction_nested_in_gold():
    # pred [5,10) inside gold [0,20): P = 5/5 = 1, R = 5/20 = 0.25, F1 = 2*0.25/1.25 = 0.4
    m = si({"a": [(0, 20)]}, {"a": [(5, 10)]})
    assert m["precision"] == pytest.approx(1.0)
    assert m["recall"] == pytest.approx(0.25)
    assert m["f1"] == pytest.approx(0.4)


def test_gold_nested_in_prediction():
    # gold [5,10) inside pred [0,20): P = 5/20, R = 5/5
    m = si({"a": [(5, 10)]}, {"a": [(0, 20)]})
    assert (m["precision"], m["recall"], m["f1"]) == pytest.approx((0.25, 1.0, 0.4))


def test_two_predictions_covering_one_gold_span():
    # gold [0,10); preds [0,4) and [6,10): P = (4/4 + 4/4)/2 = 1; R = (4/10 + 4/10)/1 = 0.8
    m = si({"a": [(0, 10)]}, {"a": [(0, 4), (6, 10)]})
    assert m["precision"] == pytest.approx(1.0)
    assert m["recall"] == pytest.approx(0.8)
    assert m["f1"] == pytest.approx(2 * 0.8 / 1.8)


def test_one_prediction_covering_two_gold_spans():
    # gold [0,10) and [20,30); pred [5,25): P = (5/20 + 5/20)/1 = 0.5; R = (5/10 + 5/10)/2 = 0.5
    m = si({"a": [(0, 10), (20, 30)]}, {"a": [(5, 25)]})
    assert (m["precision"], m["recall"], m["f1"]) == pytest.approx((0.5, 0.5, 0.5))


def test_disjoint_spans_score_zero():
    m = si({"a": [(0, 10)]}, {"a": [(10, 20)]})
    assert m == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_empty_predictions():
    # no predicted span: P = 0 (zero denominator), R = 0/2, F1 = 0
    assert si({"a": [(0, 10), (12, 15)]}, {}) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert si({"a": [(0, 10)]}, {"a": []}) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_empty_gold():
    # predictions but no gold span: P = 0/1, R = 0 (zero denominator), F1 = 0
    assert si({"a": []}, {"a": [(0, 5)]}) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_nothing_to_find_and_nothing_found_scores_f1_one():
    # the official compute_prec_rec_f1: both denominators 0 -> F1 = 1 (P and R stay 0)
    assert si({"a": []}, {"a": []}) == {"precision": 0.0, "recall": 0.0, "f1": 1.0}
    assert si({}, {}) == {"precision": 0.0, "recall": 0.0, "f1": 1.0}


def test_micro_average_over_articles():
    # a: perfect (credit 1 for P and R); b: two gold spans, nothing predicted
    # P = 1/1, R = 1/3, F1 = 2 * (1/3) / (4/3) = 0.5
    m = si({"a": [(0, 10)], "b": [(0, 10), (20, 30)]}, {"a": [(0, 10)]})
    assert (m["precision"], m["recall"], m["f1"]) == pytest.approx((1.0, 1 / 3, 0.5))


def test_spans_of_different_articles_never_overlap():
    m = si({"a": [(0, 10)], "b": []}, {"b": [(0, 10)]})
    assert m == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_overlapping_gold_spans_are_merged_before_scoring():
    # gold [0,4) and [2,10) merge into [0,10); pred [0,4): P = 4/4, R = 4/10
    # (unmerged, P would be (4/4 + 2/4)/1 = 1.5 and R (4/4 + 2/8)/2 = 0.625)
    scores = si_scores({"a": [(0, 4), (2, 10)]}, {"a": [(0, 4)]})
    assert (scores.metrics["precision"], scores.metrics["recall"]) == pytest.approx((1.0, 0.4))
    assert scores.per_class == [
        {"label": "propaganda", "precision": 1.0, "recall": 0.4, "f1": pytest.approx(2 * 0.4 / 1.4),
         "support": 1, "predicted": 1}
    ]


def test_touching_gold_spans_stay_apart():
    # [0,2) and [2,10) share no character: two gold spans. pred [0,2): R = (2/2 + 0)/2 = 0.5
    # (merged into [0,10) it would be 2/10)
    scores = si_scores({"a": [(0, 2), (2, 10)]}, {"a": [(0, 2)]})
    assert scores.metrics["recall"] == pytest.approx(0.5)
    assert scores.per_class[0]["support"] == 2


def test_overlapping_predictions_are_rejected_unless_merged():
    with pytest.raises(SubmissionFormatError, match="overlap"):
        si({"a": [(0, 10)]}, {"a": [(0, 6), (4, 10)]})
    # merged into [0,10): identical to gold
    assert si({"a": [(0, 10)]}, {"a": [(0, 6), (4, 10)]}, merge_predictions=True)["f1"] == 1.0


def test_bad_submissions_are_rejected():
    with pytest.raises(SubmissionFormatError, match="no gold"):
        si({"a": [(0, 10)]}, {"zzz": [(0, 10)]})
    with pytest.raises(SubmissionFormatError, match="start < end"):
        si({"a": [(0, 10)]}, {"a": [(5, 5)]})
    with pytest.raises(SubmissionFormatError, match="start < end"):
        si({"a": [(0, 10)]}, {"a": [(-1, 5)]})


def test_labelled_rows_score_as_si():
    # FLC-style gold (start, end, technique) scored for SI: labels ignored, overlaps merged
    m = si({"a": [(0, 10, "Doubt"), (5, 12, "Loaded_Language")]}, {"a": [(0, 12)]})
    assert m == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_merge_overlapping():
    assert merge_overlapping([(5, 8), (0, 3), (2, 4), (8, 9), (7, 12)]) == [(0, 4), (5, 12)]
    assert merge_overlapping([]) == []


def _reference_si(gold, pred):
    """The official scorer's arithmetic on character sets (set(range(start, end)))."""
    def merged(spans):
        sets = []
        for a, b in spans:
            new = set(range(a, b))
            for s in [s for s in sets if s & new]:
                sets.remove(s)
                new |= s
            sets.append(new)
        return sets

    g = {k: merged(v) for k, v in gold.items()}
    p = {k: [set(range(a, b)) for a, b in v] for k, v in pred.items()}
    pn = rn = 0.0
    for k, spans in p.items():
        for s in spans:
            for t in g[k]:
                pn += len(s & t) / len(s)
                rn += len(s & t) / len(t)
    n_p = sum(map(len, p.values()))
    n_g = sum(map(len, g.values()))
    prec = pn / n_p if n_p else 0
    rec = rn / n_g if n_g else 0
    f1 = 1.0 if n_p == n_g == 0 else (2 * prec * rec / (prec + rec) if prec > 0 and rec > 0 else 0)
    return prec, rec, f1


def test_random_cases_match_set_arithmetic():
    rng = random.Random(7)
    for _ in range(200):
        gold, pred = {}, {}
        for article in "abc":
            gold[article] = [(s, s + rng.randint(1, 15)) for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 4)))]
            point, spans = 0, []
            for _ in range(rng.randint(0, 4)):  # predictions must not overlap
                start = point + rng.randint(0, 10)
                point = start + rng.randint(1, 12)
                spans.append((start, point))
            pred[article] = spans
        m = si(gold, pred)
        assert (m["precision"], m["recall"], m["f1"]) == pytest.approx(_reference_si(gold, pred))


# --------------------------------------------------------------------------- FLC

TECHNIQUES = ("A", "B", "C")


def test_flc_identical_spans_score_one():
    spans = {"a": [(0, 10, "A"), (5, 15, "B")]}
    scores = flc_scores(spans, spans, TECHNIQUES)
    assert scores.metrics["micro_f1"] == 1.0
    assert scores.metrics["macro_f1"] == 1.0


def test_flc_label_mismatch_earns_nothing():
    # same offsets, wrong technique: no credit anywhere
    scores = flc_scores({"a": [(0, 10, "A")]}, {"a": [(0, 10, "B")]}, TECHNIQUES)
    assert scores.metrics == {"micro_precision": 0.0, "micro_recall": 0.0, "micro_f1": 0.0, "macro_f1": 0.0}
    rows = {r["label"]: r for r in scores.per_class}
    assert (rows["A"]["precision"], rows["A"]["recall"], rows["A"]["f1"]) == (0.0, 0.0, 0.0)
    assert (rows["A"]["support"], rows["A"]["predicted"]) == (1, 0)
    assert (rows["B"]["support"], rows["B"]["predicted"]) == (0, 1)
    # C has neither gold nor predicted spans: F1 = 1, as the official per-technique scores
    assert (rows["C"]["precision"], rows["C"]["recall"], rows["C"]["f1"]) == (0.0, 0.0, 1.0)


def test_flc_partial_overlap_counts_only_matching_techniques():
    # gold A [0,10), B [5,15); pred A [0,10), B [0,10)
    # A: credit 10/10 for P and R; B: pred [0,10) vs gold [5,15): 5/10 for P, 5/10 for R
    # micro P = (1 + 0.5)/2 = 0.75, R = (1 + 0.5)/2 = 0.75
    scores = flc_scores({"a": [(0, 10, "A"), (5, 15, "B")]}, {"a": [(0, 10, "A"), (0, 10, "B")]}, TECHNIQUES)
    m = scores.metrics
    assert (m["micro_precision"], m["micro_recall"], m["micro_f1"]) == pytest.approx((0.75, 0.75, 0.75))
    rows = {r["label"]: r for r in scores.per_class}
    assert rows["A"]["f1"] == pytest.approx(1.0)
    assert (rows["B"]["precision"], rows["B"]["recall"], rows["B"]["f1"]) == pytest.approx((0.5, 0.5, 0.5))
    # macro over techniques with gold (A, B): (1 + 0.5) / 2
    assert m["macro_f1"] == pytest.approx(0.75)
    # the pred A span [0,10) overlaps gold B [5,15) but earns nothing from it:
    # without label matching it would be P = (10/10 + 5/10 + 5/10 + 10/10)/2


def test_flc_one_prediction_over_two_gold_spans_of_its_technique():
    # gold A [0,10), A [20,30), B [0,30); pred A [5,25)
    # A: P = (5/20 + 5/20)/1 = 0.5, R = (5/10 + 5/10)/2 = 0.5; B contributes 1 unmatched gold span
    # micro: P = 0.5/1, R = 1.0/3
    scores = flc_scores({"a": [(0, 10, "A"), (20, 30, "A"), (0, 30, "B")]}, {"a": [(5, 25, "A")]}, TECHNIQUES)
    m = scores.metrics
    assert (m["micro_precision"], m["micro_recall"]) == pytest.approx((0.5, 1 / 3))
    assert m["micro_f1"] == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))
    rows = {r["label"]: r for r in scores.per_class}
    assert (rows["A"]["precision"], rows["A"]["recall"]) == pytest.approx((0.5, 0.5))
    assert rows["B"]["f1"] == 0.0


def test_flc_empty_cases():
    assert flc_scores({"a": [(0, 5, "A")]}, {}, TECHNIQUES).metrics["micro_f1"] == 0.0
    assert flc_scores({"a": []}, {"a": [(0, 5, "A")]}, TECHNIQUES).metrics["micro_f1"] == 0.0
    empty = flc_scores({"a": []}, {"a": []}, TECHNIQUES)
    assert empty.metrics["micro_f1"] == 1.0
    assert empty.metrics["macro_f1"] == 0.0  # no technique has gold spans
    assert all(r["f1"] == 1.0 for r in empty.per_class)


def test_flc_overlaps_across_techniques_are_allowed_within_one_technique_rejected():
    gold = {"a": [(0, 10, "A"), (0, 10, "B")]}
    assert flc_scores(gold, {"a": [(0, 10, "A"), (2, 8, "B")]}, TECHNIQUES).metrics["micro_precision"] == 1.0
    with pytest.raises(SubmissionFormatError, match="overlap"):
        flc_scores(gold, {"a": [(0, 6, "A"), (4, 10, "A")]}, TECHNIQUES)
    merged = flc_scores(gold, {"a": [(0, 6, "A"), (4, 10, "A")]}, TECHNIQUES, merge_predictions=True)
    rows = {r["label"]: r for r in merged.per_class}
    assert rows["A"]["f1"] == 1.0 and rows["A"]["predicted"] == 1


def test_flc_same_technique_gold_overlaps_are_merged():
    # gold A [0,4) and A [2,10) -> A [0,10); pred A [0,4): P = 1, R = 4/10
    scores = flc_scores({"a": [(0, 4, "A"), (2, 10, "A")]}, {"a": [(0, 4, "A")]}, TECHNIQUES)
    assert (scores.metrics["micro_precision"], scores.metrics["micro_recall"]) == pytest.approx((1.0, 0.4))


def test_flc_unknown_label_counts_in_micro_scores():
    scores = flc_scores({"a": [(0, 10, "A")]}, {"a": [(0, 10, "Z")]}, TECHNIQUES)
    assert scores.metrics["micro_precision"] == 0.0
    assert [r["label"] for r in scores.per_class] == ["A", "B", "C", "Z"]


def test_flc_single_technique_equals_si():
    gold = {"a": [(0, 10), (20, 30)], "b": [(3, 9)]}
    pred = {"a": [(5, 25)], "b": [(0, 4), (6, 8)]}
    si_m = si_scores(gold, pred).metrics
    flc_m = flc_scores(
        {k: [(s, e, "P") for s, e in v] for k, v in gold.items()},
        {k: [(s, e, "P") for s, e in v] for k, v in pred.items()},
        ["P"],
    ).metrics
    assert (flc_m["micro_precision"], flc_m["micro_recall"], flc_m["micro_f1"]) == pytest.approx(
        (si_m["precision"], si_m["recall"], si_m["f1"])
    )
