"""Official NLP4IF-2019 SLC label files: reading, disagreements with derived labels, line-level scoring."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from framing.data import CorpusFormatError, read_ptc2019
from framing.data.slc_labels import SLCLabelWarning, derived_line_labels, line_count, slc_label_agreement
from framing.tasks import SLCTask

DEV_TEXT = "Title\n\nThey lie.\nIt is sunny.\n"  # lines: 1 Title, 2 (empty), 3 They lie., 4 It is sunny.


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


@pytest.fixture()
def ptc(tmp_path):
    """PTC-2019 layout: train and dev articles with span labels; SLC labels for dev only."""
    root = tmp_path / "ptc"
    _write(root / "train" / "article1.txt", "A title\n\nThey are crooks.\nFine weather.\n")
    _write(root / "train" / "article1.labels.tsv", "1\tName_Calling,Labeling\t19\t25\n")
    _write(root / "dev" / "article2.txt", DEV_TEXT)
    _write(root / "dev" / "article2.labels.tsv", "2\tLoaded_Language\t12\t15\n")  # "lie" on line 3
    labels = tmp_path / "slc"
    # one row per line, the empty line 2 included; line 4 is propaganda here but no span touches it
    _write(labels / "dev.task-SLC.labels",
           "2\t1\tnon-propaganda\n2\t2\tnon-propaganda\n2\t3\tpropaganda\n2\t4\tpropaganda\n")
    return root, labels


def test_line_count_is_readlines():
    assert line_count(DEV_TEXT) == 4 and line_count("a\nb") == 2 and line_count("") == 0


def test_official_labels_are_read_and_disagreements_reported(ptc):
    root, labels = ptc
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = read_ptc2019(root, ("train", "dev"), slc_labels_dir=labels)
    [report] = [w for w in caught if issubclass(w.category, SLCLabelWarning)]
    message = str(report.message)
    assert "dev: 1 articles, 4 lines, 1 differ (1 propaganda only in the official labels, 0 only in the derived" in message
    assert "article 2 line 4: official propaganda" in message
    [dev] = corpus["dev"]
    assert derived_line_labels(dev) == [False, False, True, False]
    assert dev.metadata["slc_labels"] == ("non-propaganda", "non-propaganda", "propaganda", "propaganda")
    assert dev.metadata["slc_disagreements"] == (4,)
    assert slc_label_agreement(corpus["dev"]) == {"articles": 1, "lines": 4, "disagreements": 1}
    assert "slc_labels" not in corpus["train"][0].metadata  # train keeps the derived labels
    assert any(p.name == "dev.task-SLC.labels" for p in corpus.files)


def test_slc_scores_lines_against_the_official_labels(ptc):
    root, labels = ptc
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SLCLabelWarning)
        corpus = read_ptc2019(root, ("train", "dev"), slc_labels_dir=labels)
    task = SLCTask()
    dev = task.examples(corpus["dev"], corpus.labels, "lines")
    assert dev.meta["label_source"] == "official"
    assert list(dev.refs["line"]) == [1, 3, 4] and list(dev.y) == [0, 1, 1]  # no row for the empty line
    pred = np.array([0, 1, 0])
    m = task.score(dev, pred, None, None).metrics
    # lines: gold 0 0 1 1, predicted 0 0 1 0 -> tp 1, fn 1: P 1, R 1/2, F1 2/3
    assert (m["precision"], m["recall"]) == (1.0, 0.5) and m["f1"] == pytest.approx(2 / 3)
    name, content = task.official_predictions(dev, pred)
    assert name == "predictions-slc.txt"
    assert content.splitlines() == ["2\t1\tnon-propaganda", "2\t2\tnon-propaganda", "2\t3\tpropaganda",
                                    "2\t4\tnon-propaganda"]
    # without the official files the derived labels are the gold, and the same predictions are perfect
    derived = task.examples(read_ptc2019(root, ("train", "dev"))["dev"], corpus.labels, "lines")
    assert derived.meta["label_source"] == "derived" and list(derived.y) == [0, 1, 0]
    assert task.score(derived, pred, None, None).metrics["f1"] == 1.0


@pytest.mark.parametrize("rows, problem", [
    ("2\t1\tnon-propaganda\n2\t2\tnon-propaganda\n2\t3\tpropaganda\n", r"has 4 lines .* \(3 rows\)"),
    ("2\t1\t?\n", "a template row"),
    ("2\t1\tnon-propaganda\n2\t1\tpropaganda\n", "labelled twice"),
    ("2\tone\tpropaganda\n", "not a positive integer"),
    ("2\t1\n", "expected 3 tab-separated fields"),
    ("999\t1\tpropaganda\n", "no article of ptc2019"),
])
def test_bad_label_files_name_file_and_problem(ptc, rows, problem):
    root, labels = ptc
    (labels / "dev.task-SLC.labels").write_text(rows, encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=problem):
        read_ptc2019(root, ("train", "dev"), slc_labels_dir=labels)


def test_a_split_only_partly_covered_is_refused(ptc):
    root, labels = ptc
    _write(root / "dev" / "article3.txt", "Another\n")
    _write(root / "dev" / "article3.labels.tsv", "")
    with pytest.raises(CorpusFormatError, match="cover 1 of the 2 articles of the 'dev' split"):
        read_ptc2019(root, ("train", "dev"), slc_labels_dir=labels)


def test_missing_folder(ptc, tmp_path):
    root, _ = ptc
    with pytest.raises(FileNotFoundError, match="dataset.slc_labels_dir"):
        read_ptc2019(root, ("train", "dev"), slc_labels_dir=tmp_path / "nowhere")
