"""Official metric definitions (SemEval-2023, BABE's weighted F1, SI submissions), gold without spans, TC row order."""

from __future__ import annotations

import numpy as np
import pytest

from framing.data import read_semeval2023
from framing.data.model import Document, Span
from framing.evaluate import binary_scores, multiclass_scores, multilabel_scores, si_submission_scores, statistics_only
from framing.tasks import SentenceTechniquesTask, SITask, SLCTask, TCTask
from framing.tasks.base import MissingGoldError

LABELS = ["A", "B", "C", "D", "E"]


def _matrix(rows):
    return np.array([[int(label in row) for label in LABELS] for row in rows])


# --------------------------------------------------------------------------- SemEval-2023 subtasks 2 and 3


def test_official_macro_counts_absent_techniques_as_one():
    gold = _matrix([{"A"}, {"A", "B"}, set()])
    pred = _matrix([{"A"}, {"A"}, {"C"}])
    m = multilabel_scores(gold, pred, LABELS).metrics
    # A: tp 2 -> F1 1; B: missed -> 0; C: false alarm -> 0; D, E: no gold, no prediction -> 1 (zero_division=1)
    assert m["macro_f1"] == pytest.approx((1 + 0 + 0 + 1 + 1) / 5)
    # ours: only the techniques with gold (A, B)
    assert m["macro_f1_present"] == pytest.approx((1 + 0) / 2)
    # micro: tp 2, fp 1 (C), fn 1 (B): 2*2 / (2*2 + 1 + 1)
    assert m["micro_f1"] == pytest.approx(4 / 6)
    assert m["micro_precision"] == pytest.approx(2 / 3) and m["micro_recall"] == pytest.approx(2 / 3)


def test_nothing_labelled_and_nothing_predicted_scores_one():
    empty = np.zeros((3, len(LABELS)), dtype=int)
    m = multilabel_scores(empty, empty, LABELS).metrics
    assert m["micro_f1"] == 1.0 and m["macro_f1"] == 1.0  # the scorer's zero_division=1
    assert m["macro_f1_present"] == 0.0 and m["samples_f1"] == 0.0


def test_multilabel_shape_mismatch_is_refused():
    with pytest.raises(ValueError, match="n_samples, 5"):
        multilabel_scores(np.zeros((2, 4)), np.zeros((2, 4)), LABELS)


def test_genre_macro_f1_is_over_the_classes_present():
    # scorer-subtask-1.py: f1_score(average="macro", zero_division=0) without labels
    m = multiclass_scores(["opinion", "opinion", "reporting"], ["opinion", "reporting", "reporting"],
                          ["opinion", "reporting", "satire"]).metrics
    assert m["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 2)  # satire absent from both: not averaged


def test_weighted_f1_is_babe_metric():
    # biased (1): tp 2, fp 1, fn 1 -> F1 2/3, support 3; non-biased (0): tp 1, fp 1, fn 1 -> F1 1/2, support 2
    m = binary_scores([1, 1, 1, 0, 0], [1, 1, 0, 1, 0], positive=1, labels=[0, 1]).metrics
    assert m["weighted_f1"] == pytest.approx((2 / 3 * 3 + 1 / 2 * 2) / 5)
    assert m["macro_f1"] == pytest.approx((2 / 3 + 1 / 2) / 2)


@pytest.mark.parametrize("seed", range(5))
def test_statistics_reproduce_every_metric(seed):
    rng = np.random.default_rng(seed)
    n = 40
    Y, P = (rng.random((n, 5)) < 0.3).astype(int), (rng.random((n, 5)) < 0.3).astype(int)
    yt, yp = rng.integers(0, 2, n), rng.integers(0, 2, n)
    ct, cp = rng.choice(["a", "b", "c"], n), rng.choice(["a", "b", "c", "d"], n)
    for scores in (multilabel_scores(Y, P, LABELS), binary_scores(yt, yp, 1, [0, 1]),
                   multiclass_scores(list(ct), list(cp), ["a", "b", "c"])):
        finished = {}
        for part in scores.statistics:
            finished.update(part.metrics())
        assert finished.keys() == scores.metrics.keys()
        assert finished == pytest.approx(scores.metrics, abs=1e-12)
    full = multilabel_scores(Y, P, LABELS)
    with statistics_only():  # the fast path: the same metrics from the counts, no per-class table
        fast = multilabel_scores(Y, P, LABELS)
    assert fast.metrics == pytest.approx(full.metrics, abs=1e-12) and fast.per_class == []


# --------------------------------------------------------------------------- SI submissions


def test_si_submission_leaves_out_articles_without_gold():
    gold = {"1": [(0, 10)], "2": []}
    pred = {"1": [(0, 5)], "2": [(3, 8), (20, 30)]}
    s = si_submission_scores(gold, pred)
    # official (article 1 only): P = 5/5, R = 5/10 -> F1 2/3
    assert s.metrics["precision"] == 1.0 and s.metrics["recall"] == 0.5
    assert s.metrics["f1"] == pytest.approx(2 / 3)
    # all articles: the 2 spans of article 2 are false positives: P = 1/3
    assert s.metrics["precision_all_articles"] == pytest.approx(1 / 3)
    assert s.metrics["f1_all_articles"] == pytest.approx(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5))
    assert "2 predicted span(s) in 1 article(s) without gold spans (2)" in s.notes[0]


# --------------------------------------------------------------------------- paragraph gold, no silent zero


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


@pytest.fixture()
def semeval2023(tmp_path):
    """A one-language SemEval-2023 release: train with spans, dev with paragraph labels only."""
    en = tmp_path / "semeval2023_task3" / "en"
    train = "Title one\n\nThey are traitors.\nThe weather is fine.\n"
    _write(en / "train-articles-subtask-3" / "article1.txt", train)
    _write(en / "train-labels-subtask-3.txt", "1\t1\t\n1\t3\tName_Calling-Labeling\n1\t4\t\n")
    _write(en / "train-labels-subtask-3-spans" / "article1-labels-subtask-3.txt", "1\tName_Calling-Labeling\t20\t28\n")
    dev = "Dev title\n\nA shameful, corrupt deal.\nNobody knows the truth.\nIt rained.\n"
    _write(en / "dev-articles-subtask-3" / "article2.txt", dev)
    _write(en / "dev-labels-subtask-3.txt",
           "2\t1\t\n2\t3\tLoaded_Language,Name_Calling-Labeling\n2\t4\tDoubt\n2\t5\t\n")
    return tmp_path  # the data root: semeval2023_task3/en/...


def test_sentence_techniques_scores_dev_against_its_paragraph_labels(semeval2023):
    corpus = read_semeval2023(semeval2023 / "semeval2023_task3", "en", 3)
    task = SentenceTechniquesTask()
    dev = task.examples(corpus["dev"], corpus.labels, "lines")
    # rows are the four labelled paragraphs (the blank line 2 has none), at their lines
    assert list(dev.refs["line"]) == [1, 3, 4, 5]
    assert dev.y.sum() == 3
    labels = list(corpus.labels)
    pred = np.zeros_like(dev.y)
    pred[1, labels.index("Loaded_Language")] = 1  # right
    pred[2, labels.index("Loaded_Language")] = 1  # wrong (gold: Doubt)
    m = task.score(dev, pred, None, None).metrics
    # hand count: tp 1, fp 1, fn 2 (Name_Calling-Labeling, Doubt) -> micro-F1 = 2/(2+1+2)
    assert m["micro_f1"] == pytest.approx(2 / 5) and m["micro_f1"] > 0
    # official macro over the 23 techniques: Loaded_Language 2/3, Name_Calling 0, Doubt 0, 20 absent -> 1 each
    assert m["macro_f1"] == pytest.approx((2 / 3 + 20) / 23)
    name, content = task.official_predictions(dev, pred)
    assert content.splitlines() == ["2\t1\t", "2\t3\tLoaded_Language", "2\t4\tLoaded_Language", "2\t5\t"]
    # the train split still takes its gold from the spans
    train = task.examples(corpus["train"], corpus.labels, "lines")
    assert train.y.sum() == 1


def test_slc_on_paragraph_labels_counts_paragraphs_with_a_technique(semeval2023):
    corpus = read_semeval2023(semeval2023 / "semeval2023_task3", "en", 3)
    dev = SLCTask().examples(corpus["dev"], corpus.labels, "lines")
    assert list(dev.y) == [0, 1, 1, 0]


def test_span_tasks_refuse_a_split_without_span_gold(semeval2023):
    corpus = read_semeval2023(semeval2023 / "semeval2023_task3", "en", 3)
    with pytest.raises(MissingGoldError, match="task=si needs character-span gold.*'dev' split"):
        SITask().examples(corpus["dev"], corpus.labels, "lines")
    SITask().examples(corpus["train"], corpus.labels, "lines")  # train has spans


def test_labelled_document_without_any_gold_is_refused():
    doc = Document("9", "Some text.\n", metadata={"span_gold": False, "split": "dev"}, labelled=True)
    with pytest.raises(MissingGoldError, match="document 9 of the 'dev' split has neither"):
        SentenceTechniquesTask().examples([doc], tuple(LABELS), "lines")


def test_missing_gold_is_a_user_error():
    from framing.experiment import USER_ERRORS

    assert issubclass(MissingGoldError, USER_ERRORS)


def test_experiment_refuses_si_on_semeval2023_dev_with_one_line(semeval2023, capsys):
    from framing.config import compose
    from framing.experiment import hydra_entry

    cfg = compose([f"data_root={semeval2023}", "dataset=semeval2023_en", "task=si", "tracking=none"])
    with pytest.raises(SystemExit) as exit_info:
        hydra_entry(cfg)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "task=si needs character-span gold" in err[0]


# --------------------------------------------------------------------------- TC row order


def test_tc_rows_follow_the_gold_file_order():
    text = "0123456789 the crooked media lies"
    # the file lists [11, 20) after [11, 18): the official scorer pairs equal starts in file order
    in_file = (Span(11, 33, "Loaded_Language"), Span(11, 18, "Doubt"), Span(0, 5, "Slogans"))
    doc = Document("7", text, in_file, {"file_spans": in_file})
    ex = TCTask().examples([doc], ("Doubt", "Loaded_Language", "Slogans"), "lines")
    assert list(zip(ex.refs["start"], ex.refs["end"])) == [(11, 33), (11, 18), (0, 5)]
    _, content = TCTask().official_predictions(ex, ex.y)
    assert content.splitlines() == ["7\tLoaded_Language\t11\t33", "7\tDoubt\t11\t18", "7\tSlogans\t0\t5"]
    # without the reader's file order, the sorted spans
    sorted_ex = TCTask().examples([Document("7", text, in_file)], ("Doubt", "Loaded_Language", "Slogans"), "lines")
    assert list(sorted_ex.refs["start"]) == [0, 11, 11]
